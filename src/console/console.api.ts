import type { IncomingMessage, ServerResponse } from "node:http";
import type { Track } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import { parseWeekArg, weeksEndingWith, type ReportsService } from "../reports/index.js";
import { isLocale, LOCALES, ourLocale, type Locale, type Translate } from "../shared/i18n.js";
import type { Logger } from "../shared/logger.js";
import { mayOrganise, mayViewMember, roleOf, viewerOf, type Viewer } from "./console.access.js";
import type { ConsoleActions } from "./console.actions.js";
import { checkInitData, type InitDataUser } from "./console.auth.js";
import type { ConsoleService } from "./console.service.js";
import { pageStrings } from "./console.strings.js";

export interface ApiDeps {
  botToken: string;
  groups: GroupsService;
  reports: ReportsService;
  consoleService: ConsoleService;
  actions: ConsoleActions;
  defaultLocale: Locale;
  t: Translate;
  clock: { now(): number };
  logger: Logger;
}

/** `GET me`: who the server says the caller is. */
export interface MeView {
  user: { id: number; name: string };
  role: ReturnType<typeof roleOf>;
  locale: Locale;
  organises: { id: number; title: string }[];
  memberOf: { id: number; title: string }[];
}
/** `GET county`. */
export type CountyView = Awaited<ReturnType<ConsoleService["county"]>>;
/** `GET group/<id>`. */
export type GroupView = { group: { id: number; title: string; timeZone: string; tracks: Track[] } } & Awaited<ReturnType<ConsoleService["group"]>>;
/** `GET group/<id>/member/<user>`. */
export type MemberView = { group: { id: number; title: string; timeZone: string } } & Awaited<ReturnType<ConsoleService["member"]>>;

type Reply = { status: number; body?: unknown; file?: { bytes: Buffer; name: string; type: string } };

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** A JSON body larger than this is refused before it is read. */
const MAX_BODY = 4096;

const json = (status: number, body: unknown): Reply => ({ status, body });
const forbidden = json(403, { error: "forbidden" });
const notFound = json(404, { error: "not-found" });

/** `Authorization: tma <initData>`, the Mini App convention. */
function initDataOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith("tma ") ? header.slice(4) : undefined;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The console's JSON API under `<base>/console/api/`: every call authenticated by the Mini App's initData. */
export function createConsoleApi(deps: ApiDeps) {
  const { groups, reports, consoleService, actions, clock } = deps;
  const log = deps.logger.child({ feature: "console" });

  const localeOf = (user: InitDataUser): Locale => ourLocale(user.languageCode) ?? deps.defaultLocale;
  // The page's words, from the bot's own locale files: public, the same for everyone, built once.
  const strings = Object.fromEntries(LOCALES.map((l) => [l, JSON.stringify(pageStrings(deps.t, l))]));

  function weekOf(url: URL, timeZone: string): string | undefined {
    const r = parseWeekArg(url.searchParams.get("week") ?? "", clock.now(), timeZone);
    return r.ok ? r.weekId : undefined;
  }

  async function groupOr404(id: string | undefined): Promise<GroupInfo | undefined> {
    if (!id || !/^-?\d{1,20}$/.test(id)) return undefined;
    const group = await groups.get(Number(id));
    return group?.active ? group : undefined;
  }

  async function route(req: IncomingMessage, path: string[], url: URL, user: InitDataUser): Promise<Reply> {
    const viewer: Viewer = await viewerOf(groups, user);
    const get = req.method === "GET";
    const [head, id, sub, arg] = path;

    if (get && head === "me" && path.length === 1) {
      const brief = (g: GroupInfo) => ({ id: g.id, title: g.title });
      const me: MeView = {
        user: { id: user.id, name: [user.firstName, user.lastName].filter(Boolean).join(" ") },
        role: roleOf(viewer),
        locale: localeOf(user),
        organises: viewer.organises.map(brief),
        memberOf: viewer.memberOf.map(brief),
      };
      return json(200, me);
    }

    if (head === "county") {
      if (!viewer.county) return forbidden;
      const weekId = weekOf(url, reports.timeZone);
      if (!weekId) return json(400, { error: "week" });
      if (get && path.length === 1) return json(200, await consoleService.county(weekId));
      if (get && id === "report.xlsx" && path.length === 2) {
        const { xlsx } = await reports.countyReport(weekId, localeOf(user));
        return xlsx ? { status: 200, file: { bytes: xlsx, name: `sanxue-county-${weekId}.xlsx`, type: XLSX } } : notFound;
      }
      return notFound;
    }

    if (head !== "group") return notFound;
    const group = await groupOr404(id);
    // A group that does not exist and one the viewer may not see look the same to a stranger.
    if (!group) return viewer.county ? notFound : forbidden;

    if (get && sub === "member" && arg && /^\d{1,15}$/.test(arg) && path.length === 4) {
      const userId = Number(arg);
      if (!(await mayViewMember(groups, viewer, group.id, userId))) return forbidden;
      const body: MemberView = { group: { id: group.id, title: group.title, timeZone: group.timeZone }, ...(await consoleService.member(group, userId, clock.now())) };
      return json(200, body);
    }

    if (!(await mayOrganise(groups, viewer, group.id))) return forbidden;
    const weekId = weekOf(url, group.timeZone);
    if (get && path.length === 2) {
      if (!weekId) return json(400, { error: "week" });
      const view = await consoleService.group(group, weekId);
      const body: GroupView = { group: { id: group.id, title: group.title, timeZone: group.timeZone, tracks: groups.enabledTracks(group) }, ...view };
      return json(200, body);
    }
    if (get && sub === "export.xlsx" && path.length === 3) {
      if (!weekId) return json(400, { error: "week" });
      const weeks = Number(url.searchParams.get("weeks") ?? "1");
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) return json(400, { error: "weeks" });
      const files = await reports.exportFiles(group, weeksEndingWith(weekId, weeks));
      return { status: 200, file: { bytes: files.xlsx, name: files.xlsxName, type: XLSX } };
    }
    if (req.method !== "POST") return notFound;
    const input = await bodyOf(req);
    if (!input) return json(400, { error: "body" });
    const action = path.slice(2).join("/");
    const done =
      action === "push" ? await actions.push(group, user.id, input)
      : action === "signin/open" ? await actions.openSignin(group, user.id, input)
      : action === "signin/close" ? await actions.closeSignin(group)
      : action === "remind" ? await actions.remind(group, input)
      : undefined;
    if (!done) return notFound;
    log.info({ group: group.id, user: user.id, action, status: done.status }, "console action");
    return json(done.status, done.body);
  }

  return {
    /** Answers one API request; `path` is what follows `/console/api/`. */
    async handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
      if (req.method === "GET" && path === "strings") {
        const asked = url.searchParams.get("locale");
        const locale = isLocale(asked) ? asked : deps.defaultLocale;
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" });
        return void res.end(strings[locale]);
      }
      const check = checkInitData(initDataOf(req), deps.botToken, clock.now());
      let reply: Reply;
      if (!check.ok) {
        log.info({ reason: check.reason }, "console request refused");
        reply = json(401, { error: check.reason });
      } else {
        reply = await route(req, path.split("/").filter(Boolean), url, check.user);
        if (reply.status === 403) log.info({ user: check.user.id, path: path.replace(/\d+/g, "#") }, "console request forbidden");
      }
      const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
      if (reply.file) {
        res.writeHead(reply.status, { ...headers, "content-type": reply.file.type, "content-disposition": `attachment; filename="${reply.file.name}"` });
        res.end(reply.file.bytes);
      } else {
        res.writeHead(reply.status, { ...headers, "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(reply.body ?? {}));
      }
    },
  };
}
