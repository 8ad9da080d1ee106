import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import { parseTrack } from "../lessons/index.js";
import { localeOf } from "../shared/i18n.js";
import type { PracticeService } from "./practice.service.js";
import type { QuizzesService } from "./quizzes.service.js";
import type { PollMeta } from "./quizzes.repository.js";
import type { PollAnswer } from "grammy/types";
import { cutGraphemes } from "../shared/graphemes.js";

const STOP_WORDS = new Set(["stop", "end", "停止", "结束"]);

/** /quiz, /contest, /practice, and the poll answers and closings they lead to. */
export function createQuizzesComposer(
  quizzes: QuizzesService,
  practice: PracticeService,
  groups: GroupsService,
  /** The poll's record the dispatcher already read for this answer (src/quizzes/index.ts). */
  claimed?: (answer: PollAnswer) => PollMeta | undefined,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("quiz", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const arg = ctx.match.trim();
    const track = arg ? parseTrack(arg) : undefined;
    if (arg && !track)
      return ctx.reply(ctx.t("quizzes-unknown-track", { input: escapeHtml(cutGraphemes(arg, 40)) }), {
        parse_mode: "HTML",
      });
    const result = await quizzes.quizNow(group, track ?? undefined);
    if (result.kind === "no-lesson") return ctx.reply(ctx.t("quizzes-no-lesson"));
    if (result.kind === "no-quiz")
      return ctx.reply(ctx.t("quizzes-no-quiz", { title: escapeHtml(result.lesson.title) }), {
        parse_mode: "HTML",
      });
  }));

  composer.command("contest", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const [bank = "", countText, ...extra] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const banks = quizzes.bankNames();
    if (banks.length === 0) return ctx.reply(ctx.t("quizzes-no-banks"));
    const list = escapeHtml(banks.join(", "));
    if (!bank || extra.length > 0)
      return ctx.reply(ctx.t("quizzes-contest-usage", { banks: list, example: escapeHtml(banks[0] ?? "") }), {
        parse_mode: "HTML",
      });
    const count = countText === undefined ? undefined : /^\d{1,3}$/.test(countText) ? Number(countText) : NaN;
    const result = await quizzes.startContest(group, bank, count);
    switch (result.kind) {
      case "unknown-bank":
        return ctx.reply(
          ctx.t("quizzes-unknown-bank", { input: escapeHtml(cutGraphemes(bank, 40)), banks: list }),
          { parse_mode: "HTML" },
        );
      case "bad-count":
        return ctx.reply(ctx.t("quizzes-bad-count"));
      case "busy":
        return ctx.reply(ctx.t("quizzes-contest-busy"));
      case "started":
        return;
    }
  }));

  composer.command("practice", async (ctx) => {
    if (ctx.chat.type !== "private" || !ctx.from) {
      return ctx.reply(ctx.t("quizzes-practice-private", { bot: ctx.me.username }));
    }
    const arg = ctx.match.trim();
    if (STOP_WORDS.has(arg.toLowerCase())) {
      const tally = await practice.stop(ctx.from.id);
      return ctx.reply(tally ? ctx.t("quizzes-practice-stopped", tally) : ctx.t("quizzes-practice-none"));
    }
    const track = arg ? parseTrack(arg) : undefined;
    if (arg && !track)
      return ctx.reply(ctx.t("quizzes-unknown-track", { input: escapeHtml(cutGraphemes(arg, 40)) }), {
        parse_mode: "HTML",
      });
    const result = await practice.start(ctx.from.id, localeOf(ctx), track ?? undefined);
    if (result.kind === "empty") await ctx.reply(ctx.t("quizzes-practice-empty"));
  });

  composer.on("poll_answer", async (ctx) => {
    const { poll_id, user, option_ids } = ctx.pollAnswer;
    if (!user || user.is_bot) return; // an anonymous voter cannot be scored
    const meta = await quizzes.answer(poll_id, user, option_ids, claimed?.(ctx.pollAnswer));
    if (!meta) ctx.log.debug({ poll: poll_id }, "answer to a poll the bot does not know; ignored");
    else if (meta.kind === "practice")
      await practice.answered(meta, user.id, option_ids, localeOf(ctx));
  });

  composer.on("poll", async (ctx) => {
    if (ctx.poll.is_closed) await quizzes.pollClosed(ctx.poll.id);
  });

  return composer;
}
