import { useMemo, useState } from "preact/hooks";
import { Sparkline } from "./charts.js";
import { pct, type T } from "./format.js";
import type { County } from "./types.js";

const TRACKS = ["constitution", "policy", "technology"];

/** Every group ranked by the participation index, with its parts and 8-week trend; filter by name (town, village) or track. */
export function CountyView({ data, t, open }: { data: County; t: T; open(groupId: number): void }) {
  const [query, setQuery] = useState("");
  const [track, setTrack] = useState("");
  const rows = useMemo(
    () => data.groups.filter((g) => (!query || g.title.includes(query.trim())) && (!track || g.tracks.includes(track))),
    [data, query, track],
  );
  const inactive = data.groups.filter((g) => g.inactive).length;
  return (
    <section>
      <div class="tiles">
        <div class="tile"><b data-testid="county-groups">{data.groups.length}</b><span>{t("groups")}</span></div>
        <div class="tile warn"><b data-testid="county-inactive">{inactive}</b><span>{t("inactive")}</span></div>
      </div>
      <div class="filters">
        <input type="search" placeholder={t("search")} value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        <select value={track} onChange={(e) => setTrack((e.target as HTMLSelectElement).value)}>
          <option value="">{t("all-tracks")}</option>
          {TRACKS.map((k) => <option value={k}>{t(`track-${k}`)}</option>)}
        </select>
      </div>
      <table class="rank">
        <thead>
          <tr><th>#</th><th>{t("group")}</th><th>{t("index")}</th><th>{t("trend")}</th></tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.id} class={g.inactive ? "inactive" : ""} data-group={g.id} onClick={() => open(g.id)}>
              <td>{g.rank}</td>
              <td>
                <div class="title">{g.title}</div>
                <div class="parts">
                  {t("studied")} {pct(g.studied)} · {t("signed-in")} {pct(g.signedIn)} · {t("quiz")} {pct(g.quiz)} · {t("members")} {g.members}
                  {g.inactive ? <span class="flag"> · {t("inactive")}</span> : null}
                </div>
              </td>
              <td class="num">
                <b data-testid="index">{g.index}</b>
                <div class={g.change >= 0 ? "up" : "down"}>{g.change > 0 ? `+${g.change}` : g.change}</div>
              </td>
              <td><Sparkline values={g.trend} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
