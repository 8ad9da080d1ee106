import { Composer } from "../shared/composer.js";
import type { BotContext } from "../shared/context.js";
import { escapeHtml, splitTelegramHtml } from "../content/index.js";
import { NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import type { SurveysService } from "./surveys.service.js";
import { parseDeadline, resultsText } from "./surveys.texts.js";
import type { PollRef } from "./surveys.repository.js";
import type { PollAnswer } from "grammy/types";
import { localDateTime } from "../settings/index.js";

const MAX_ARG = 64;

/** /survey [name [deadline]|results|close] for administrators, and the votes on survey polls. */
/** `claimed`: the poll's record the dispatcher already read for this answer (src/surveys/index.ts). */
export function createSurveysComposer(
  surveys: SurveysService,
  groups: GroupsService,
  claimed?: (answer: PollAnswer) => PollRef | undefined,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("survey", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const arg = ctx.match.trim();
    if (arg.length > MAX_ARG) return ctx.reply(ctx.t("surveys-too-long"));
    const [sub = "", name, extra] = arg.split(/\s+/);
    const say = (key: string, vars?: Record<string, string | number>) => ctx.t(key, vars);
    if (!sub) return ctx.reply(listText(ctx, surveys), { parse_mode: "HTML" });
    if (sub.toLowerCase() === "results") {
      const result = await surveys.latestResults(group.id, name?.toLowerCase());
      if (!result) return ctx.reply(ctx.t("surveys-no-results"));
      // A long survey's results can pass Telegram's message limit: send them in parts.
      for (const part of splitTelegramHtml(resultsText(say, result))) await ctx.reply(part, { parse_mode: "HTML" });
      return;
    }
    if (sub.toLowerCase() === "close") {
      const closed = await surveys.close(group, name?.toLowerCase());
      if (closed.kind === "none") return ctx.reply(ctx.t("surveys-nothing-open"));
      await ctx.reply(ctx.t("surveys-closed", { title: escapeHtml(closed.result.title) }), { parse_mode: "HTML" });
      for (const part of splitTelegramHtml(resultsText(say, closed.result))) await ctx.reply(part, { parse_mode: "HTML" });
      return;
    }
    // `/survey needs 3d`: it closes by itself then; anything else after the name changes nothing.
    const closesInMs = name === undefined ? undefined : parseDeadline(name);
    if ((name !== undefined && closesInMs === undefined) || extra !== undefined) return ctx.reply(ctx.t("surveys-bad-deadline"));
    const threadId = ctx.msg.is_topic_message ? ctx.msg.message_thread_id : undefined;
    const started = await surveys.start(group, sub, threadId, closesInMs);
    if (started.kind === "unknown") {
      return ctx.reply(`${ctx.t("surveys-unknown", { input: escapeHtml(sub) })}\n${listText(ctx, surveys)}`, { parse_mode: "HTML" });
    }
    if (started.kind === "partial") {
      await ctx.reply(ctx.t("surveys-partial", { posted: started.polls, total: started.survey.questions.length }));
    }
    if (started.closesAt !== undefined) {
      await ctx.reply(ctx.t("surveys-closes-at", { at: localDateTime(say, started.closesAt, group.timeZone) }));
    }
  }));

  // Votes on survey polls; anything else (quiz polls) goes on to the features that know it.
  composer.on("poll_answer", async (ctx, next) => {
    const answer = ctx.pollAnswer;
    if (!answer.user) return next();
    const result = await surveys.recordAnswer(answer.poll_id, answer.user, answer.option_ids, ctx.update.update_id, claimed?.(answer));
    if (result === "unknown") return next();
    ctx.log.debug({ poll: answer.poll_id, result }, "survey vote");
  });

  return composer;
}

function listText(ctx: BotContext, surveys: SurveysService): string {
  const all = surveys.available();
  if (all.length === 0) return ctx.t("surveys-none");
  const lines = [ctx.t("surveys-list-title")];
  for (const s of all) lines.push(ctx.t("surveys-list-item", { name: escapeHtml(s.name), title: escapeHtml(s.title), count: s.questions.length }));
  lines.push(ctx.t("surveys-list-hint", { example: escapeHtml(all[0]?.name ?? "needs") }));
  return lines.join("\n");
}
