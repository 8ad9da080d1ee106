import type { Track } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import type { Clock } from "../shared/clock.js";
import type { Locale } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import { graphemeCount } from "../shared/graphemes.js";
import { isValidTimeZone } from "../shared/week.js";
import { advance, parseFlow, withTrackCron, type Flow, type FlowEvent } from "./schedule-flow.js";
import type { SettingsRepository } from "./settings.repository.js";

/** The short list offered as buttons; anything else is typed (`/settings tz <name>`). */
export const TIME_ZONES = [
  "Asia/Shanghai",
  "Asia/Urumqi",
  "Asia/Hong_Kong",
  "Asia/Taipei",
  "Asia/Singapore",
  "Europe/London",
  "Europe/Berlin",
  "America/New_York",
  "UTC",
] as const;

const FLOW_TTL_MS = 15 * 60_000;
/** A town's name at most, in graphemes (a township's name is a few characters; a long one is a mistake). */
export const TOWN_MAX = 30;
/** What clears the town (`/settings town -`). */
export const TOWN_CLEAR = "-";

export type FlowOutcome =
  | { kind: "next"; flow: Flow; group: GroupInfo }
  | { kind: "need-day"; flow: Flow; group: GroupInfo }
  | { kind: "saved"; track: Track; cron: string; group: GroupInfo }
  | { kind: "cancelled"; group: GroupInfo }
  | { kind: "expired" };

export interface SecretaryEntry {
  userId: number;
  name: string;
  privateOk: boolean;
}

export function createSettingsService(deps: { repo: SettingsRepository; groups: GroupsService; clock: Clock; logger: Logger }) {
  const { repo, groups } = deps;
  const log = deps.logger.child({ feature: "settings" });

  async function patch(chatId: number, change: Partial<Omit<GroupInfo, "id">>): Promise<GroupInfo | undefined> {
    const next = await groups.update(chatId, change);
    log.info({ group: chatId, change: Object.keys(change) }, "group settings changed");
    return next;
  }

  return {
    /** The time the schedule is shown at (next pushes). */
    now: () => deps.clock.now(),

    /** Switches the group's language. */
    setLocale: (chatId: number, locale: Locale) => patch(chatId, { locale }),

    /** Sets the group's time zone if it is a real IANA zone; undefined when it is not. */
    async setTimeZone(chatId: number, timeZone: string): Promise<GroupInfo | undefined> {
      if (!isValidTimeZone(timeZone)) return undefined;
      // Normalise the spelling (e.g. asia/shanghai → Asia/Shanghai) as Intl knows it.
      const canonical = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
      return patch(chatId, { timeZone: canonical });
    },

    /**
     * Sets the group's town (spaces collapsed), or clears it with "-"; undefined when the name is too long or has
     * control characters or markup brackets, and nothing changes then.
     */
    async setTown(chatId: number, input: string): Promise<GroupInfo | undefined> {
      const name = input.trim().replace(/\s+/g, " ");
      if (name === TOWN_CLEAR) return patch(chatId, { town: undefined });
      if (!name || graphemeCount(name) > TOWN_MAX || /[\p{Cc}\p{Cf}<>]/u.test(name)) return undefined;
      return patch(chatId, { town: name });
    },

    /** Turns a track on or off. */
    async toggleTrack(group: GroupInfo, track: Track): Promise<GroupInfo | undefined> {
      const fresh = (await groups.get(group.id)) ?? group;
      const off = fresh.tracksOff.includes(track) ? fresh.tracksOff.filter((t) => t !== track) : [...fresh.tracksOff, track];
      return patch(group.id, { tracksOff: off });
    },

    /** Forum groups: lessons go to this topic from now on. */
    setTopic: (chatId: number, topicId: number) => patch(chatId, { topicId }),

    /** Opens the schedule-editing flow on a message. */
    async startFlow(chatId: number, messageId: number): Promise<Flow> {
      const flow: Flow = { step: "track" };
      await repo.startFlow(chatId, messageId, JSON.stringify(flow), FLOW_TTL_MS);
      return flow;
    },

    /** One press in the flow; the last step saves the schedule exactly once. */
    async pressFlow(chatId: number, messageId: number, event: FlowEvent): Promise<FlowOutcome | { kind: "invalid" }> {
      const raw = await repo.flow(chatId, messageId);
      const flow = parseFlow(raw);
      const group = await groups.get(chatId);
      if (!raw || !flow || !group) return { kind: "expired" };
      const result = advance(flow, event);
      switch (result.kind) {
        case "invalid":
          return { kind: "invalid" };
        case "need-day":
          return { kind: "need-day", flow, group };
        case "next":
          if (!(await repo.swapFlow(chatId, messageId, raw, JSON.stringify(result.flow), FLOW_TTL_MS))) return { kind: "expired" };
          return { kind: "next", flow: result.flow, group };
        case "cancelled":
          if (!(await repo.swapFlow(chatId, messageId, raw, "", 0))) return { kind: "expired" };
          return { kind: "cancelled", group };
        case "done": {
          if (!(await repo.swapFlow(chatId, messageId, raw, "", 0))) return { kind: "expired" };
          const lessons = withTrackCron(group.schedule.lessons, result.track, result.cron);
          const saved = (await groups.update(chatId, { schedule: { ...group.schedule, lessons } })) ?? group;
          log.info({ group: chatId, track: result.track, cron: result.cron }, "schedule changed");
          return { kind: "saved", track: result.track, cron: result.cron, group: saved };
        }
      }
    },

    /** Marks or unmarks a branch secretary; says whether they can be messaged privately and whether anything changed. */
    async setSecretary(chatId: number, userId: number, on: boolean): Promise<{ changed: boolean; privateOk: boolean }> {
      const before = (await groups.secretaries(chatId)).includes(userId);
      await groups.setSecretary(chatId, userId, on);
      const profile = await groups.user(userId);
      log.info({ group: chatId, user: userId, on }, "secretary role changed");
      return { changed: before !== on, privateOk: profile?.privateOk ?? false };
    },

    /** The group's secretaries with their names and whether they started the bot privately. */
    async secretaries(chatId: number): Promise<SecretaryEntry[]> {
      const ids = await groups.secretaries(chatId);
      const roster = new Map((await groups.roster(chatId)).map((m) => [m.userId, m.name]));
      return Promise.all(
        ids.map(async (userId) => {
          const profile = await groups.user(userId);
          return { userId, name: roster.get(userId) ?? profile?.name ?? String(userId), privateOk: profile?.privateOk ?? false };
        }),
      );
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
