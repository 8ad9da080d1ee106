// What people wrote never reaches a log line: a log object is walked before pino serialises it,
// error objects are reduced to what an operator needs (method, code, description, ids), and
// fields that carry people's words or names keep only their length.

/** Keys (lower-cased, without `_`) whose string values are someone's words or names. */
const USER_TEXT_KEYS = new Set([
  "text", "caption", "question", "questions", "options", "explanation", "reason", "reasons", "quote",
  "query", "bio", "title", "name", "names", "firstname", "lastname", "username", "fullname",
]);
/** camelCase or snake_case compounds of those (userName, group_title, lessonTitle, leaveReason). */
const USER_TEXT_SUFFIX = /(name|names|title|text|caption|reason|question)$/;

/** Bot API parameters that are ids or counts and help an operator find the request. */
const PAYLOAD_IDS = /(^|_)(id|ids)$|^(offset|limit|timeout|parse_mode|is_anonymous)$/;

const MAX_DEPTH = 8;
const MAX_ITEMS = 50;

/** pino's own fields and names that only look like user text. */
const SAFE_KEYS = new Set(["hostname", "msg", "type", "app"]);

function isUserTextKey(key: string): boolean {
  const k = key.toLowerCase().replace(/_/g, "");
  return !SAFE_KEYS.has(k) && (USER_TEXT_KEYS.has(k) || USER_TEXT_SUFFIX.test(k));
}

function redactedText(s: string): string {
  return `[redacted: ${[...s].length} chars]`;
}

function isErrorLike(value: object): value is Error {
  return value instanceof Error || (typeof (value as { message?: unknown }).message === "string" && typeof (value as { stack?: unknown }).stack === "string");
}

/** The ids of a Bot API request, and the lengths of its texts, never the texts. */
function payloadSummary(payload: unknown): Record<string, unknown> | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    // a string chat_id may be a channel's @username: only numbers and numeric strings are ids
    const idLike = typeof value === "number" || typeof value === "boolean" || (typeof value === "string" && /^-?\d{1,20}$/.test(value));
    if (PAYLOAD_IDS.test(key) && (idLike || (key === "parse_mode" && typeof value === "string"))) {
      out[key] = value;
    } else if (typeof value === "string" && isUserTextKey(key)) {
      out[`${key}_length`] = [...value].length;
    } else if (Array.isArray(value) && isUserTextKey(key)) {
      out[`${key}_count`] = value.length;
    }
  }
  return out;
}

/** An error as an operator needs it: kind, message, stack, Telegram's answer, the request's ids; no payload texts. */
export function safeError(err: Error, depth = 0, seen = new WeakSet<object>()): Record<string, unknown> {
  seen.add(err);
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: e.name || e.constructor?.name || "Error", message: e.message };
  if (typeof e.stack === "string") out.stack = e.stack;
  for (const key of ["code", "errno", "syscall", "error_code", "description", "method", "status", "statusText"]) {
    const v = e[key];
    if (typeof v === "string" || typeof v === "number") out[key] = v;
  }
  // GrammyError: Telegram's parameters (migrate_to_chat_id, retry_after) and the request's ids only.
  const params = e.parameters as Record<string, unknown> | undefined;
  if (params && typeof params === "object") {
    const kept: Record<string, unknown> = {};
    for (const k of ["migrate_to_chat_id", "retry_after"]) if (typeof params[k] === "number") kept[k] = params[k];
    out.parameters = kept;
  }
  const payload = payloadSummary(e.payload);
  if (payload) out.payload = payload;
  // ioredis ReplyError: the command's name, never its arguments (they hold stored texts).
  const command = e.command as { name?: unknown } | undefined;
  if (command && typeof command === "object" && typeof command.name === "string") out.command = command.name;
  if (depth < 3) {
    // HttpError wraps the network error; `cause` chains; AggregateError lists.
    for (const key of ["error", "cause"] as const) {
      const inner = e[key];
      if (inner !== undefined && inner !== null && !(typeof inner === "object" && seen.has(inner))) out[key] = redactValue(inner, depth + 1, seen);
    }
    if (Array.isArray(e.errors)) out.errors = e.errors.slice(0, 5).map((x: unknown) => redactValue(x, depth + 1, seen));
  }
  return out;
}

/** A copy of `value` with errors reduced and people's words replaced by their length. */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>(), key?: string): unknown {
  if (typeof value === "string") return key !== undefined && isUserTextKey(key) ? redactedText(value) : value;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  if (isErrorLike(value)) return safeError(value, depth, seen);
  if (depth >= MAX_DEPTH) return "[deep]";
  seen.add(value);
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactValue(v, depth + 1, seen, key));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  // Anything else is written as JSON.stringify would: its toJSON, or its own enumerable fields.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return redactValue(toJSON.call(value), depth + 1, seen, key);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1, seen, k);
  return out;
}

/** pino `formatters.log` / `formatters.bindings`: every logged object passes here first. */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = redactValue(v, 0, seen, k);
  return out;
}
