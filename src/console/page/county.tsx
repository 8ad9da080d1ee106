import { useMemo, useState } from "preact/hooks";
import { Sparkline } from "./charts.js";
import { pct, type T } from "./format.js";
import type { County, GroupNeeds, Track } from "./types.js";

const TRACKS: readonly Track[] = ["constitution", "policy", "technology"];
/** The town filter's value for groups whose organisers set no town. */
const NO_TOWN = "\u0000";

/** Every group ranked by the participation index, with its parts and 8-week trend; filter by town or track; the needs across groups. */
export function CountyView({ data, t, open }: { data: County; t: T; open(groupId: number): void }) {
  const [town, setTown] = useState("");
  const [track, setTrack] = useState<Track | "">("");
  const inTown = (g: { town?: string | null }) => !town || (town === NO_TOWN ? !g.town : g.town === town);
  const rows = useMemo(() => data.groups.filter((g) => inTown(g) && (!track || g.tracks.includes(track))), [data, town, track]);
  const needs = useMemo(() => data.needs.filter(inTown), [data, town]);
  const inactive = data.groups.filter((g) => g.inactive).length;
  return (
    <section>
      <div class="tiles">
        <div class="tile"><b data-testid="county-groups">{data.groups.length}</b><span>{t("groups")}</span></div>
        <div class="tile warn"><b data-testid="county-inactive">{inactive}</b><span>{t("inactive")}</span></div>
      </div>
      <div class="filters">
        <select data-testid="town-filter" aria-label={t("town")} value={town} onChange={(e) => setTown((e.target as HTMLSelectElement).value)}>
          <option value="">{t("all-towns")}</option>
          {data.towns.map((name) => <option value={name}>{name}</option>)}
          {data.groups.some((g) => !g.town) ? <option value={NO_TOWN}>{t("no-town")}</option> : null}
        </select>
        <select data-testid="track-filter" aria-label={t("all-tracks")} value={track} onChange={(e) => setTrack(TRACKS.find((k) => k === (e.target as HTMLSelectElement).value) ?? "")}>
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
                {g.town ? <div class="town" data-testid="town">{g.town}</div> : null}
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
      <Needs rows={needs} t={t} />
    </section>
  );
}

/** Training by demand across groups: what each town's groups asked for, and the lessons on it pushed and studied since. */
function Needs({ rows, t }: { rows: GroupNeeds[]; t: T }) {
  return (
    <>
      <h3>{t("needs")}</h3>
      {rows.length === 0 ? <p class="hint">{t("needs-none")}</p> : (
        <ul class="needs">
          {rows.map((r) => (
            <li key={r.groupId} data-needs={r.groupId}>
              <div class="title">{r.town ? `${r.town} · ${r.title}` : r.title}</div>
              <div class="hint">{r.survey} · {r.voters} {t("voters")}</div>
              <table class="topics">
                <thead><tr><th>{t("topic")}</th><th class="num">{t("votes")}</th><th class="num">{t("pushed-since")}</th><th class="num">{t("studied-since")}</th></tr></thead>
                <tbody>
                  {r.topics.map((topic) => (
                    <tr key={topic.topic} data-topic={topic.topic}>
                      <td>{topic.topic}</td><td class="num">{topic.votes}</td><td class="num">{topic.pushed}</td><td class="num">{topic.studied}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
