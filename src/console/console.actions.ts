import type { Api } from "grammy";
import type { Curriculum, Track } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { LessonsService } from "../lessons/index.js";
import { parseTrack } from "../lessons/index.js";
import type { Outbox, OutboxHandler } from "../outbox/index.js";
import { parseOpenArgs, type SigninsService } from "../signins/index.js";
import type { Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import { isRefused } from "../shared/telegram-errors.js";
import { dayIdAt, weekIdAt } from "../shared/week.js";
import type { ConsoleService } from "./console.service.js";

/** The outbox job of a console reminder: one group, one lesson, one local day (a second press that day adds nothing). */
export const REMIND_JOB = "console-remind";

export interface ActionsDeps {
  groups: GroupsService;
  lessons: LessonsService;
  signins: SigninsService;
  outbox: Pick<Outbox, "enqueue">;
  consoleService: ConsoleService;
  curriculum: Curriculum;
  t: Translate;
  clock: { now(): number };
}

export type ActionResult = { status: 200 | 400 | 409; body: Record<string, unknown> };

const ok = (body: Record<string, unknown>): ActionResult => ({ status: 200, body });
const bad = (error: string): ActionResult => ({ status: 400, body: { error } });

/**
 * What an organiser can do from the console: the same services as /push, /open_signin, /close_signin, with the
 * same argument checks. The caller has already checked that the viewer organises the group (groups.isOrganiser).
 */
export function createConsoleActions(deps: ActionsDeps) {
  const { lessons, signins, t } = deps;
  return {
    /** /push [track]. */
    async push(group: GroupInfo, userId: number, input: { track?: unknown }): Promise<ActionResult> {
      let track: Track | undefined;
      if (input.track !== undefined && input.track !== "") {
        track = typeof input.track === "string" ? (parseTrack(input.track) ?? undefined) : undefined;
        if (!track) return bad("unknown-track");
      }
      const result = await lessons.pushNext(group, track);
      if (result.kind === "secretaries" && result.missing.length > 0)
        await lessons.missingSecretaries.report(group, userId, result.lesson.title, result.missing);
      const lesson = "lesson" in result ? { id: result.lesson.id, title: result.lesson.title } : undefined;
      return ok({ result: result.kind, lesson });
    },

    /** /open_signin [minutes] [title]: minutes 1..1440 (default 30), title at most 100 characters. */
    async openSignin(group: GroupInfo, userId: number, input: { minutes?: unknown; title?: unknown }): Promise<ActionResult> {
      const minutes = input.minutes === undefined || input.minutes === "" ? "" : String(input.minutes);
      const title = typeof input.title === "string" ? input.title.replace(/\s+/g, " ").trim() : "";
      if (minutes && !/^\d{1,4}$/.test(minutes)) return bad("minutes");
      const args = parseOpenArgs(`${minutes || "30"} ${title}`);
      if (!args.ok) return bad(args.problem);
      const result = await signins.open(group, {
        minutes: args.minutes,
        title: args.title ?? t(group.locale, "signins-default-title"),
        openedBy: userId,
        threadId: group.isForum ? group.topicId : undefined,
      });
      const s = result.session;
      return { status: result.kind === "opened" ? 200 : 409, body: { result: result.kind, session: { id: s.id, title: s.title, closesAt: s.closesAt } } };
    },

    /** /close_signin. */
    async closeSignin(group: GroupInfo): Promise<ActionResult> {
      const result = await signins.closeOpen(group);
      if (!result || result.kind !== "closed") return { status: 409, body: { result: "none-open" } };
      return ok({ result: "closed", counts: result.counts });
    },

    /** Reminds, privately and through the outbox, the members who started the bot and have not studied a lesson pushed this week. */
    async remind(group: GroupInfo, input: { lessonId?: unknown }): Promise<ActionResult> {
      const now = deps.clock.now();
      const weekId = weekIdAt(now, group.timeZone);
      const pushed = (await lessons.pushes(group.id)).filter((p) => p.weekId === weekId);
      const lessonId = typeof input.lessonId === "string" ? input.lessonId : pushed.at(-1)?.lessonId;
      if (!lessonId || !pushed.some((p) => p.lessonId === lessonId)) return bad("no-lesson-this-week");
      const who = await deps.consoleService.notStudied(group, lessonId);
      if (who.reachable.length > 0) await deps.outbox.enqueue(REMIND_JOB, `${group.id}-${lessonId}-${dayIdAt(now, group.timeZone)}`, { groupId: group.id, lessonId });
      return ok({ result: "queued", lessonId, reachable: who.reachable.length, unreachable: who.unreachable });
    },
  };
}

export type ConsoleActions = ReturnType<typeof createConsoleActions>;

/** Sends a reminder to each member who still has not studied the lesson when the job runs; a member who blocked the bot is skipped. */
export function remindJob(deps: Pick<ActionsDeps, "groups" | "curriculum" | "consoleService" | "t"> & { api: Api }): OutboxHandler {
  return async (payload, delivery, log: Logger) => {
    const group = await deps.groups.get(Number(payload.groupId));
    const lesson = deps.curriculum.byId.get(String(payload.lessonId));
    if (!group?.active || !lesson) return;
    const { reachable } = await deps.consoleService.notStudied(group, lesson.id);
    let sent = 0;
    for (const userId of reachable) {
      const locale = (await deps.groups.user(userId))?.locale ?? group.locale;
      const text = deps.t(locale, "console-remind-text", { group: group.title, lesson: lesson.title });
      try {
        await delivery.send(String(userId), userId, () => deps.api.sendMessage(userId, text));
        sent++;
      } catch (err) {
        if (!isRefused(err)) throw err;
      }
    }
    log.info({ group: group.id, lesson: lesson.id, sent, asked: reachable.length }, "console reminder");
  };
}
