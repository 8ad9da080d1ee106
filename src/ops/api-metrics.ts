import type { Transformer } from "grammy";
import type { Metrics } from "./metrics.js";

const SENDS = /^(send|copyMessage|forwardMessage)/;

/**
 * Counts every Bot API call by method and outcome. Installed before auto-retry, so each attempt
 * (and each 429 it waits out) is counted, not only the final result. `onOk` lets the health check
 * see successful getUpdates calls.
 */
export function apiMetrics(metrics: Metrics, onOk?: (method: string) => void): Transformer {
  return async (prev, method, payload, signal) => {
    const stop = metrics.apiSeconds.startTimer({ method });
    let outcome = "network";
    try {
      const res = await prev(method, payload, signal);
      outcome = res.ok ? "ok" : res.error_code === 429 ? "429" : "error";
      if (res.ok) onOk?.(method);
      else if (res.error_code === 429) metrics.rateLimited.inc({ method });
      return res;
    } finally {
      stop();
      metrics.apiCalls.inc({ method, outcome });
      if (SENDS.test(method)) metrics.sends.inc({ method, outcome });
    }
  };
}
