import { Composer } from "../shared/composer.js";
import { payingToll } from "../floods/index.js";
import type { BotContext } from "../shared/context.js";
import { decodeCallback } from "../shared/callback-data.js";
import { NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import { escapeHtml } from "../content/index.js";
import { STUDIED_PREFIX, VIEW_PREFIX, missedKeyboard } from "./lessons.keyboards.js";
import type { LessonsService, PushResult } from "./lessons.service.js";
import { parseTrack } from "./tracks.js";
import { cutGraphemes, cutToUnits } from "../shared/graphemes.js";
import { handoffKeyboard, handoffPayload, parseHandoff } from "../shared/private-handoff.js";
import { MISSING_KIND } from "./missing-secretaries.js";

export function createLessonsComposer(lessons: LessonsService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("push", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const arg = ctx.match.trim();
    const track = arg ? parseTrack(arg) : undefined;
    if (arg && !track) return ctx.reply(ctx.t("lessons-push-unknown-track", { input: escapeHtml(cutGraphemes(arg, 40)) }), { parse_mode: "HTML" });
    const result = await lessons.pushNext(group, track ?? undefined);
    const reply = describe(ctx, result, lessons);
    if (result.kind !== "secretaries" || result.missing.length === 0) {
      if (reply) await ctx.reply(reply, { parse_mode: "HTML" });
      return;
    }
    // Who was missed names members: the group reads a count, the names go to the organiser privately.
    const count = result.missing.length;
    const where = await lessons.missingSecretaries.report(group, ctx.from.id, result.lesson.title, result.missing);
    if (where === "private") return ctx.reply(`${reply}\n${ctx.t("lessons-secretaries-missing-sent", { count })}`, { parse_mode: "HTML" });
    await ctx.reply(`${reply}\n${ctx.t("lessons-secretaries-missing-link", { count })}`, {
      parse_mode: "HTML",
      reply_markup: handoffKeyboard(ctx.me.username, handoffPayload(MISSING_KIND, group.id), ctx.t("lessons-secretaries-missing-button")),
    });
  }));

  composer.command("start", async (ctx, next) => {
    const link = ctx.chat?.type === "private" ? parseHandoff(MISSING_KIND, ctx.match) : undefined;
    if (!link || link.id !== undefined || !ctx.from) return next();
    const result = await lessons.missingSecretaries.fromLink(link.groupId, ctx.from.id);
    if (result !== "sent") await ctx.reply(ctx.t(`lessons-missing-link-${result}`));
  });

  composer.callbackQuery(new RegExp(`^${STUDIED_PREFIX}:`), async (ctx) => {
    const data = ctx.callbackQuery.data;
    const inGroup = decodeCallback(data, STUDIED_PREFIX, 1);
    const inPrivate = decodeCallback(data, STUDIED_PREFIX, 2);
    let group = ctx.group;
    let ref = inGroup?.[0];
    if (!inGroup && inPrivate && ctx.chat?.type === "private") {
      const [r, gid] = inPrivate;
      const candidate = await groups.get(Number(gid));
      if (candidate && (await lessons.canStudyPrivately(candidate.id, ctx.from.id))) {
        group = candidate;
        ref = r;
      }
    }
    if (!group || !ref) return ctx.answerCallbackQuery({ text: ctx.t("lessons-button-stale") });
    // In a group, the press's flood window and roster touch are paid in the Studied script.
    const studiedIn = group;
    const result = await payingToll(ctx, (toll) => lessons.markStudied(studiedIn, ctx.from.id, ref, toll));
    if (!result) return; // over a flood limit: answered
    if (result.kind === "stale") return ctx.answerCallbackQuery({ text: ctx.t("lessons-button-stale") });
    const text =
      result.kind === "counted"
        ? ctx.t("lessons-studied-toast", { title: cutGraphemes(result.lesson.title, 80) })
        : ctx.t("lessons-studied-already");
    await ctx.answerCallbackQuery({ text: cutToUnits(text, 200) });
  });

  // Catching up in private: the lessons of the member's groups they have not marked studied.
  const listMissed = async (ctx: BotContext) => {
    if (ctx.chat?.type !== "private" || !ctx.from) {
      const link = `https://t.me/${ctx.me.username}?start=lessons`;
      return ctx.reply(ctx.t("lessons-use-private"), { reply_markup: { inline_keyboard: [[{ text: ctx.t("lessons-open-private"), url: link }]] } });
    }
    if (!(await groups.mayUsePrivately(ctx.from.id))) return ctx.reply(ctx.t("groups-members-only"));
    const missed = await lessons.missedLessons(ctx.from.id);
    if (missed.length === 0) {
      const inAny = (await groups.groupsOf(ctx.from.id)).length > 0;
      return ctx.reply(ctx.t(inAny ? "lessons-none-missed" : "lessons-no-groups"));
    }
    const items = missed.map(({ group, lesson }) => ({ groupId: group.id, lessonId: lesson.id, label: `${lesson.title} · ${group.title}` }));
    await ctx.reply(ctx.t("lessons-missed-title", { count: missed.length }), { reply_markup: missedKeyboard(items) });
  };
  // `/lessons edit|remove` are the written lessons' (src/lessons/authoring), answered after this composer.
  composer.command("lessons", (ctx, next) => (/^(edit|remove)\b/i.test(ctx.match.trim()) ? next() : listMissed(ctx)));
  composer.command("start", async (ctx, next) => (ctx.match === "lessons" ? listMissed(ctx) : next()));

  composer.callbackQuery(new RegExp(`^${VIEW_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, VIEW_PREFIX, 2);
    const lesson = parts ? lessons.lessonByRef(parts[0] ?? "") : undefined;
    const group = parts ? await groups.get(Number(parts[1])) : undefined;
    if (!lesson || !group || ctx.chat?.type !== "private" || !(await lessons.canViewPrivately(group.id, ctx.from.id, lesson)))
      return ctx.answerCallbackQuery({ text: ctx.t("lessons-button-stale") });
    await ctx.answerCallbackQuery();
    await lessons.sendPrivately(ctx.from.id, group, lesson);
  });

  return composer;
}

function describe(ctx: BotContext, result: PushResult, lessons: LessonsService): string | undefined {
  const group = ctx.group;
  const name = (track: string) => ctx.t(`lessons-track-${track}`);
  switch (result.kind) {
    case "pushed":
      // The lesson itself is the answer; what Telegram refused on the way is for the organiser who asked.
      return group && result.problems.length > 0 ? lessons.fixNotice(group, result.lesson, result.problems, false) : undefined;
    case "refused":
      return group ? lessons.fixNotice(group, result.lesson, [result.problem], true) : undefined;
    case "secretaries": {
      const title = escapeHtml(result.lesson.title);
      if (result.total === 0) return ctx.t("lessons-no-secretaries", { title });
      const sent = ctx.t("lessons-pushed-to-secretaries", { title, count: result.sent, total: result.total });
      return sent; // the names of those missed never go into the group (see /push)
    }
    case "finished":
      return result.track ? ctx.t("lessons-track-finished", { track: name(result.track) }) : ctx.t("lessons-all-finished");
    case "track-off":
      return ctx.t("lessons-track-off", { track: name(result.track) });
    case "no-lessons":
      return ctx.t("lessons-no-lessons");
    case "blocked":
      return group ? undefined : ctx.t("lessons-bot-blocked");
  }
}
