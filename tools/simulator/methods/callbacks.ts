import { badRequest } from "../errors.js";
import type { MethodContext, MethodTable } from "./context.js";

const TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

function answerCallbackQuery(ctx: MethodContext): unknown {
  const { state, params } = ctx;
  const id = params.requireStr("callback_query_id", "callback_query_id is empty");
  const pending = state.callbacks.get(id);
  if (!pending || pending.answered || state.now() - pending.createdAt > ctx.options.callbackExpiryMs) {
    throw badRequest(TOO_OLD);
  }
  const text = params.str("text");
  if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
  pending.answered = true;
  const showAlert = params.bool("show_alert");
  const url = params.str("url");
  const answer = { ...(text ? { text } : {}), ...(showAlert ? { show_alert: true } : {}), ...(url ? { url } : {}) };
  if (text) ctx.events.line(`  ↳ ${showAlert ? "alert" : "toast"} to ${pending.from.first_name}: ${text}`);
  pending.resolve(answer);
  return true;
}

export const callbackMethods: MethodTable = { answerCallbackQuery };
