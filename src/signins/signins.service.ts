import { ledgerEvent, recordActivity } from "../activity/index.js";
import type { GroupInfo } from "../groups/index.js";
import type { TollPart, TollRefused } from "../floods/index.js";
import { TIMER_LEASE_MS, type TimerEntry } from "../schedule/index.js";
import { SendDeferred } from "../outbox/index.js";
import { checkReason, EXCUSE_WINDOW_MS, isLate, MAX_MINUTES } from "./attendance.js";
import { EditCoalescer } from "./edit-coalescer.js";
import { createClosing, type CloseResult } from "./signins.closing.js";
import { signinKeyboard } from "./signins.keyboards.js";
import { createQueries } from "./signins.queries.js";
import type { SessionRecord } from "./signins.repository.js";
import { liveText } from "./signins.texts.js";
import { isNotModified } from "../shared/telegram-errors.js";
import type { SigninsDeps } from "./signins.deps.js";

export type { SigninsDeps } from "./signins.deps.js";

export const CLOSE_TIMER_KIND = "signin-close";
/** At most one live-count edit per session this often (a group allows 20 messages and edits a minute). */
export const EDIT_INTERVAL_MS = 5000;

export type OpenResult =
  { kind: "opened"; session: SessionRecord } | { kind: "already-open"; session: SessionRecord };
export type SignInResult =
  | { kind: "signed-in"; late: boolean; session: SessionRecord }
  | { kind: "already"; session: SessionRecord }
  | { kind: "closed" }
  | { kind: "unknown" }
  | { kind: "none-open" };
export type LeaveResult =
  | { kind: "excused"; session: SessionRecord }
  | { kind: "excused-next" }
  | { kind: "signed-in" }
  | { kind: "bad-reason"; problem: "missing" | "too-long" };


const timerId = (groupId: number, sessionId: number) => `signin:${groupId}:${sessionId}`;
/** The ledger's ref of a session's sign-ins and excuses. */
const signinRef = (sessionId: number) => `signin:${sessionId}`;
const liveKey = (groupId: number, sessionId: number) => `${groupId}:${sessionId}`;

export function createSigninsService(deps: SigninsDeps) {
  const { repo, api, t, clock } = deps;
  const log = deps.logger.child({ feature: "signins" });

  const editIntervalMs = deps.editIntervalMs ?? EDIT_INTERVAL_MS;

  /**
   * Edits the live count into the message; the count is read now, so the latest state is shown. The window is
   * claimed in Redis first, so instances together edit a session at most once per interval; when another holds
   * it, answers how long until this one asks again.
   */
  async function refresh(key: string): Promise<number | void> {
    const [groupId, sessionId] = key.split(":").map(Number) as [number, number];
    const busyFor = await repo.claimEdit(groupId, sessionId, deps.instanceId, editIntervalMs);
    if (busyFor > 0) return busyFor;
    const [session, group] = await Promise.all([repo.session(groupId, sessionId), deps.groups.get(groupId)]);
    if (!session || !group || session.closedAt !== undefined || session.messageId === undefined) return;
    const count = await repo.presentCount(groupId, sessionId);
    try {
      await deps.pacer(() =>
        api.editMessageText(
          groupId,
          session.messageId as number,
          liveText(t, group.locale, session, group.timeZone, count),
          {
            parse_mode: "HTML",
            reply_markup: signinKeyboard(t, group.locale, sessionId),
          },
        ),
      );
    } catch (err) {
      if (!isNotModified(err))
        log.warn({ err, group: groupId, session: sessionId }, "could not edit the live count");
    }
  }

  const live = new EditCoalescer(editIntervalMs, refresh, deps.timers);
  const closing = createClosing({ ...deps, settle: (g, s) => live.settle(liveKey(g, s)) });

  async function recordSignIn(
    group: GroupInfo,
    session: SessionRecord,
    userId: number,
    at: number,
    late: boolean,
  ): Promise<void> {
    await recordActivity(deps.activity, {
      groupId: group.id,
      timeZone: group.timeZone,
      userId,
      at,
      ref: signinRef(session.id),
      increments: late ? { signins: 1, signins_late: 1 } : { signins: 1 },
      once: { key: repo.countedKey(group.id, session.id), member: String(userId) },
    });
  }

  async function recordExcuse(group: GroupInfo, sessionId: number, userId: number): Promise<void> {
    await recordActivity(deps.activity, {
      groupId: group.id,
      timeZone: group.timeZone,
      userId,
      at: clock.now(),
      ref: signinRef(sessionId),
      increments: { excused: 1 },
      once: { key: repo.excuseCountedKey(group.id, sessionId), member: String(userId) },
    });
  }

  /** Signs a member in (`toll`: a press's flood window and roster touch, paid in the same script). */
  async function signIn(group: GroupInfo, userId: number, sessionId: number): Promise<SignInResult>;
  async function signIn(group: GroupInfo, userId: number, sessionId: number, toll: TollPart | undefined): Promise<SignInResult | TollRefused>;
  async function signIn(group: GroupInfo, userId: number, sessionId: number, toll?: TollPart): Promise<SignInResult | TollRefused> {
    const now = clock.now();
    // A new sign-in is recorded in the ledger by the same script (its increments decided there).
    const ledger = ledgerEvent({ groupId: group.id, timeZone: group.timeZone, userId, at: now, ref: signinRef(sessionId), increments: {} });
    const outcome = await repo.signIn(group.id, sessionId, userId, now, ledger, toll);
    if (outcome.kind === "flood") return outcome;
    if (outcome.kind === "closed" || outcome.kind === "unknown") return { kind: outcome.kind };
    const session = outcome.session;
    const late = isLate(outcome.at, session.openedAt, session.lateAfterMs);
    if (outcome.kind === "already") {
      // Completes the ledger of a sign-in recorded before it and its ledger entry were one script (counts once).
      await recordSignIn(group, session, userId, outcome.at, late);
      return { kind: "already", session };
    }
    live.request(liveKey(group.id, sessionId));
    return { kind: "signed-in", late, session };
  }

  async function open(
    group: GroupInfo,
    opts: { minutes: number; title: string; openedBy?: number; threadId?: number; replyTo?: number },
  ): Promise<OpenResult> {
    for (let attempt = 0; ; attempt++) {
      const now = clock.now();
      const id = await repo.nextId(group.id);
      const rec: SessionRecord = {
        id,
        title: opts.title,
        openedAt: now,
        closesAt: now + Math.min(Math.max(1, opts.minutes), MAX_MINUTES) * 60_000,
        openedBy: opts.openedBy,
        lateAfterMs: group.schedule.signin_late_after * 60_000,
        threadId: opts.threadId,
      };
      const r = await repo.open(group.id, rec, now - EXCUSE_WINDOW_MS);
      if (!r.opened) {
        const current = await repo.session(group.id, r.id);
        // A session past its deadline whose timer has not fired yet is closed now rather than blocking.
        if (current && current.closesAt <= now && attempt === 0) {
          await closing.close(group.id, r.id);
          continue;
        }
        if (current) return { kind: "already-open", session: current };
        throw new Error(`open sign-in ${r.id} of group ${group.id} has no record`);
      }
      await deps.schedule.setTimer({
        id: timerId(group.id, id),
        kind: CLOSE_TIMER_KIND,
        at: rec.closesAt,
        payload: { groupId: group.id, sessionId: id },
      });
      for (const uid of r.excused) await recordExcuse(group, id, uid);
      try {
        const msg = await deps.pacer(() =>
          api.sendMessage(group.id, liveText(t, group.locale, rec, group.timeZone, 0), {
            parse_mode: "HTML",
            message_thread_id: opts.threadId,
            reply_markup: signinKeyboard(t, group.locale, id),
            reply_parameters: opts.replyTo
              ? { message_id: opts.replyTo, allow_sending_without_reply: true }
              : undefined,
          }),
        );
        await repo.setMessage(group.id, id, msg.message_id);
        rec.messageId = msg.message_id;
      } catch (err) {
        // Rate-limited for long: the message (with its button) follows from the outbox, so the session stays
        // open; without its message id the live count is not edited and the result is posted as a new message.
        if (err instanceof SendDeferred) {
          log.warn({ group: group.id, session: id, delayMs: err.delayMs }, "sign-in opened; its message waits in the outbox");
          return { kind: "opened", session: rec };
        }
        // Nobody saw a button: the session must not stay open without one.
        await repo.close(group.id, id, clock.now());
        await deps.schedule.cancelTimer(timerId(group.id, id));
        throw err;
      }
      log.info(
        { group: group.id, session: id, minutes: opts.minutes, lesson: opts.openedBy === undefined },
        "sign-in opened",
      );
      return { kind: "opened", session: rec };
    }
  }

  return {
    /** Opens a sign-in in the group (one at a time); the message carries the button and the live count. */
    open,

    /** Opens the sign-in that comes with a pushed lesson, closing one still open first. */
    async openWithLesson(
      group: GroupInfo,
      title: string,
      lessonMessageId: number,
    ): Promise<OpenResult | undefined> {
      const minutes = group.schedule.signin_with_lesson;
      if (!(minutes > 0)) return undefined;
      const fresh = (await deps.groups.get(group.id)) ?? group;
      const openId = await repo.openId(group.id);
      if (openId !== undefined) await closing.close(group.id, openId);
      return open(fresh, {
        minutes,
        title,
        threadId: fresh.isForum ? fresh.topicId : undefined,
        replyTo: lessonMessageId,
      });
    },

    /** A press of the "Sign in" button of session `sessionId`. */
    signIn,

    /** `/signin`: signs in to the group's open session. */
    async signInOpen(group: GroupInfo, userId: number): Promise<SignInResult> {
      const id = await repo.openId(group.id);
      return id === undefined ? { kind: "none-open" } : signIn(group, userId, id);
    },

    /** `/start signins_<group>_<session>`: a closed session's kept list, to an organiser of that group. */
    listFromLink: closing.listFromLink,

    /** Closes the group's open session early; undefined when none is open. */
    async closeOpen(group: GroupInfo): Promise<CloseResult | undefined> {
      const id = await repo.openId(group.id);
      return id === undefined ? undefined : closing.close(group.id, id);
    },

    /** The durable timer of a session fired: close it (once, whichever instance gets there). */
    async onCloseTimer(timer: TimerEntry): Promise<void> {
      const groupId = Number(timer.payload.groupId);
      const sessionId = Number(timer.payload.sessionId);
      if (!Number.isFinite(groupId) || !Number.isFinite(sessionId)) return;
      // At-least-once: a closing an earlier attempt left half done is finished (after the timer's lease).
      await closing.close(groupId, sessionId, { resumeAfterMs: TIMER_LEASE_MS });
    },

    /** `/leave <reason>`: excused from the open session, or from the next one within 24 hours. */
    async leave(group: GroupInfo, userId: number, input: string): Promise<LeaveResult> {
      const checked = checkReason(input);
      if (!checked.ok) return { kind: "bad-reason", problem: checked.problem };
      const id = await repo.openId(group.id);
      const session = id === undefined ? undefined : await repo.session(group.id, id);
      if (!session || session.closesAt <= clock.now()) {
        await repo.excuseNext(group.id, userId, checked.reason, clock.now());
        return { kind: "excused-next" };
      }
      if ((await repo.signedIn(group.id, session.id)).has(userId)) return { kind: "signed-in" };
      await repo.excuse(group.id, session.id, userId, checked.reason);
      await recordExcuse(group, session.id, userId);
      return { kind: "excused", session };
    },

    ...createQueries(deps),

    /** Live-count edits waiting or running (tests). */
    pendingEdits: () => live.pending(),

    /** The app stops: no live-count edit waits or runs after this (see EditCoalescer.stop). */
    stop: () => live.stop(),
  };
}

export type SigninsService = ReturnType<typeof createSigninsService>;
