export { createOutbox, type Outbox, type OutboxHandler, type OutboxOptions } from "./outbox.js";
export { directDelivery, PaceDelay, type Delivery } from "./delivery.js";
export { createPacingRepository, type BotSlot, type PacingRepository } from "./pacing.repository.js";
export { createSharedPacer } from "./shared-pacer.js";
export { API_CALL_JOB, apiCallJob, deferLongRateLimits, keepRateLimits, runInsideJob, SendDeferred } from "./deferred-sends.js";
export { alreadyCounted, groupWindow } from "./group-window.js";
