import { createHash } from "node:crypto";
import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../shared/logger.js";
import type { Redis } from "../shared/redis.js";
import { globalKey } from "../shared/keys.js";

export interface WebhookWanted {
  url: string;
  secret: string;
  allowedUpdates: readonly Exclude<keyof Update, "update_id">[];
}

const CLAIM_TTL_SECONDS = 60;

/** Fingerprint of what we set; getWebhookInfo does not show the secret, so a changed secret is seen here. */
export function webhookFingerprint(w: WebhookWanted): string {
  return createHash("sha256").update(JSON.stringify([w.url, w.secret, [...w.allowedUpdates].sort()])).digest("hex");
}

/** Whether Telegram's webhook already is the one we want. */
export function webhookMatches(
  info: { url?: string; allowed_updates?: readonly string[] },
  wanted: WebhookWanted,
  storedFingerprint: string | null,
): boolean {
  const have = [...(info.allowed_updates ?? [])].sort().join(",");
  const want = [...wanted.allowedUpdates].sort().join(",");
  return info.url === wanted.url && have === want && storedFingerprint === webhookFingerprint(wanted);
}

/**
 * Sets the webhook only when it differs from the wanted one, and only from one instance: the others
 * starting at the same time see the claim (SET NX, 60 s) and leave it alone.
 */
export async function ensureWebhook(
  api: Pick<Api, "getWebhookInfo" | "setWebhook">,
  redis: Redis,
  wanted: WebhookWanted,
  logger: Logger,
  instanceId: string,
): Promise<"unchanged" | "set" | "left-to-another-instance"> {
  const fingerprintKey = globalKey("webhook", "fingerprint");
  const [info, stored] = await Promise.all([api.getWebhookInfo(), redis.get(fingerprintKey)]);
  if (webhookMatches(info, wanted, stored)) return "unchanged";
  // One claim per configuration: a later deploy with a new secret or URL is not blocked by this one.
  const fingerprint = webhookFingerprint(wanted);
  const claimed = await redis.set(globalKey("webhook", "claim", fingerprint.slice(0, 16)), instanceId, "EX", CLAIM_TTL_SECONDS, "NX");
  if (claimed !== "OK") return "left-to-another-instance";
  await api.setWebhook(wanted.url, { secret_token: wanted.secret, allowed_updates: wanted.allowedUpdates });
  await redis.set(fingerprintKey, fingerprint);
  logger.info({ allowed_updates: wanted.allowedUpdates }, "webhook set");
  return "set";
}
