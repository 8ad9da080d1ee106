import { escapeHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import type { LessonsDeps } from "./lessons.deps.js";
import { isForbidden } from "../shared/telegram-errors.js";

/** Deep-link kind of the names a secretaries' /push missed: `/start secretaries_<group>`. */
export const MISSING_KIND = "secretaries";

interface Missing {
  title: string;
  names: string[];
}

export type MissingFromLink = "sent" | "none" | "not-organiser" | "unreachable";

/**
 * Which secretaries a /push could not reach is a record about named members: it goes to the organiser who
 * pushed, privately. When they cannot be written to, it waits for their Start behind a deep link (the group
 * reads only the count).
 */
export function createMissingSecretaries(deps: LessonsDeps) {
  const { repo, api, t } = deps;
  const log = deps.logger.child({ feature: "lessons" });

  async function send(groupId: number, groupTitle: string, userId: number, missing: Missing, fallback: GroupInfo["locale"]): Promise<void> {
    const locale = (await deps.groups.user(userId))?.locale ?? fallback;
    const text = t(locale, "lessons-secretaries-missing-private", {
      group: escapeHtml(groupTitle),
      title: escapeHtml(missing.title),
      names: escapeHtml(missing.names.join(t(locale, "lessons-name-sep"))),
    });
    await deps.pacer(() => api.sendMessage(userId, text, { parse_mode: "HTML" }));
  }

  return {
    /** "private" when the organiser got the names now; "pending" when they wait for the organiser's Start. */
    async report(group: GroupInfo, userId: number, title: string, names: string[]): Promise<"private" | "pending"> {
      const missing: Missing = { title, names };
      try {
        await send(group.id, group.title, userId, missing, group.locale);
        return "private";
      } catch (err) {
        if (!isForbidden(err)) throw err;
      }
      await repo.keepMissing(group.id, userId, JSON.stringify(missing));
      log.info({ group: group.id, user: userId, count: names.length }, "organiser not reachable privately; missed secretaries wait for Start");
      return "pending";
    },

    /** The organiser pressed Start on the link: the names, if they still are an organiser of the group. */
    async fromLink(groupId: number, userId: number): Promise<MissingFromLink> {
      const group = await deps.groups.get(groupId);
      if (!group) return "none";
      if (!(await deps.groups.isOrganiserNow(groupId, userId))) return "not-organiser";
      const raw = await repo.takeMissing(groupId, userId);
      if (raw === undefined) return "none";
      try {
        await send(groupId, group.title, userId, JSON.parse(raw) as Missing, group.locale);
      } catch (err) {
        await repo.keepMissing(groupId, userId, raw); // not delivered: the next Start tries again
        if (isForbidden(err)) return "unreachable";
        throw err;
      }
      return "sent";
    },
  };
}
