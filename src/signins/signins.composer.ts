import { Composer } from "../shared/composer.js";
import { payingToll } from "../floods/index.js";
import type { BotContext } from "../shared/context.js";
import { inGroup, NOT_ADMIN, requireOrganiser, type GroupsService } from "../groups/index.js";
import { escapeHtml } from "../content/index.js";
import { decodeCallback } from "../shared/callback-data.js";
import { parseOpenArgs } from "./attendance.js";
import { SIGNIN_PREFIX } from "./signins.keyboards.js";
import type { SignInResult, SigninsService } from "./signins.service.js";
import { clockTime } from "./signins.texts.js";
import { LIST_KIND } from "./signins.handoff.js";
import { parseHandoff } from "../shared/private-handoff.js";
import { cutGraphemes, cutToUnits } from "../shared/graphemes.js";

/** What a member is told about a sign-in attempt (button toast or /signin reply). */
function answerFor(ctx: BotContext, r: SignInResult): string {
  const title = (s: { title: string }) => cutGraphemes(s.title, 80);
  switch (r.kind) {
    case "signed-in":
      return ctx.t(r.late ? "signins-toast-late" : "signins-toast-present", { title: title(r.session) });
    case "already":
      return ctx.t("signins-toast-already");
    case "closed":
      return ctx.t("signins-toast-closed");
    case "unknown":
      return ctx.t("signins-toast-unknown");
    case "none-open":
      return ctx.t("signins-none-open");
  }
}

export function createSigninsComposer(signins: SigninsService, groups: GroupsService): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const replyTo = (ctx: BotContext) => ({ message_id: ctx.msgId ?? 0, allow_sending_without_reply: true });
  const threadOf = (ctx: BotContext) => (ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined);

  // The deep link of a closing's note: the list of a session no organiser could be written to.
  composer.command("start", async (ctx, next) => {
    const link = ctx.chat?.type === "private" ? parseHandoff(LIST_KIND, ctx.match) : undefined;
    if (link?.id === undefined || !ctx.from) return next();
    const result = await signins.listFromLink(link.groupId, link.id, ctx.from.id);
    if (result !== "sent") await ctx.reply(ctx.t(`signins-link-${result}`));
  });

  composer.command("open_signin", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const args = parseOpenArgs(ctx.match);
    if (!args.ok)
      return ctx.reply(ctx.t(args.problem === "minutes" ? "signins-bad-minutes" : "signins-title-too-long"));
    const result = await signins.open(group, {
      minutes: args.minutes,
      title: args.title ?? ctx.t("signins-default-title"),
      openedBy: ctx.from.id,
      threadId: threadOf(ctx),
    });
    if (result.kind === "already-open") {
      const s = result.session;
      await ctx.reply(
        ctx.t("signins-already-open", {
          title: escapeHtml(s.title),
          until: clockTime(s.closesAt, group.timeZone),
        }),
        {
          parse_mode: "HTML",
          reply_parameters: replyTo(ctx),
        },
      );
    }
  }));

  composer.command("close_signin", requireOrganiser(groups, NOT_ADMIN, async (ctx) => {
    const group = ctx.group;
    const result = await signins.closeOpen(group);
    if (!result || result.kind !== "closed") return ctx.reply(ctx.t("signins-none-open"));
    await ctx.reply(
      ctx.t("signins-closed-reply", { signed: result.counts.signed, absent: result.counts.absent }),
      { reply_parameters: replyTo(ctx) },
    );
  }));

  // For members whose app hides inline buttons.
  composer.command("signin", inGroup(async (ctx) => {
    const group = ctx.group;
    const result = await signins.signInOpen(group, ctx.from.id);
    await ctx.reply(answerFor(ctx, result), { reply_parameters: replyTo(ctx) });
  }));

  composer.command("leave", inGroup(async (ctx) => {
    const group = ctx.group;
    const r = await signins.leave(group, ctx.from.id, ctx.match);
    const text =
      r.kind === "bad-reason"
        ? ctx.t(r.problem === "missing" ? "signins-leave-missing" : "signins-leave-too-long")
        : r.kind === "excused"
          ? ctx.t("signins-leave-now", { title: escapeHtml(r.session.title) })
          : r.kind === "excused-next"
            ? ctx.t("signins-leave-next")
            : ctx.t("signins-leave-signed-in");
    await ctx.reply(text, { parse_mode: "HTML", reply_parameters: replyTo(ctx) });
  }));

  composer.callbackQuery(new RegExp(`^${SIGNIN_PREFIX}:`), async (ctx) => {
    const parts = decodeCallback(ctx.callbackQuery.data, SIGNIN_PREFIX, 1);
    const id = Number(parts?.[0]);
    const group = ctx.group;
    if (!group || !parts || !/^\d{1,9}$/.test(parts[0] ?? "") || !Number.isSafeInteger(id)) {
      return ctx.answerCallbackQuery({ text: ctx.t("signins-toast-unknown") });
    }
    // The press's flood window and roster touch are paid in the sign-in's own script.
    const result = await payingToll(ctx, (toll) => signins.signIn(group, ctx.from.id, id, toll));
    if (!result) return; // over a flood limit: answered
    await ctx.answerCallbackQuery({ text: cutToUnits(answerFor(ctx, result), 200) });
  });

  return composer;
}
