import type { Lesson, Track } from "../content/types.js";
import { escapeHtml } from "../content/index.js";
import { ledgerEvent, recordActivity } from "../activity/index.js";
import type { TollPart, TollRefused } from "../floods/index.js";
import type { GroupInfo } from "../groups/index.js";
import { weekIdAt } from "../shared/week.js";
import { directDelivery, type Delivery } from "../outbox/index.js";
import type { PushRecord } from "./lessons.repository.js";
import { lessonRef } from "./lesson-ref.js";
import { fixNoticeText, refusalOf, tellOrganisers, type Refusal } from "./push-refusals.js";
import { createLessonSender } from "./lesson-sender.js";
import { createMediaSender } from "./lesson-media.js";
import { createMissingSecretaries } from "./missing-secretaries.js";
import { isForbidden, isRefused } from "../shared/telegram-errors.js";
import type { LessonsDeps } from "./lessons.deps.js";
import { createTrackOrder } from "./track-order.js";

export type { CurriculumFreshHook, LessonPushedHook, LessonsDeps } from "./lessons.deps.js";

export type PushResult =
  /** `problems`: what Telegram refused on the way (the lesson went out without it, or elsewhere). */
  | { kind: "pushed"; lesson: Lesson; push: PushRecord; problems: Refusal[] }
  /** Telegram refused the lesson itself; the track stays on it. */
  | { kind: "refused"; lesson: Lesson; problem: Refusal }
  /** `missing`: names of secretaries who could not be messaged privately (never started the bot, or blocked it). */
  | { kind: "secretaries"; lesson: Lesson; sent: number; total: number; missing: string[] }
  | { kind: "finished"; track?: Track }
  | { kind: "track-off"; track: Track }
  | { kind: "no-lessons" }
  | { kind: "blocked" };

export type StudiedResult = { kind: "counted"; lesson: Lesson } | { kind: "already"; lesson: Lesson } | { kind: "stale" };



export function createLessonsService(deps: LessonsDeps) {
  const { repo, curriculum, api, t, pacer, clock } = deps;
  // Rebuilt when the curriculum's lessons change (a lesson written in Telegram joins without a restart).
  let refs: { from: number; ids: Map<string, string> } | undefined;
  const byRef = (ref: string): Lesson | undefined => {
    if (refs?.from !== curriculum.byId.size) refs = { from: curriculum.byId.size, ids: new Map([...curriculum.byId.keys()].map((id) => [lessonRef(id), id])) };
    const id = refs.ids.get(ref);
    return id === undefined ? undefined : curriculum.byId.get(id);
  };
  /**
   * How many positions a track may have: its lessons and the written ones removed since (a group that had one
   * keeps its position, so the track is not over for it one lesson early; a group that had not finds nothing there).
   */
  const trackSize = (track: Track): number => {
    let n = 0;
    for (const l of curriculum.byId.values()) if (l.track === track) n++;
    return n;
  };
  const fresh = async (): Promise<void> => {
    for (const hook of deps.freshHooks?.() ?? []) await hook();
  };
  const log = deps.logger.child({ feature: "lessons" });
  const direct = directDelivery(pacer);
  const order = createTrackOrder(repo, curriculum, deps.orderHooks ?? (() => []));

  function trackName(group: GroupInfo, track: Track): string {
    return t(group.locale, `lessons-track-${track}`);
  }

  /** The track to push when none is named: the one furthest behind, in curriculum order. */
  async function chooseTrack(group: GroupInfo, positions: Record<string, number>): Promise<Track | undefined> {
    const open = deps.groups
      .enabledTracks(group)
      .filter((tr) => (positions[tr] ?? 0) < trackSize(tr));
    open.sort((a, b) => (positions[a] ?? 0) - (positions[b] ?? 0));
    for (const tr of open) {
      // A track whose remaining lessons are all skipped for this group has nothing to give.
      if ((await order.ordered(group, tr, await order.remaining(group.id, tr))).length > 0) return tr;
    }
    return undefined;
  }

  /** Forum groups: the chosen topic, or one the bot creates; undefined means General. */
  async function threadFor(group: GroupInfo): Promise<{ threadId?: number; notice?: string }> {
    if (!group.isForum) return {};
    if (group.topicId) return { threadId: group.topicId };
    try {
      const topic = await api.createForumTopic(group.id, t(group.locale, "lessons-topic-name"));
      await deps.groups.update(group.id, { topicId: topic.message_thread_id });
      return { threadId: topic.message_thread_id };
    } catch (err) {
      log.warn({ err, group: group.id }, "could not create the lessons topic");
      return { notice: t(group.locale, "lessons-no-topic") };
    }
  }

  const media = createMediaSender({ api, logger: deps.logger, uploads: deps.mediaUploads });
  const sendLesson = createLessonSender({ api, t, curriculum, trackName, direct, sendMedia: media.sendLessonMedia });

  async function sendToSecretaries(group: GroupInfo, lesson: Lesson, delivery: Delivery): Promise<{ sent: number; total: number; missing: string[] }> {
    const ids = await deps.groups.secretaries(group.id);
    const names = ids.length > 0 ? new Map((await deps.groups.roster(group.id)).map((m) => [m.userId, m.name])) : new Map<number, string>();
    const missing: string[] = [];
    let sent = 0;
    for (const userId of ids) {
      const profile = await deps.groups.user(userId);
      const name = names.get(userId) ?? profile?.name ?? String(userId);
      if (!profile?.privateOk) {
        missing.push(name);
        continue;
      }
      try {
        const intro = escapeHtml(t(group.locale, "lessons-secretary-intro", { group: group.title }));
        await sendLesson(userId, lesson, group, { keyboardGroupId: group.id, intro }, delivery);
        sent++;
      } catch (err) {
        if (delivery !== direct && !isRefused(err)) throw err;
        if (!isForbidden(err)) log.warn({ err, user: userId, group: group.id }, "could not send a secretaries' lesson");
        missing.push(name);
      }
    }
    return { sent, total: ids.length, missing };
  }

  async function deliver(group: GroupInfo, lesson: Lesson, delivery: Delivery): Promise<PushResult> {
    const at = clock.now();
    if (lesson.audience === "secretaries") {
      return { kind: "secretaries", lesson, ...(await sendToSecretaries(group, lesson, delivery)) };
    }
    const place = await threadFor(group);
    const problems = new Set<Refusal>();
    let messageId: number;
    try {
      messageId = await sendLesson(group.id, lesson, group, { ...place, problems }, delivery);
    } catch (err) {
      const why = refusalOf(err);
      if (place.threadId === undefined || (why !== "topic-closed" && why !== "topic-missing")) throw err;
      // The topic is closed or gone: the lesson goes to the group itself, saying so, and the organisers are told.
      problems.add(why);
      // A deleted topic is forgotten, so the next push makes a new one unless the organisers choose one in /settings.
      if (why === "topic-missing") await deps.groups.update(group.id, { topicId: undefined });
      const notice = escapeHtml(t(group.locale, `lessons-notice-${why}`));
      messageId = await sendLesson(group.id, lesson, group, { notice, problems }, delivery);
    }
    let push: PushRecord = { lessonId: lesson.id, at, weekId: weekIdAt(at, group.timeZone), messageId };
    await delivery.once(`pushed:${lesson.id}`, async () => {
      await repo.recordPush(group.id, lesson.track, push);
      for (const hook of deps.onPushed) {
        await hook(group, lesson, push).catch((err: unknown) => log.error({ err, group: group.id }, "after-push hook failed"));
      }
    });
    push = (await repo.push(group.id, lesson.id)) ?? push; // a resumed delivery reports the push as first recorded
    // A scheduled push tells the organisers; after /push the composer answers the organiser who asked.
    if (problems.size > 0 && delivery !== direct) await tellOrganisers(deps, group, fixNoticeText(t, group, lesson, [...problems], false), delivery);
    return { kind: "pushed", lesson, push, problems: [...problems] };
  }

  /** May this user mark or read this group's lessons from a private chat? */
  async function canStudyPrivately(groupId: number, userId: number): Promise<boolean> {
    if (await deps.groups.isOnRoster(groupId, userId)) return true;
    return (await deps.groups.secretaries(groupId)).includes(userId);
  }

  /**
   * May this user open this lesson of this group from a private chat? Only a lesson that reached the group, and a
   * secretaries' lesson only for the group's secretaries: a forged "view lesson" press must not read past either.
   */
  async function canViewPrivately(groupId: number, userId: number, lesson: Lesson): Promise<boolean> {
    if (lesson.audience === "secretaries") {
      if (!(await deps.groups.secretaries(groupId)).includes(userId)) return false;
      // Secretaries' lessons never reach the group, so no push is recorded: the track's claimed positions say if it was sent.
      return order.given(groupId, lesson);
    }
    if (!(await repo.push(groupId, lesson.id))) return false;
    return canStudyPrivately(groupId, userId);
  }

  return {
    trackName,
    canStudyPrivately,
    canViewPrivately,

    /** Lessons pushed to the user's groups that they have not marked studied, newest first. */
    async missedLessons(userId: number, limit = 10): Promise<{ group: GroupInfo; lesson: Lesson }[]> {
      const out: { group: GroupInfo; lesson: Lesson; at: number }[] = [];
      for (const groupId of await deps.groups.groupsOf(userId)) {
        const group = await deps.groups.get(groupId);
        if (!group || !(await canStudyPrivately(groupId, userId))) continue;
        for (const push of await repo.allPushes(groupId)) {
          const lesson = curriculum.byId.get(push.lessonId);
          if (!lesson) continue;
          if (await deps.activity.seen(repo.studiedKey(groupId, lesson.id), String(userId))) continue;
          out.push({ group, lesson, at: push.at });
        }
      }
      return out.sort((a, b) => b.at - a.at).slice(0, limit);
    },

    /** Sends a lesson of a group to a member in private, with buttons that count for that group. */
    async sendPrivately(userId: number, group: GroupInfo, lesson: Lesson): Promise<void> {
      const intro = escapeHtml(t(group.locale, "lessons-private-intro", { group: group.title }));
      await sendLesson(userId, lesson, group, { keyboardGroupId: group.id, intro });
    },

    lessonByRef: byRef,

    /** Sends a lesson into a chat exactly as a group push sends it (media, text parts, buttons): an author's preview. */
    preview: (chatId: number, lesson: Lesson, group: GroupInfo): Promise<number> => sendLesson(chatId, lesson, group, {}),

    /** Sends media (of a lesson, or of one being written) into a chat, each file uploaded once per deployment. */
    sendLessonMedia: media.sendLessonMedia,

    /** What the organisers should fix after Telegram refused part (or all, `unsent`) of a lesson. */
    fixNotice: (group: GroupInfo, lesson: Lesson, problems: Refusal[], unsent: boolean) => fixNoticeText(t, group, lesson, problems, unsent),

    /**
     * Pushes the next lesson of `track` (or of the track furthest behind) to the group. Through an
     * outbox `delivery` the lesson is claimed once per delivery and a retry resumes its sends.
     */
    async pushNext(group: GroupInfo, track?: Track, delivery: Delivery = direct): Promise<PushResult> {
      await fresh();
      if (curriculum.lessons.length === 0) return { kind: "no-lessons" };
      if (track && group.tracksOff.includes(track)) return { kind: "track-off", track };
      const chosen = track ?? (await chooseTrack(group, await repo.positions(group.id)));
      if (!chosen) return { kind: "finished" };
      const size = trackSize(chosen);
      const durable = delivery !== direct;
      const index = durable
        ? await repo.claimFor(group.id, chosen, size, delivery.id)
        : await repo.claimNext(group.id, chosen, size);
      if (index < 0) return { kind: "finished", track: chosen };
      const lesson = await order.lessonAt(group, chosen, index);
      if (!lesson) {
        // Every lesson left is skipped for this group: the position is given back.
        await repo.release(group.id, chosen, index);
        return { kind: "finished", track: chosen };
      }
      try {
        const result = await deliver(group, lesson, delivery);
        log.info({ group: group.id, lesson: lesson.id, result: result.kind }, "lesson pushed");
        return result;
      } catch (err) {
        const why = refusalOf(err);
        if (why) {
          log.warn({ group: group.id, lesson: lesson.id, refusal: why }, "Telegram refused the lesson; the track stays on it");
          // Told before the position is given back: if telling fails, the retried job still holds its lesson.
          if (durable) await tellOrganisers(deps, group, fixNoticeText(t, group, lesson, [why], true), delivery);
          await repo.release(group.id, chosen, index);
          return { kind: "refused", lesson, problem: why };
        }
        // A durable delivery keeps its lesson for the retry; a direct one gives the position back.
        if (!durable || isForbidden(err)) await repo.release(group.id, chosen, index);
        if (isForbidden(err)) {
          await deps.groups.deactivate(group.id);
          log.warn({ group: group.id }, "the bot cannot post in this group; marked inactive");
          return { kind: "blocked" };
        }
        throw err;
      }
    },

    /** A member pressed "Studied ✓": counted once per member and lesson. */
    /** Marks a lesson studied (`toll`: a press's flood window and roster touch, paid in the same script). */
    async markStudied(group: GroupInfo, userId: number, ref: string, toll?: TollPart): Promise<StudiedResult | TollRefused> {
      const lesson = byRef(ref);
      if (!lesson) return { kind: "stale" };
      const at = clock.now();
      if (lesson.audience !== "secretaries") {
        // The push check and the ledger entry in one script (the press's one round trip).
        const event = ledgerEvent({ groupId: group.id, timeZone: group.timeZone, userId, at, ref: `lesson:${lesson.id}`, increments: {} });
        const outcome = await repo.markStudied(event, lesson.id, toll);
        if (typeof outcome !== "string") return outcome;
        return outcome === "stale" ? { kind: "stale" } : { kind: outcome, lesson };
      }
      // A lesson for secretaries counts for them whether or not it was pushed to the group.
      if (!(await deps.groups.secretaries(group.id)).includes(userId)) return { kind: "stale" };
      const counted = await recordActivity(deps.activity, {
        groupId: group.id,
        timeZone: group.timeZone,
        userId,
        at,
        ref: `lesson:${lesson.id}`,
        increments: { lessons_studied: 1 },
        once: { key: repo.studiedKey(group.id, lesson.id), member: String(userId) },
      });
      return counted ? { kind: "counted", lesson } : { kind: "already", lesson };
    },

    /** How many members marked a lesson studied in a group. */
    studiedCount: (groupId: number, lessonId: string) => deps.activity.countSeen(repo.studiedKey(groupId, lessonId)),
    /** Has this member marked the lesson studied in the group? */
    hasStudied: (groupId: number, lessonId: string, userId: number) => deps.activity.seen(repo.studiedKey(groupId, lessonId), String(userId)),
    pushes: (groupId: number) => repo.allPushes(groupId),
    /** The names of secretaries a /push missed: to the organiser privately, or kept for their Start. */
    missingSecretaries: createMissingSecretaries(deps),
    currentLessons: (groupId: number) => repo.current(groupId),
    /** The lessons of a track the group has not been given, in curriculum order (before the group's own order). */
    remainingLessons: (groupId: number, track: Track) => order.remaining(groupId, track),
    /** The lessons of a track still to come for the group, in the order they will be pushed. */
    upcomingLessons: async (group: GroupInfo, track: Track) => order.ordered(group, track, await order.remaining(group.id, track)),
  };
}

export type LessonsService = ReturnType<typeof createLessonsService>;
