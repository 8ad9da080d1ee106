import { badRequest } from "../errors.js";
import { apiUser } from "../serialize.js";
import type { MethodContext, MethodTable } from "./context.js";

export const updateMethods: MethodTable = {
  getMe: (ctx) => ({
    ...apiUser(ctx.state.bot),
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),
  getUpdates: (ctx: MethodContext) => {
    const { params, queue } = ctx;
    queue.setAllowed(params.json("allowed_updates"));
    const p: { offset?: number; limit?: number; timeout?: number } = {};
    const offset = params.int("offset");
    const limit = params.int("limit");
    const timeout = params.int("timeout");
    if (offset !== undefined) p.offset = offset;
    if (limit !== undefined) p.limit = limit;
    if (timeout !== undefined) p.timeout = timeout;
    return queue.getUpdates(p, ctx.signal);
  },
  setWebhook: (ctx) => {
    const url = ctx.params.str("url") ?? "";
    const secret = ctx.params.str("secret_token");
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest("secret token contains unallowed characters");
    ctx.queue.setAllowed(ctx.params.json("allowed_updates"));
    const drop = ctx.params.bool("drop_pending_updates") ?? false;
    if (url === "") {
      ctx.queue.setWebhook(undefined, drop);
      return true;
    }
    if (!/^https?:\/\//.test(url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    const maxConnections = ctx.params.int("max_connections");
    if (maxConnections !== undefined && (maxConnections < 1 || maxConnections > 100)) throw badRequest("bad webhook: max_connections must be between 1 and 100");
    ctx.queue.setWebhook({ url, ...(secret ? { secret_token: secret } : {}), ...(maxConnections ? { max_connections: maxConnections } : {}) }, drop);
    return true;
  },
  deleteWebhook: (ctx) => {
    ctx.queue.setWebhook(undefined, ctx.params.bool("drop_pending_updates") ?? false);
    return true;
  },
  getWebhookInfo: (ctx) => {
    const hook = ctx.queue.webhook;
    return {
      url: hook?.url ?? "",
      has_custom_certificate: false,
      ...(hook ? { max_connections: hook.max_connections ?? 40 } : {}),
      pending_update_count: ctx.queue.pendingCount,
      ...(hook?.last_error_date ? { last_error_date: hook.last_error_date, last_error_message: hook.last_error_message } : {}),
      ...(ctx.queue.allowedUpdates.length ? { allowed_updates: ctx.queue.allowedUpdates } : {}),
    };
  },
  logOut: () => true,
  close: () => true,
};
