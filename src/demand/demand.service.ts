import { TRACKS, type Curriculum, type Lesson, type Track } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { LessonsService } from "../lessons/index.js";
import type { SurveyRunResult } from "../surveys/index.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { orderRemaining, rankedTopics, topicVotes } from "./demand-order.js";
import type { DemandChoices, DemandRepository, GroupNeeds } from "./demand.repository.js";

export interface DemandDeps {
  repo: DemandRepository;
  groups: GroupsService;
  lessons: LessonsService;
  curriculum: Curriculum;
  clock: Clock;
  logger: Logger;
}

/** A group's elective track as /schedule shows it: what comes next, in order. */
export interface TrackPlan {
  track: Track;
  upcoming: Lesson[];
}

export interface DemandView {
  needs?: GroupNeeds;
  choices: DemandChoices;
  plans: TrackPlan[];
  /** Skipped lessons still in the curriculum. */
  skipped: Lesson[];
}

/** One topic a group asked for, and what it got since its needs survey closed. */
export interface TopicNeed {
  topic: string;
  votes: number;
  /** Lessons on the topic pushed to the group since the survey closed. */
  pushed: number;
  /** "Studied ✓" marks on those lessons. */
  studied: number;
}

/** A group's needs for the county view. */
export interface GroupNeedsRow {
  groupId: number;
  title: string;
  /** The group's town, when its organisers set one (`/settings town`). */
  town?: string;
  survey: string;
  closedAt: number;
  voters: number;
  topics: TopicNeed[];
}

export type ChoiceResult =
  | { kind: "done"; lesson: Lesson }
  | { kind: "unknown" }
  | { kind: "not-elective"; lesson: Lesson }
  | { kind: "pushed"; lesson: Lesson };

/** The tracks a group's needs survey reorders (schedules stored before the setting existed: technology). */
export function electiveTracks(group: GroupInfo): Track[] {
  return (group.schedule.elective_tracks ?? ["technology"]).filter((t) => !group.tracksOff.includes(t));
}

export function createDemandService(deps: DemandDeps) {
  const { repo, lessons, curriculum, clock } = deps;
  const log = deps.logger.child({ feature: "demand" });

  async function order(group: GroupInfo, track: Track, remaining: Lesson[]): Promise<Lesson[]> {
    if (!electiveTracks(group).includes(track)) return remaining;
    const [needs, choices] = await Promise.all([repo.needs(group.id), repo.choices(group.id)]);
    return orderRemaining(remaining, { votes: needs?.votes ?? {}, ...choices });
  }

  async function plans(group: GroupInfo): Promise<TrackPlan[]> {
    return Promise.all(electiveTracks(group).map(async (track) => ({ track, upcoming: await lessons.upcomingLessons(group, track) })));
  }

  /** A lesson from what an organiser typed: its number in /schedule's list of what comes next, or its id. */
  async function find(group: GroupInfo, input: string): Promise<Lesson | undefined> {
    if (/^\d{1,3}$/.test(input)) return (await plans(group)).flatMap((p) => p.upcoming)[Number(input) - 1];
    return curriculum.byId.get(input);
  }

  /** Checks that a lesson may be pinned or skipped in this group: elective, and not pushed yet. */
  async function choosable(group: GroupInfo, input: string): Promise<ChoiceResult> {
    const lesson = await find(group, input);
    if (!lesson) return { kind: "unknown" };
    if (!electiveTracks(group).includes(lesson.track)) return { kind: "not-elective", lesson };
    const remaining = await lessons.remainingLessons(group.id, lesson.track);
    if (!remaining.some((l) => l.id === lesson.id)) return { kind: "pushed", lesson };
    return { kind: "done", lesson };
  }

  return {
    /** The lessonOrder hook: a group's remaining lessons of a track, in the order its needs and organisers say. */
    order,

    /** The surveyClosed hook: a closed survey whose questions name topics becomes the group's needs. */
    async surveyClosed(group: GroupInfo, result: SurveyRunResult): Promise<void> {
      const votes = topicVotes(result.questions);
      if (Object.keys(votes).length === 0) return; // not a needs survey
      const voters = Math.max(0, ...result.questions.filter((q) => q.topics).map((q) => q.voters));
      await repo.saveNeeds(group.id, { survey: result.name, runId: result.runId, closedAt: result.closedAt ?? clock.now(), voters, votes });
      log.info({ group: group.id, run: result.runId, topics: Object.keys(votes).length, voters }, "needs recorded");
    },

    /** What /schedule shows about the group's elective lessons. */
    async view(group: GroupInfo): Promise<DemandView> {
      const [needs, choices, trackPlans] = await Promise.all([repo.needs(group.id), repo.choices(group.id), plans(group)]);
      const skipped = choices.skips.flatMap((id) => {
        const lesson = curriculum.byId.get(id);
        return lesson ? [lesson] : [];
      });
      return { ...(needs ? { needs } : {}), choices, plans: trackPlans, skipped };
    },

    /** Pins a lesson (number in /schedule or id) to come next in its track. */
    async pin(group: GroupInfo, input: string): Promise<ChoiceResult> {
      const found = await choosable(group, input);
      if (found.kind === "done") await repo.pin(group.id, found.lesson.id, clock.now());
      return found;
    },

    /** Skips a lesson (number in /schedule or id): it is not pushed to this group. */
    async skip(group: GroupInfo, input: string): Promise<ChoiceResult> {
      const found = await choosable(group, input);
      if (found.kind === "done") await repo.skip(group.id, found.lesson.id);
      return found;
    },

    /** Undoes a pin or a skip of a lesson (by id). */
    async restore(group: GroupInfo, input: string): Promise<ChoiceResult> {
      const lesson = curriculum.byId.get(input);
      if (!lesson || !(await repo.restore(group.id, lesson.id))) return { kind: "unknown" };
      return { kind: "done", lesson };
    },

    /** Turns the reordering by votes on or off for the group (pins and skips stay). */
    setReorder: (group: GroupInfo, on: boolean) => repo.setReorder(group.id, on),

    /** The group's elective tracks become `tracks` (none: every track keeps the curriculum order); returns them in track order. */
    async setElective(group: GroupInfo, tracks: readonly Track[]): Promise<Track[]> {
      const chosen = TRACKS.filter((t) => tracks.includes(t));
      const fresh = (await deps.groups.get(group.id)) ?? group;
      await deps.groups.update(group.id, { schedule: { ...fresh.schedule, elective_tracks: chosen } });
      log.info({ group: group.id, tracks: chosen }, "elective tracks set");
      return chosen;
    },

    /**
     * The county view (/report, the console): for every active group with a closed needs survey, the
     * topics it asked for, most wanted first, and the lessons on each pushed and studied since.
     */
    async needsAcrossGroups(): Promise<GroupNeedsRow[]> {
      const rows: GroupNeedsRow[] = [];
      for (const group of await deps.groups.activeGroups()) {
        const needs = await repo.needs(group.id);
        if (!needs) continue;
        const since = (await lessons.pushes(group.id)).filter((p) => p.at >= needs.closedAt);
        const pushedLessons = await Promise.all(
          since.flatMap((p) => {
            const lesson = curriculum.byId.get(p.lessonId);
            return lesson ? [lessons.studiedCount(group.id, lesson.id).then((studied) => ({ lesson, studied }))] : [];
          }),
        );
        const topics = rankedTopics(needs.votes).map(([topic, votes]) => {
          const on = pushedLessons.filter((p) => p.lesson.topics.includes(topic));
          return { topic, votes, pushed: on.length, studied: on.reduce((sum, p) => sum + p.studied, 0) };
        });
        rows.push({ groupId: group.id, title: group.title, ...(group.town ? { town: group.town } : {}), survey: needs.survey, closedAt: needs.closedAt, voters: needs.voters, topics });
      }
      // By town (groups without one last), then title.
      return rows.sort((a, b) => Number(!a.town) - Number(!b.town) || (a.town ?? "").localeCompare(b.town ?? "") || a.title.localeCompare(b.title) || a.groupId - b.groupId);
    },
  };
}

export type DemandService = ReturnType<typeof createDemandService>;
