import { Redis } from "ioredis";
import pino from "pino";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import { createGroupsRepository, type GroupInfo } from "../../src/groups/index.js";
import { createOutbox, createPacingRepository } from "../../src/outbox/index.js";
import type { SimChat, SimMessage, Simulator } from "../../tools/simulator/index.js";
import { waitFor } from "../support/wait-for.js";

/** The cron of one slot at `at` (UTC, to the second): fires once that day. */
export function cronAt(at: number): string {
  const d = new Date(at);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
}

/**
 * `count` groups the bot is a member of, registered in Redis directly (no welcome messages to
 * spend the rate limit on), each with one technology slot at `slotAt`.
 */
export async function seedGroups(sim: Simulator, redisUrl: string, count: number, slotAt: number): Promise<SimChat[]> {
  const redis = new Redis(redisUrl, { protocol: 2 });
  const repo = createGroupsRepository(redis);
  const since = Date.now() - 60_000;
  const chats: SimChat[] = [];
  for (let i = 0; i < count; i++) {
    const chat = sim.group({ title: `村${i}`, type: "supergroup" });
    sim.state.chats.get(chat.id)?.members.set(sim.bot.id, { status: "member", since });
    chats.push(chat);
  }
  await Promise.all(
    chats.map((chat) => {
      const group: GroupInfo = {
        id: chat.id,
        title: chat.title ?? "",
        type: "supergroup",
        isForum: false,
        active: true,
        locale: "zh",
        timeZone: "UTC",
        registeredAt: since,
        tracksOff: [],
        // No sign-in with the lesson: only the lesson itself is counted here.
        schedule: { ...structuredClone(DEFAULT_SCHEDULE), signin_with_lesson: 0, lessons: [{ track: "technology", cron: cronAt(slotAt) }] },
        scheduleUpdatedAt: since,
      };
      return repo.save(group);
    }),
  );
  await redis.quit();
  return chats;
}

/** The lesson messages (the part with the buttons) the bot has posted in a chat. */
export const lessonsIn = (sim: Simulator, chat: SimChat): SimMessage[] =>
  sim.botMessages(chat).filter((m) => Boolean(m.reply_markup?.inline_keyboard?.length));

/** How many outbox jobs are unfinished, read the way the bot reads it. */
export async function outboxDepth(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { protocol: 2, maxRetriesPerRequest: 2 });
  const outbox = createOutbox({ redis, pacing: createPacingRepository(redis), logger: pino({ level: "silent" }), perSecond: 1, perGroupPerMinute: 1, concurrency: 1 });
  try {
    return await outbox.depth();
  } finally {
    await outbox.stop();
    await redis.quit();
  }
}

/** Waits until every chat has at least one lesson and the outbox is empty. */
export async function waitDelivered(sim: Simulator, redisUrl: string, chats: SimChat[], timeoutMs: number): Promise<void> {
  const missing = () => chats.filter((c) => lessonsIn(sim, c).length === 0).length;
  await waitFor(async () => missing() === 0 && (await outboxDepth(redisUrl)) === 0, {
    timeout: timeoutMs,
    interval: 250,
    message: `fan-out not finished: ${chats.length} groups, some without the lesson or jobs left`,
  });
}

/** How many sends the outbox jobs have recorded as done (with the message id Telegram answered). */
export async function recordedSends(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { protocol: 2, maxRetriesPerRequest: 2 });
  try {
    let count = 0;
    for await (const keys of redis.scanStream({ match: "{sx:outbox}:outbox:*", type: "hash", count: 500 }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        const data = await redis.hget(key, "data");
        if (!data) continue;
        const done = (JSON.parse(data) as { done?: Record<string, number> }).done ?? {};
        count += Object.values(done).filter((id) => id > 0).length;
      }
    }
    return count;
  } finally {
    await redis.quit();
  }
}

/** The most sends received within any 1,000 ms (Telegram's window, as the simulator counts it). */
export function busiestSecond(sorted: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[i] ?? 0) <= (sorted[j] ?? 0) - 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}
