import { render } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, createClient, loadStrings, type Client } from "./api.js";
import { CountyView } from "./county.js";
import type { T } from "./format.js";
import { GroupPage } from "./group.js";
import { applyTheme, readLaunch, tellReady } from "./launch.js";
import { MemberPage } from "./member.js";
import type { County, GroupView, Me, MemberView } from "./types.js";
import "uplot/dist/uPlot.min.css";
import "./style.css";

type Route = { view: "home" } | { view: "group"; groupId: number } | { view: "member"; groupId: number; userId: number };
type Loaded = { kind: "county"; data: County } | { kind: "group"; data: GroupView } | { kind: "member"; data: MemberView };

const launch = readLaunch(location.hash);
applyTheme(launch.theme, document.documentElement);
const client = createClient(launch.initData);

/** A button's `?g=<id>`, or `g<id>` in a direct link's startapp, opens that group (the server decides whether it may be seen). */
function startRoute(): Route {
  const fromButton = new URLSearchParams(location.search).get("g") ?? "";
  const m = /^-?\d{1,20}$/.test(fromButton) ? [fromButton, fromButton] : /^g(-?\d{1,20})$/.exec(launch.startParam ?? "");
  return m ? { view: "group", groupId: Number(m[1]) } : { view: "home" };
}

function App({ client, strings }: { client: Client; strings: Record<string, string> }) {
  const t: T = (key) => strings[key] ?? key;
  const [me, setMe] = useState<Me>();
  const [stack, setStack] = useState<Route[]>([startRoute()]);
  const [week, setWeek] = useState<string>();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<number>();
  const [tick, setTick] = useState(0);
  // A refresh after an action keeps the page (and the action's status) on screen while the new figures load.
  const quiet = useRef(false);
  const route = stack.at(-1) ?? { view: "home" };
  const fail = (err: unknown) => setError(err instanceof ApiError ? err.status : 500);

  useEffect(() => void client.get<Me>("me").then(setMe, fail), []);
  useEffect(() => {
    if (!me) return;
    if (!quiet.current) setLoaded(undefined);
    quiet.current = false;
    setError(undefined);
    const q = week ? `?week=${week}` : "";
    const own = me.memberOf[0];
    const load = async (): Promise<Loaded | undefined> => {
      // A member sent to a group's page (a button under /stats) sees their own record there.
      if (route.view === "group" && me.role === "member") {
        return { kind: "member", data: await client.get<MemberView>(`group/${route.groupId}/member/${me.user.id}`) };
      }
      if (route.view === "group") return { kind: "group", data: await client.get<GroupView>(`group/${route.groupId}${q}`) };
      if (route.view === "member") {
        const data = await client.get<MemberView>(`group/${route.groupId}/member/${route.userId}`);
        return { kind: "member", data };
      }
      if (me.role === "county") return { kind: "county", data: await client.get<County>(`county${q}`) };
      const first = me.organises[0];
      if (first) return { kind: "group", data: await client.get<GroupView>(`group/${first.id}${q}`) };
      if (own) return { kind: "member", data: await client.get<MemberView>(`group/${own.id}/member/${me.user.id}`) };
      return undefined;
    };
    load().then((l) => {
      setLoaded(l);
      tellReady();
    }, fail);
  }, [me, route, week, tick]);

  const push = useCallback((r: Route) => setStack((s) => [...s, r]), []);
  const shiftWeek = (by: number) => {
    const current = loaded?.kind === "county" ? loaded.data.weekId : loaded?.kind === "group" ? loaded.data.stats.weekId : undefined;
    if (!current) return;
    const [y, w] = current.split("-W").map(Number) as [number, number];
    const d = new Date(Date.UTC(y, 0, 4 + (w - 1) * 7 + by * 7));
    const day = (d.getUTCDay() + 6) % 7;
    d.setUTCDate(d.getUTCDate() - day + 3);
    const year = d.getUTCFullYear();
    const week1 = new Date(Date.UTC(year, 0, 4));
    const n = 1 + Math.round(((d.getTime() - week1.getTime()) / 86_400_000 - 3 + ((week1.getUTCDay() + 6) % 7)) / 7);
    setWeek(`${year}-W${String(n).padStart(2, "0")}`);
  };

  if (error) return <p class="message" data-testid="error">{t(error === 401 ? "unauthorized" : error === 403 ? "forbidden" : "error")}</p>;
  if (me && me.role === "none") return <p class="message">{t("none")}</p>;
  const title =
    loaded?.kind === "county" ? t("county") : loaded?.kind === "group" ? loaded.data.group.title : loaded?.kind === "member" ? loaded.data.name : t("title");
  const weekId = loaded?.kind === "county" ? loaded.data.weekId : loaded?.kind === "group" ? loaded.data.stats.weekId : undefined;
  return (
    <main>
      <header>
        {stack.length > 1 ? <button class="link" data-action="back" onClick={() => setStack((s) => s.slice(0, -1))}>{t("back")}</button> : null}
        <h1 data-testid="title">{title}</h1>
        {weekId ? (
          <div class="week">
            <button class="link" onClick={() => shiftWeek(-1)}>{t("week-prev")}</button>
            <span data-testid="week">{weekId}</span>
            <button class="link" onClick={() => shiftWeek(1)}>{t("week-next")}</button>
          </div>
        ) : null}
      </header>
      {!loaded ? <p class="hint" data-testid="loading">{t("loading")}</p>
        : loaded.kind === "county" ? <CountyView data={loaded.data} t={t} open={(groupId) => push({ view: "group", groupId })} />
        : loaded.kind === "group" ? <GroupPage data={loaded.data} t={t} client={client} reload={() => {
          quiet.current = true;
          setTick((n) => n + 1);
        }} openMember={(userId) => push({ view: "member", groupId: loaded.data.group.id, userId })} />
        : <MemberPage data={loaded.data} t={t} />}
    </main>
  );
}

const root = document.getElementById("app");
const locale = launch.languageCode?.toLowerCase().startsWith("en") ? "en" : (document.documentElement.lang || "zh");
loadStrings(locale).then((strings) => {
  if (root) render(<App client={client} strings={strings} />, root);
});
