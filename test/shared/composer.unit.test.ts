import { describe, expect, it } from "vitest";
import { Api, Composer as GrammyComposer, Context, type MiddlewareFn } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { Composer } from "../../src/shared/composer.js";

const me: UserFromGetMe = {
  id: 42, is_bot: true, first_name: "Bot", username: "sanxue_bot", can_join_groups: true,
  can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
  has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false, can_manage_bots: false,
  supports_join_request_queries: false,
};
const api = new Api("1:token");
const user = { id: 7, is_bot: false, first_name: "Li" };
const group = { id: -100, type: "group" as const, title: "村" };
const privateChat = { id: 7, type: "private" as const, first_name: "Li" };
const text = (t: string, chat: typeof group | typeof privateChat = group): Update => ({
  update_id: 1,
  message: {
    message_id: 1, date: 1, chat, from: user, text: t,
    ...(t.startsWith("/") ? { entities: [{ type: "bot_command" as const, offset: 0, length: t.split(" ")[0]?.length ?? 0 }] } : {}),
  },
});
const press = (data: string): Update => ({
  update_id: 2,
  callback_query: { id: "q", from: user, chat_instance: "c", data, message: { message_id: 3, date: 1, chat: group, text: "签到" } },
});
const UPDATES: [string, Update][] = [
  ["a text", text("hello")],
  ["/start", text("/start")],
  ["/help in private", text("/help", privateChat)],
  ["/help in a group", text("/help")],
  ["/stop", text("/stop now")],
  ["a sign-in press", press("si:1")],
  ["another press", press("zz:1")],
  ["a long text", text("x".repeat(30))],
];

type AnyComposer = GrammyComposer<Context>;

/** The same registrations on either class; `trace` says which middleware ran, in order. */
function program(make: () => AnyComposer, trace: string[]): AnyComposer {
  const log = (name: string, stop = false): MiddlewareFn<Context> => async (_ctx, next) => {
    trace.push(name);
    await Promise.resolve();
    if (!stop) await next();
    trace.push(`${name} done`);
  };
  const c = make();
  c.use(log("first"));
  c.on("message:text", log("text"));
  c.command("start", log("start", true));
  c.chatType("private").command("help", log("private help", true));
  c.callbackQuery(/^si:/, log("sign-in", true));
  c.filter(async (ctx) => (ctx.msg?.text?.length ?? 0) > 20, log("long"));
  c.drop((ctx) => Boolean(ctx.callbackQuery), log("not a press"));
  c.branch((ctx) => ctx.chat?.type === "private", log("yes"), [log("no 1"), log("no 2")]);
  c.lazy(async () => [log("lazy 1"), log("lazy 2")]);
  c.route((ctx) => (ctx.msg?.text?.startsWith("/stop") ? "stop" : undefined), { stop: log("route stop", true) }, log("route fallback"));
  const inner = make();
  inner.use(log("inner 1")).use(log("inner 1b"));
  inner.use(log("inner 2"));
  c.use(inner);
  c.errorBoundary(() => void trace.push("caught"), log("guarded"), () => {
    throw new Error("boom");
  });
  c.use(log("last"));
  return c;
}

async function traceOf(make: () => AnyComposer, update: Update): Promise<string[]> {
  const trace: string[] = [];
  const mw = program(make, trace).middleware();
  await mw(new Context(update, api, me), async () => void trace.push("end"));
  return trace;
}

describe("the list-walking Composer", () => {
  it.each(UPDATES)("runs what grammY's runs, in the same order, for %s", async (_name, update) => {
    const ours = await traceOf(() => new Composer<Context>(), update);
    const grammys = await traceOf(() => new GrammyComposer<Context>(), update);
    expect(ours).toEqual(grammys);
    expect(ours.length).toBeGreaterThan(2);
  });

  it("rejects a second call of next, and turns a thrown error into a rejection", async () => {
    const twice = new Composer<Context>(async (_ctx, next) => {
      await next();
      await next();
    }, () => undefined);
    await expect(twice.middleware()(new Context(text("x"), api, me), async () => undefined)).rejects.toThrow("`next` already called before!");
    const throws = new Composer<Context>(() => {
      throw new Error("sync");
    });
    const run = throws.middleware()(new Context(text("x"), api, me), async () => undefined);
    expect(run).toBeInstanceOf(Promise);
    await expect(run).rejects.toThrow("sync");
  });

  it("is done only when the middleware after next is done, as grammY's is", async () => {
    let finished = false;
    const c = new Composer<Context>();
    c.use((_ctx, next) => next());
    c.use(async () => {
      await new Promise((r) => setTimeout(r, 5));
      finished = true;
    });
    await c.middleware()(new Context(text("x"), api, me), async () => undefined);
    expect(finished).toBe(true);
  });

  it("sees middleware added to a composer after it was registered (ours and grammY's)", async () => {
    for (const Kind of [Composer, GrammyComposer]) {
      const trace: string[] = [];
      const outer = new Composer<Context>();
      const inner = new Kind<Context>();
      outer.use(inner);
      inner.use(() => void trace.push("added later"));
      await outer.middleware()(new Context(text("x"), api, me), async () => undefined);
      expect(trace).toEqual(["added later"]);
    }
  });
});
