// Stands in for @opentelemetry/api in the bundle (tools/bundle.mjs). prom-client requires it only to label exemplars
// with the active span (processCpuTotal.js, and only when exemplars are on, which the bot never turns on); the real
// package is 42 KiB compiled at every start. No span is ever active here, as with the real API and no tracer.
export const context = { active: () => undefined };
export const trace = { getSpan: () => undefined };
