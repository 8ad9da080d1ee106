export { createMetrics, updateType, type Metrics } from "./metrics.js";
export { apiMetrics } from "./api-metrics.js";
export { dedupeUpdates, measureUpdates, markPreclaimed } from "./dedupe.js";
export { createUpdatesRepository, type UpdatesRepository, type Claim } from "./updates.repository.js";
export { createWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";
export { ensureWebhook, webhookMatches, webhookFingerprint, type WebhookWanted } from "./webhook-setup.js";
export { createHealth, type Health, type HealthReport } from "./health.js";
export { createOpsServer, listen } from "./ops-server.js";
export { startHeartbeat } from "./heartbeat.js";
