import { createHash } from "node:crypto";

/**
 * A short, stable reference to a lesson for callback data: lesson ids are organisers' free text
 * and may not fit Telegram's 64 bytes.
 */
export function lessonRef(lessonId: string): string {
  return createHash("sha1").update(lessonId).digest("base64url").slice(0, 10);
}
