/**
 * What one press of `/me`, `/faq` and `/top` costs on a synthetic county of BENCH_GROUPS (300)
 * groups: Redis commands issued (counted on the client, pipelined ones included) and
 * milliseconds, through the same services the bot's composers call. `npm run bench commands`.
 *
 * Baseline, measured with this file on main at 4df2ba2 before issue 9 changed the commands
 * (300 groups × 60 members; ms on a loaded 2-core machine, so read the commands column first):
 *   /me in private 940 commands 219–929 ms · /me in a group 39 · /top 19 · /top all 19 ·
 *   /faq in a group 604 commands 50–471 ms · /faq in private 601 commands 45–257 ms.
 */
import pino from "pino";
import { createApp } from "../src/bot/create-app.js";
import { parseConfig } from "../src/config/config.js";
import { createQuestionsRepository, type Question } from "../src/questions/index.js";
import { createGroupsRepository } from "../src/groups/index.js";
import { createLessonsRepository } from "../src/lessons/index.js";
import { groupKey } from "../src/shared/keys.js";
import { unpaced } from "../src/shared/pacer.js";
import { shiftWeek, weekIdAt } from "../src/shared/week.js";
import { TZ, groupIdOf, userOf, writeGroups, writeWeeks } from "./county.js";
import { startBenchRedis } from "./redis.js";
import { countCommands } from "../test/support/command-counter.js";
import { median } from "./measure.js";

const GROUPS = Number(process.env.BENCH_GROUPS ?? 300);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 60);
const WEEKS = 4;
const out = (line: string) => process.stdout.write(`${line}\n`);

const TOPICS = ["大棚蔬菜滴灌多久冲洗一次", "果树冬季修剪注意什么", "网店直播带货怎么开通", "老人高血压平时怎么护理", "入党积极分子如何培养"];

/** Every group: one answered question made public, one answered but not public; group 1 also a secretary's private one. */
async function writeQuestions(redis: Parameters<typeof createQuestionsRepository>[0], now: number): Promise<void> {
  const repo = createQuestionsRepository(redis);
  let next = 0;
  const ask = async (g: number, chatId: number, text: string, pub: boolean) => {
    const id = ++next;
    const q: Question = {
      id, chatId, messageId: id, groupId: groupIdOf(g), groupTitle: `第${g + 1}村学习群`, userId: userOf(g, 1), userName: "成员",
      track: "technology", text, locale: "zh", timeZone: TZ, askedAt: now - 86_400_000 + id, reminderHours: 24,
    };
    await repo.save(q);
    const answer = { n: 1, expertId: 1, expertName: "专家", at: now - 3_600_000 + id, excerpt: `${text}：专家的回答` };
    await repo.recordAnswer(q, answer);
    if (pub) await repo.makePublic(id, 1, now - 1000 + id, { id, n: 1, groupId: groupIdOf(g), question: text, answer: answer.excerpt, at: answer.at });
  };
  for (let g = 0; g < GROUPS; g++) {
    await ask(g, groupIdOf(g), `${TOPICS[g % TOPICS.length]}？（${g}）`, true);
    await ask(g, groupIdOf(g), `${TOPICS[(g + 1) % TOPICS.length]}？`, false);
  }
  await ask(0, userOf(0, 2), `${TOPICS[0]}？支部书记的私下问题`, false);
}

export async function benchCommands(): Promise<void> {
  out(`\n# commands: /me, /faq, /top on a county of ${GROUPS} groups × ${MEMBERS} members`);
  const { redis, url, stop } = await startBenchRedis();
  try {
    const now = Date.now();
    const current = weekIdAt(now, TZ);
    const weekIds = Array.from({ length: WEEKS }, (_, i) => shiftWeek(current, i - WEEKS + 1));
    const groupsList = await writeGroups(createGroupsRepository(redis), createLessonsRepository(redis), {
      groups: GROUPS, members: MEMBERS, weekIds, lessonIds: ["technology-01"],
    });
    await writeWeeks(redis, { groups: GROUPS, members: MEMBERS, weekIds });
    // The all-time hash: the current week's counters, doubled (the bench needs its shape, not its sums).
    for (let g = 0; g < GROUPS; g++) {
      const week = await redis.hgetall(groupKey(groupIdOf(g), "wk", current));
      const doubled = Object.entries(week).flatMap(([k, v]) => [k, String(Number(v) * 2)]);
      if (doubled.length > 0) await redis.hset(groupKey(groupIdOf(g), "all"), ...doubled);
    }
    await writeQuestions(redis, now);
    // A third of group 1 has left since: their scores stay on the boards, their names are not on the roster.
    const groupsRepo = createGroupsRepository(redis);
    for (let m = 0; m < MEMBERS; m += 3) await groupsRepo.removeMember(groupIdOf(0), userOf(0, m + 1), now);

    // Nothing measured here calls Telegram (these commands only read Redis): an API root that points nowhere, and no start().
    const config = parseConfig({ BOT_TOKEN: "123456:bench-token-not-used-000000", TELEGRAM_API_ROOT: "http://127.0.0.1:9", REDIS_URL: url, CONTENT_DIR: "content" });
    const app = await createApp(config, { logger: pino({ level: "silent" }), redis, clock: { now: () => now }, pacer: unpaced, instanceId: "bench" });
    const { services } = app;
    const counter = countCommands(redis);
    const group = groupsList[0]!;
    const member = userOf(0, 3);

    async function measure(label: string, fn: () => Promise<unknown>): Promise<void> {
      await fn(); // warm-up
      const times: number[] = [];
      let commands = 0;
      for (let i = 0; i < 5; i++) {
        counter.reset();
        const started = performance.now();
        await fn();
        times.push(performance.now() - started);
        commands = counter.count();
      }
      out(`  ${label.padEnd(40)} ${String(commands).padStart(7)} Redis commands ${median(times).toFixed(2).padStart(9)} ms`);
    }

    await measure("/me in private (member of 1 group)", () => services.scores.myGroups(member));
    await measure("/me in a group", () => services.scores.me(group, member));
    await measure("/top (this week)", () => services.scores.board(group, "week"));
    await measure("/top all", () => services.scores.board(group, "all"));
    await measure("/faq in a group", () => services.questions.answers.faq("大棚滴灌多久冲洗", group.id));
    await measure("/faq in private", () => services.questions.answers.faq("大棚滴灌多久冲洗", undefined, member));
    counter.restore();
    await app.stop();
  } finally {
    await stop();
  }
}
