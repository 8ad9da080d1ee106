import { splitTelegramHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import { handoffKeyboard, handoffPayload } from "../shared/private-handoff.js";
import type { Classified } from "./attendance.js";
import type { SessionRecord } from "./signins.repository.js";
import type { SigninsDeps } from "./signins.deps.js";
import { privateReport } from "./signins.texts.js";
import { isForbidden } from "../shared/telegram-errors.js";

/** Deep-link kind of a sign-in list: `/start signins_<group>_<session>`. */
export const LIST_KIND = "signins";

/** What the organiser's list is made of, as it was at closing (the roster may change before they press Start). */
interface PendingList {
  title: string;
  groupTitle: string;
  c: Classified;
  names: Record<string, string>;
  reasons: [number, string][];
}

export type ListFromLink = "sent" | "none" | "not-organiser" | "unreachable";

/**
 * A sign-in list that could not go privately: kept in Redis with a deep-link button in the group, handed to the
 * first organiser of the group who presses Start (re-checked with Telegram then), once.
 */
export function createListHandoff(deps: SigninsDeps) {
  const { repo, api, t } = deps;
  const log = deps.logger.child({ feature: "signins" });
  let username: string | undefined;
  // The closing runs from a timer, with no update (and no ctx.me) at hand: ask Telegram once per process.
  async function keyboard(group: GroupInfo, payload: string) {
    try {
      username ??= (await api.getMe()).username;
    } catch (err) {
      // The note still goes out, without its button, rather than not at all.
      log.warn({ err, group: group.id }, "could not learn the bot's username for the sign-in list link");
      return undefined;
    }
    return handoffKeyboard(username, payload, t(group.locale, "signins-open-private-button"));
  }

  async function send(userId: number, list: PendingList, locale: GroupInfo["locale"]): Promise<void> {
    const text = privateReport(t, locale, { title: list.title }, list.groupTitle, list.c, list.names, new Map(list.reasons));
    for (const part of splitTelegramHtml(text)) {
      await deps.pacer(() => api.sendMessage(userId, part, { parse_mode: "HTML" }));
    }
  }

  return {
    /** Keeps the list and returns the group message's keyboard (one button that opens the private chat). */
    async keep(group: GroupInfo, session: SessionRecord, c: Classified, names: Record<string, string>, reasons: Map<number, string>) {
      const concerned = new Set([...c.absent, ...c.late, ...c.excused].map(String));
      const list: PendingList = {
        title: session.title,
        groupTitle: group.title,
        c,
        names: Object.fromEntries(Object.entries(names).filter(([id]) => concerned.has(id))),
        reasons: [...reasons].filter(([uid]) => c.excused.includes(uid)),
      };
      await repo.keepPendingList(group.id, session.id, JSON.stringify(list));
      const payload = handoffPayload(LIST_KIND, group.id, session.id);
      return keyboard(group, payload);
    },

    /** An organiser pressed Start on the link: the list goes to them, if they still are one of the group. */
    async deliver(groupId: number, sessionId: number, userId: number): Promise<ListFromLink> {
      const group = await deps.groups.get(groupId);
      if (!group) return "none";
      // Checked before taking, so a member's press leaves the list for the organisers.
      if (!(await deps.groups.isOrganiserNow(groupId, userId))) return "not-organiser";
      const raw = await repo.takePendingList(groupId, sessionId);
      if (raw === undefined) return "none";
      const list = JSON.parse(raw) as PendingList;
      const locale = (await deps.groups.user(userId))?.locale ?? group.locale;
      try {
        await send(userId, list, locale);
      } catch (err) {
        await repo.keepPendingList(groupId, sessionId, raw); // not delivered: the next Start tries again
        if (isForbidden(err)) return "unreachable";
        throw err;
      }
      log.info({ group: groupId, session: sessionId, user: userId }, "sign-in list delivered after Start");
      return "sent";
    },
  };
}
