import { GrammyError } from "grammy";
import { isClosedTopic, isMissingTopic, isRefused } from "../shared/telegram-errors.js";
import type { Lesson } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { Translate } from "../shared/i18n.js";
import type { Delivery } from "../outbox/index.js";
import type { Runtime } from "../shared/runtime.js";

/** Why Telegram refused a lesson for good: waiting and retrying the same request will not change it. */
export type Refusal = "photo-rights" | "media-rights" | "topic-closed" | "topic-missing" | "too-long" | "other";

/**
 * The one reading of a lesson send's 4xx. 403 (the bot is out), 429 (wait) and a 400 naming the
 * supergroup a group became (`migrate_to_chat_id`) have their own paths, so they are not refusals.
 */
export function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof GrammyError)) return undefined;
  const code = err.error_code;
  if (code < 400 || code >= 500 || code === 403 || code === 429) return undefined;
  if (err.parameters.migrate_to_chat_id !== undefined) return undefined;
  const d = err.description;
  if (/not enough rights to send photos/i.test(d)) return "photo-rights";
  if (/not enough rights to send (videos|audios|music|voice notes|voice messages|documents|files)/i.test(d)) return "media-rights";
  if (isClosedTopic(err)) return "topic-closed";
  if (isMissingTopic(err)) return "topic-missing";
  if (/message is too long|caption is too long|MESSAGE_TOO_LONG/i.test(d)) return "too-long";
  return "other";
}

export interface FixNoticeDeps extends Pick<Runtime, "api" | "t" | "logger"> {
  groups: GroupsService;
}

/** What the organisers read: which lesson, what went wrong, what to change; `unsent` when nothing reached the group. */
export function fixNoticeText(t: Translate, group: GroupInfo, lesson: Lesson, problems: Refusal[], unsent: boolean): string {
  const tr = (key: string, vars?: Record<string, string | number>) => escapeHtml(t(group.locale, key, vars));
  const lines = [tr("lessons-fix-intro", { group: group.title, title: lesson.title })];
  for (const p of new Set(problems)) lines.push(`• ${tr(`lessons-fix-${p}`, { file: lesson.file })}`);
  lines.push(tr(unsent ? "lessons-fix-unsent" : "lessons-fix-sent"));
  return lines.join("\n");
}

/**
 * Tells the group's administrators who started the bot (the Monday report's readers) what to fix,
 * privately; in the group itself when none of them can be reached. Keyed per person, so a
 * retried delivery does not tell anyone twice.
 */
export async function tellOrganisers(deps: FixNoticeDeps, group: GroupInfo, text: string, delivery: Delivery): Promise<void> {
  const log = deps.logger.child({ feature: "lessons", group: group.id });
  let told = 0;
  for (const userId of await deps.groups.reachableAdmins(group.id)) {
    try {
      await delivery.send(`fix:${userId}`, userId, () => deps.api.sendMessage(userId, text, { parse_mode: "HTML" }));
      told++;
    } catch (err) {
      if (!isRefused(err)) throw err;
      log.info({ user: userId, code: err.error_code }, "organiser not reachable for a push problem");
    }
  }
  if (told > 0) return;
  try {
    await delivery.send("fix:group", group.id, () => deps.api.sendMessage(group.id, text, { parse_mode: "HTML" }));
  } catch (err) {
    if (!isRefused(err)) throw err;
    log.warn({ code: err.error_code }, "nobody could be told about a push problem");
  }
}
