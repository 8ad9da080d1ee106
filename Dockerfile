# Sanxue bot. Stage 1 compiles TypeScript; stage 2 runs dist/ with plain node as the unprivileged `node` user,
# with production dependencies only. Redis is a separate service (see docker-compose.yml); set REDIS_URL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# What `npm run build` runs besides tsc: the locale copy, the bundler (with its stand-in modules and the loader that
# becomes dist/main.js), the console's page.
COPY tools/copy-locales.mjs tools/bundle.mjs tools/bundle-loader.mjs tools/build-console.mjs ./tools/
COPY tools/bundle-stubs ./tools/bundle-stubs
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# fonts-wqy-microhei: Chinese glyphs for the weekly report's chart
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-wqy-microhei \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY content ./content
USER node
# /healthz lives on PORT in webhook mode and on METRICS_PORT in polling mode (the image has no curl).
ENV METRICS_PORT=9091
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const p=process.env.WEBHOOK_URL?(process.env.PORT||8080):process.env.METRICS_PORT;fetch('http://127.0.0.1:'+p+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
