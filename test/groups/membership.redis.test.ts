import { GrammyError, type Api } from "grammy";
import type { User } from "grammy/types";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import { createGroupsRepository, createGroupsService, type GroupsService } from "../../src/groups/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";

const GROUP = -100_500;
const EXPERTS = -100_900;
const COUNTY = 7;

let server: TestRedis;
let redis: Redis;
let groups: GroupsService;
/** What Telegram answers to getChatMember, per chat and user; a missing entry is an error. */
let telegram: Map<string, Record<string, unknown>>;
let asked: string[];

const user = (id: number): User => ({ id, is_bot: false, first_name: `用户${id}` });
const says = (chat: number, id: number, member: Record<string, unknown>) => telegram.set(`${chat}:${id}`, { user: user(id), ...member });

// Only getChatMember is reached by the membership checks.
const api = {
  getChatMember: async (chatId: number, userId: number) => {
    asked.push(`${chatId}:${userId}`);
    const answer = telegram.get(`${chatId}:${userId}`);
    if (!answer) throw new GrammyError("Call to 'getChatMember' failed!", { ok: false, error_code: 400, description: "Bad Request: user not found" }, "getChatMember", {});
    return answer;
  },
} as unknown as Api;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  groups = createGroupsService({
    repo: createGroupsRepository(redis),
    api,
    clock: { now: () => Date.now() },
    logger: pino({ level: "silent" }),
    config: { defaultLocale: "zh", defaultTimeZone: "Asia/Shanghai", organizerIds: [COUNTY], defaultSchedule: DEFAULT_SCHEDULE, expertsChatId: EXPERTS },
  });
  await groups.register({ id: GROUP, type: "supergroup", title: "红星村" });
});
afterAll(async () => {
  await redis?.quit();
  await server?.destroy();
});
beforeEach(() => {
  telegram = new Map();
  asked = [];
});

const onRoster = async (id: number) => (await groups.roster(GROUP)).some((m) => m.userId === id);

describe("confirming who is in a group", () => {
  it("a restricted member still in the group counts; a restricted one who left, a kicked one and a failed check do not", async () => {
    says(GROUP, 11, { status: "restricted", is_member: true });
    says(GROUP, 12, { status: "restricted", is_member: false });
    says(GROUP, 13, { status: "kicked", until_date: 0 });
    expect(await groups.confirmMember(GROUP, user(11))).toBe(true);
    expect(await groups.confirmMember(GROUP, user(12))).toBe(false);
    expect(await groups.confirmMember(GROUP, user(13))).toBe(false);
    expect(await groups.confirmMember(GROUP, user(14))).toBe(false); // Telegram said "user not found"
    expect([await onRoster(11), await onRoster(12), await onRoster(13), await onRoster(14)]).toEqual([true, false, false, false]);
  });

  it("a failed check is not cached: the next answer asks Telegram again", async () => {
    expect(await groups.confirmMember(GROUP, user(21))).toBe(false);
    says(GROUP, 21, { status: "member" });
    expect(await groups.confirmMember(GROUP, user(21))).toBe(true);
    expect(asked).toEqual([`${GROUP}:21`, `${GROUP}:21`]);
  });

  it("a stranger's verdict is cached: a flood of answers costs one call", async () => {
    says(GROUP, 31, { status: "left" });
    for (let i = 0; i < 5; i++) expect(await groups.confirmMember(GROUP, user(31))).toBe(false);
    expect(asked).toEqual([`${GROUP}:31`]);
    expect(await redis.pttl(`sx:{g${GROUP}}:member-check:31`)).toBeGreaterThan(0);
  });

  it("someone who left is not let back in by the cached yes from before they left", async () => {
    says(GROUP, 41, { status: "member" });
    expect(await groups.confirmMember(GROUP, user(41))).toBe(true);
    await groups.memberLeft(GROUP, 41);
    says(GROUP, 41, { status: "left" });
    expect(await groups.confirmMember(GROUP, user(41))).toBe(false);
    expect(await onRoster(41)).toBe(false);
  });
});

describe("who may use the private member features", () => {
  it("a roster member of an active group, a county organiser and an expert may; a stranger and the member of a group the bot left may not", async () => {
    await groups.touchMember(GROUP, user(51));
    says(EXPERTS, 52, { status: "member" });
    says(EXPERTS, 53, { status: "left" });
    expect(await groups.mayUsePrivately(51)).toBe(true);
    expect(await groups.mayUsePrivately(COUNTY)).toBe(true);
    expect(await groups.mayUsePrivately(52)).toBe(true);
    expect(await groups.mayUsePrivately(53)).toBe(false);
    await groups.deactivate(GROUP);
    expect(await groups.mayUsePrivately(51)).toBe(false);
  });
});
