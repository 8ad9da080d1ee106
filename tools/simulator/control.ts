import type { IncomingMessage, ServerResponse } from "node:http";
import { parseBody } from "./body.js";
import { sendJson } from "./server.js";
import type { Simulator } from "./simulator.js";
import type { SimChat, SimMessage, SimUser } from "./types.js";

type Body = Record<string, unknown>;

/** JSON-friendly view of a message (file bytes as base64). */
function view(m: SimMessage): Record<string, unknown> {
  const { chat, from, poll, photo, document, voice, ...rest } = m;
  const file = (f: typeof photo) => (f ? { ...f, bytes: f.bytes.toString("base64") } : undefined);
  return {
    ...rest,
    chat_id: chat.id,
    from: from.id,
    from_name: from.first_name,
    photo: file(photo),
    document: file(document),
    voice: file(voice),
    poll: poll ? { ...poll, votes: Object.fromEntries(poll.votes) } : undefined,
  };
}

/** The thin `/_sim/<action>` surface for driving the simulator from another process. */
export function controlHandler(getSim: () => Simulator) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const sim = getSim();
    const action = url.pathname.slice("/_sim/".length);
    const body: Body = (await parseBody(req, url)).fields;
    const user = (key: string): SimUser => {
      const u = sim.state.userRecord(Number(body[key]))?.user;
      if (!u) throw new Error(`unknown user ${String(body[key])}`);
      return u;
    };
    const chat = (key = "chat"): SimChat => {
      const c = sim.state.chats.get(Number(body[key]))?.chat;
      if (!c) throw new Error(`unknown chat ${String(body[key])}`);
      return c;
    };
    const users = (key: string): SimUser[] =>
      ((body[key] as number[] | undefined) ?? []).map((id) => sim.state.userRecord(Number(id))?.user).filter((u): u is SimUser => !!u);
    try {
      switch (action) {
        case "user":
          return sendJson(res, 200, sim.user(body as { first_name: string }));
        case "group":
          return sendJson(res, 200, sim.group({ ...(body as { title: string }), admins: users("admins"), members: users("members") }));
        case "addBot":
          sim.addBot(chat(), { by: user("by"), asAdmin: Boolean(body["asAdmin"]) });
          return sendJson(res, 200, { ok: true });
        case "upgrade":
          return sendJson(res, 200, sim.upgradeToSupergroup(chat(), { by: user("by") }));
        case "join":
          return sendJson(res, 200, view(sim.join(chat(), user("user"))));
        case "start":
          return sendJson(res, 200, view(await sim.startPrivate(user("user"))));
        case "send": {
          const opts = { ...(body["replyTo"] ? { replyTo: Number(body["replyTo"]) } : {}), ...(body["threadId"] ? { threadId: Number(body["threadId"]) } : {}) };
          return sendJson(res, 200, view(await sim.send(user("from"), chat(), String(body["text"] ?? ""), opts)));
        }
        case "press": {
          const m = sim.messages(chat()).find((x) => x.message_id === Number(body["message_id"]));
          if (!m) throw new Error("unknown message");
          return sendJson(res, 200, { answer: await sim.press(user("from"), m, String(body["button"])) });
        }
        case "answerPoll":
          await sim.answerPoll(user("from"), String(body["poll_id"]), (body["options"] as number[] | undefined) ?? []);
          return sendJson(res, 200, { ok: true });
        case "messages":
          return sendJson(res, 200, sim.messages(chat()).map(view));
        case "transcript":
          return sendJson(res, 200, sim.transcript());
        default:
          return sendJson(res, 404, { ok: false, description: `unknown simulator action ${action}` });
      }
    } catch (err) {
      return sendJson(res, 400, { ok: false, description: err instanceof Error ? err.message : String(err) });
    }
  };
}
