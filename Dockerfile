# Sanxue bot: a small image that runs as the unprivileged `node` user.
# Redis is a separate service (see docker-compose.yml); set REDIS_URL.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# fonts-wqy-microhei: Chinese glyphs for the weekly report's chart
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-wqy-microhei \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY content ./content
COPY tsconfig.json ./
USER node
CMD ["node", "--import", "tsx", "src/main.ts"]
