import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml } from "../content/index.js";
import { cutGraphemes } from "../shared/graphemes.js";
import { localeOf } from "../shared/i18n.js";
import { dayIdAt, localParts } from "../shared/week.js";
import type { Reminders } from "./review.jobs.js";
import { MORE_DATA } from "./review.keyboards.js";
import type { ReviewService } from "./review.service.js";
import { formatClockTime, parseClockTime } from "./review-time.js";

const ON = new Set(["on", "开", "开启", "打开"]);
const OFF = new Set(["off", "关", "关闭"]);

/** `2026-12-03 20:30` in the member's zone. */
const localMinute = (at: number, timeZone: string) => {
  const p = localParts(at, timeZone);
  return `${dayIdAt(at, timeZone)} ${formatClockTime(p)}`;
};

/** /review [on HH:MM | off], its "More" button and the answers to its polls. */
export function createReviewComposer(review: ReviewService, reminders: Reminders): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("review", async (ctx) => {
    if (ctx.chat.type !== "private" || !ctx.from) return ctx.reply(ctx.t("review-private", { bot: ctx.me.username }));
    const userId = ctx.from.id;
    const [word = "", timeText, ...extra] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const usage = () => ctx.reply(ctx.t("review-usage"));
    if (ON.has(word.toLowerCase())) {
      const time = timeText && extra.length === 0 ? parseClockTime(timeText) : undefined;
      if (!time) return usage();
      const { timeZone } = await reminders.on(userId, time, localeOf(ctx));
      return ctx.reply(ctx.t("review-reminder-on", { time: formatClockTime(time), zone: timeZone }));
    }
    if (OFF.has(word.toLowerCase()) && !timeText) {
      await reminders.off(userId, localeOf(ctx));
      return ctx.reply(ctx.t("review-reminder-off"));
    }
    if (word) {
      return ctx.reply(ctx.t("review-unknown", { input: escapeHtml(cutGraphemes(word, 20)) }), { parse_mode: "HTML" });
    }
    const result = await review.start(userId, localeOf(ctx));
    if (result.kind === "nothing")
      return ctx.reply(
        result.next === undefined
          ? ctx.t("review-no-cards")
          : ctx.t("review-nothing-due", { next: localMinute(result.next, result.timeZone) }),
      );
  });

  composer.callbackQuery(MORE_DATA, async (ctx) => {
    const sent = await review.more(ctx.from.id);
    await ctx.answerCallbackQuery({ text: sent > 0 ? ctx.t("review-more-sent", { count: sent }) : ctx.t("review-more-none") });
  });

  composer.on("poll_answer", async (ctx) => {
    const { poll_id, user, option_ids } = ctx.pollAnswer;
    if (!user || user.is_bot) return;
    await review.answered(poll_id, user.id, option_ids, localeOf(ctx));
  });

  return composer;
}
