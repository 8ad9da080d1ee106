import { type Middleware } from "grammy";
import { Composer } from "../shared/composer.js";
import type { User } from "grammy/types";
import type { BotContext } from "../shared/context.js";
import type { GroupInfo } from "./groups.types.js";
import type { GroupsService } from "./groups.service.js";

/** An update in a study group the bot serves, from someone Telegram names. */
export type InGroup<C extends BotContext = BotContext> = C & { group: GroupInfo; from: User };

/** How a refused person is answered: a reply with this locale key, or (a button press) an alert. */
export type Refusal = { reply: string } | { alert: string };

export const NOT_ADMIN: Refusal = { reply: "groups-not-admin" };
const ONLY_IN_GROUP: Refusal = { reply: "groups-only-in-group" };

const inStudyGroup = <C extends BotContext>(ctx: C): ctx is InGroup<C> => ctx.group !== undefined && ctx.from !== undefined;

/** "Is this person an organiser here": the group's administrators (groups.isOrganiser) in its own chat. */
export async function isOrganiserHere(groups: Pick<GroupsService, "isOrganiser">, ctx: BotContext): Promise<boolean> {
  return ctx.group !== undefined && ctx.from !== undefined && (await groups.isOrganiser(ctx.group.id, ctx.from.id));
}

/** Answers a refused person the way the refusal says. */
export async function refuse(ctx: BotContext, refusal: Refusal): Promise<void> {
  if ("alert" in refusal) await ctx.answerCallbackQuery({ text: ctx.t(refusal.alert), show_alert: true });
  else await ctx.reply(ctx.t(refusal.reply));
}

/** Runs `middleware` in a study group the bot serves; anywhere else the sender hears that it only works in one. */
export function inGroup<C extends BotContext>(...middleware: Middleware<InGroup<C>>[]): Composer<C> {
  const guard = new Composer<C>();
  guard.filter(inStudyGroup<C>, ...middleware);
  guard.use((ctx) => refuse(ctx, ONLY_IN_GROUP));
  return guard;
}

/**
 * Runs `middleware` for the organisers of the update's study group; anyone else hears `refusal`
 * (in a chat that is not a study group: that it only works in one).
 */
export function requireOrganiser<C extends BotContext>(
  groups: Pick<GroupsService, "isOrganiser">,
  refusal: Refusal,
  ...middleware: Middleware<InGroup<C>>[]
): Composer<C> {
  const organisers = new Composer<InGroup<C>>();
  organisers.use(async (ctx, next) => ((await groups.isOrganiser(ctx.group.id, ctx.from.id)) ? next() : refuse(ctx, refusal)), ...middleware);
  const guard = new Composer<C>();
  guard.filter(inStudyGroup<C>, organisers);
  // A study group without a sender (it cannot be an organiser) hears the refusal, as before.
  guard.use((ctx) => refuse(ctx, ctx.group ? refusal : ONLY_IN_GROUP));
  return guard;
}
