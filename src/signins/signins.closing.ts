import { SendDeferred } from "../outbox/index.js";
import { escapeHtml, splitTelegramHtml } from "../content/index.js";
import type { GroupInfo } from "../groups/index.js";
import { classify, type Classified } from "./attendance.js";
import type { SessionRecord } from "./signins.repository.js";
import type { SigninsDeps } from "./signins.deps.js";
import { countsOf, finalText, privateReport } from "./signins.texts.js";
import { createListHandoff } from "./signins.handoff.js";
import { isForbidden, isNotModified } from "../shared/telegram-errors.js";

export type CloseResult =
  | {
      kind: "closed";
      session: SessionRecord;
      counts: ReturnType<typeof countsOf>;
      listTo: "sent" | "unreachable";
    }
  | { kind: "already" }
  | { kind: "unknown" };

/** Where the organiser's list goes: the opener, or (a sign-in opened by a lesson) every admin who started the bot. */
async function recipients(deps: SigninsDeps, group: GroupInfo, session: SessionRecord): Promise<number[]> {
  if (session.openedBy !== undefined) return [session.openedBy];
  try {
    return await deps.groups.humanAdmins(group.id);
  } catch (err) {
    deps.logger.warn({ err, group: group.id }, "could not list the group's administrators");
    return [];
  }
}

/** Closing a session: fix the counts, show them in the group, send the names privately. */
const timerOf = (groupId: number, sessionId: number) => `signin:${groupId}:${sessionId}`;

export function createClosing(
  deps: SigninsDeps & { settle(groupId: number, sessionId: number): Promise<void> },
) {
  const { repo, api, t, clock } = deps;
  const log = deps.logger.child({ feature: "signins" });
  const handoff = createListHandoff(deps);

  async function sendPrivately(
    group: GroupInfo,
    session: SessionRecord,
    c: Classified,
    reasons: Map<number, string>,
    names: Record<string, string>,
  ): Promise<boolean> {
    let delivered = false;
    for (const uid of await recipients(deps, group, session)) {
      const profile = await deps.groups.user(uid);
      if (!profile?.privateOk) continue;
      const locale = profile.locale ?? group.locale;
      try {
        for (const part of splitTelegramHtml(
          privateReport(t, locale, session, group.title, c, names, reasons),
        )) {
          // A part rate-limited for long is sent by the outbox after the wait: still delivered.
          await deps
            .pacer(() => api.sendMessage(uid, part, { parse_mode: "HTML" }))
            .catch((err: unknown) => {
              if (!(err instanceof SendDeferred)) throw err;
            });
        }
        delivered = true;
      } catch (err) {
        const blocked = isForbidden(err);
        log.warn({ err, group: group.id, user: uid, blocked }, "could not send the sign-in list privately");
      }
    }
    return delivered;
  }

  async function showFinal(group: GroupInfo, session: SessionRecord, text: string): Promise<void> {
    try {
      if (session.messageId === undefined) throw new Error("no sign-in message");
      await deps.pacer(() =>
        api.editMessageText(group.id, session.messageId as number, text, { parse_mode: "HTML" }),
      );
    } catch (err) {
      if (isNotModified(err)) return;
      // The message was deleted (or never sent): the group still gets the result.
      log.warn(
        { err, group: group.id, session: session.id },
        "could not edit the sign-in message; sending the result",
      );
      await deps.pacer(() =>
        api.sendMessage(group.id, text, { parse_mode: "HTML", message_thread_id: session.threadId }),
      );
    }
  }

  const closing = {
    /**
     * Closes a session once. With `resumeAfterMs` (the closing timer), a session closed longer ago than
     * that whose closing never finished (its instance crashed) is finished now; one closed more recently
     * may still be finishing elsewhere, so this throws and the timer comes back after its lease.
     */
    async close(
      groupId: number,
      sessionId: number,
      opts: { resumeAfterMs?: number } = {},
    ): Promise<CloseResult> {
      const now = clock.now();
      const r = await repo.close(groupId, sessionId, now);
      if (r === "unknown") {
        await deps.schedule.cancelTimer(timerOf(groupId, sessionId));
        return { kind: r };
      }
      if (r === "already") {
        if (opts.resumeAfterMs === undefined) return { kind: r };
        const s = await repo.session(groupId, sessionId);
        if (!s || s.finishedAt !== undefined) return { kind: r };
        if ((s.closedAt ?? 0) > now - opts.resumeAfterMs)
          throw new Error("sign-in closing still in progress elsewhere");
        log.warn({ group: groupId, session: sessionId }, "finishing a sign-in whose closing was interrupted");
      }
      const result = await finish(groupId, sessionId);
      // Only now: a crash before this leaves the closing timer in Redis, and it finishes the work later.
      await repo.markFinished(groupId, sessionId, clock.now());
      await deps.schedule.cancelTimer(timerOf(groupId, sessionId));
      return result;
    },
  };

  /** The closing's work: counts fixed, the result in the group, the lists privately. Safe to repeat. */
  async function finish(groupId: number, sessionId: number): Promise<CloseResult> {
    await deps.settle(groupId, sessionId);
    const [group, session] = await Promise.all([deps.groups.get(groupId), repo.session(groupId, sessionId)]);
    if (!group || !session) return { kind: "unknown" };
    const [signedIn, excused, roster] = await Promise.all([
      repo.signedIn(groupId, sessionId),
      repo.excused(groupId, sessionId),
      deps.groups.roster(groupId),
    ]);
    const c = classify({
      openedAt: session.openedAt,
      lateAfterMs: session.lateAfterMs,
      signedIn,
      excused,
      roster: new Map(roster.map((m) => [m.userId, m.joinedAt])),
    });
    const counts = countsOf(c);
    await repo.saveFinal(
      groupId,
      sessionId,
      {
        present: counts.present,
        late: counts.late,
        excused: counts.excused,
        absent: counts.absent,
        eligible: counts.eligible,
      },
      c.absent,
    );
    log.info({ group: groupId, session: sessionId, ...counts }, "sign-in closed");
    if (!group.active) return { kind: "closed", session, counts, listTo: "unreachable" };

    const names = Object.fromEntries(roster.map((m) => [String(m.userId), m.name]));
    const sent = await sendPrivately(group, session, c, excused, names);
    await showFinal(group, session, finalText(t, group.locale, session, c, sent));
    if (!sent) {
      // Nobody could be written to: the list waits for an organiser's Start behind the note's button.
      const reply_markup = await handoff.keep(group, session, c, names, excused);
      const who = session.openedBy !== undefined ? await deps.groups.user(session.openedBy) : undefined;
      const name =
        who?.name ??
        roster.find((m) => m.userId === session.openedBy)?.name ??
        t(group.locale, "signins-organisers");
      const note = t(group.locale, "signins-start-bot-to-receive", { name: escapeHtml(name) });
      await deps
        .pacer(() =>
          api.sendMessage(group.id, note, { parse_mode: "HTML", message_thread_id: session.threadId, reply_markup }),
        )
        .catch((err: unknown) => log.warn({ err, group: groupId }, "could not post the start-the-bot note"));
    }
    return { kind: "closed", session, counts, listTo: sent ? "sent" : "unreachable" };
  }

  return { ...closing, listFromLink: handoff.deliver };
}
