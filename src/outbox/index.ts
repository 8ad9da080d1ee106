export { createOutbox, type Outbox, type OutboxHandler, type OutboxOptions } from "./outbox.js";
export { directDelivery, PaceDelay, type Delivery } from "./delivery.js";
export { createPacingRepository, type PacingRepository } from "./pacing.repository.js";
export { createSharedPacer } from "./shared-pacer.js";
export { alreadyCounted, groupWindow } from "./group-window.js";
