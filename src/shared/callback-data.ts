/**
 * Typed callback data: `<prefix>:<part>:<part>…`, checked against Telegram's 64-byte cap when
 * built, and parsed defensively (a forged or stale press is just `null`).
 */
export const CALLBACK_DATA_MAX_BYTES = 64;

export function encodeCallback(prefix: string, ...parts: (string | number)[]): string {
  const data = [prefix, ...parts].join(":");
  if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_MAX_BYTES)
    throw new RangeError(`callback data over ${CALLBACK_DATA_MAX_BYTES} bytes: ${data}`);
  return data;
}

/** The parts after `prefix`, or null when the data is not ours or has the wrong number of parts. */
export function decodeCallback(data: string | undefined, prefix: string, parts: number): string[] | null {
  if (!data) return null;
  const all = data.split(":");
  if (all[0] !== prefix || all.length !== parts + 1) return null;
  return all.slice(1);
}
