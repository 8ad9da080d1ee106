import { useMemo, useState } from "preact/hooks";
import type { Client } from "./api.js";
import { Trend, type Series } from "./charts.js";
import { duration, pct, when, type T } from "./format.js";
import type { GroupView } from "./types.js";

type SortKey = "name" | "studied" | "signins" | "quiz" | "last";

/** One group's week: trends, lessons, sign-ins, hardest items, the member table and the organiser's actions. */
export function GroupPage({ data, t, client, openMember, reload }: { data: GroupView; t: T; client: Client; openMember(userId: number): void; reload(): void }) {
  const { stats, trend, group } = data;
  const weeks = trend.map((w) => w.weekId);
  const shares: Series[] = useMemo(
    () => [
      { label: t("studied"), values: trend.map((w) => w.studiedShare), color: "#2481cc" },
      { label: t("signed-in"), values: trend.map((w) => w.signinRate), color: "#31a24c" },
      { label: t("quiz"), values: trend.map((w) => w.quizShare), color: "#e5a00d" },
      { label: t("quiz-score"), values: trend.map((w) => w.quizScore), color: "#c2185b" },
    ],
    [trend],
  );
  const counts: Series[] = useMemo(
    () => [
      { label: t("asked"), values: trend.map((w) => w.asked), color: "#7b1fa2" },
      { label: t("answered"), values: trend.map((w) => w.answered), color: "#00897b" },
    ],
    [trend],
  );
  const now = trend.at(-1);
  return (
    <section>
      <div class="tiles">
        <div class="tile"><b data-testid="members">{stats.members}</b><span>{t("members")}</span></div>
        <div class="tile"><b data-testid="group-index">{stats.participation.index}</b><span>{t("index")}</span></div>
        <div class="tile"><b>{now && now.medianAnswerMs !== null ? duration(now.medianAnswerMs) : "—"}</b><span>{t("median-answer")}</span></div>
      </div>
      <h3>{t("trend")}</h3>
      <Trend weeks={weeks} series={shares} />
      <Trend weeks={weeks} series={counts} percent={false} />
      <h3>{t("this-week-lessons")}</h3>
      {stats.lessons.length === 0 ? <p class="hint">{t("nothing")}</p> : (
        <ul class="bars">
          {stats.lessons.map((l) => (
            <li key={l.lessonId} data-testid="lesson">
              <span class="title">{l.title}</span>
              <span class="bar"><i style={{ width: pct(l.share) }} /></span>
              <span class="num">{pct(l.share)} · {l.studied}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t("sessions")}</h3>
      {(stats.signins.sessions ?? []).length === 0 ? <p class="hint">{t("nothing")}</p> : (
        <table class="sessions">
          <thead><tr><th>{t("sessions")}</th><th>{t("present")}</th><th>{t("late")}</th><th>{t("excused")}</th><th>{t("absent")}</th></tr></thead>
          <tbody>
            {(stats.signins.sessions ?? []).map((s) => (
              <tr key={s.id} data-testid="session"><td>{s.title}<div class="hint">{when(s.openedAt, group.timeZone)}</div></td><td>{s.signed - s.late}</td><td>{s.late}</td><td>{s.excused}</td><td>{s.absent}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t("hardest")}</h3>
      {(stats.quiz.hardest ?? []).length === 0 ? <p class="hint">{t("nothing")}</p> : (
        <ol class="hardest">
          {(stats.quiz.hardest ?? []).map((h) => <li>{h.question} · {pct(h.correct / h.answered)} ({h.correct}/{h.answered})</li>)}
        </ol>
      )}
      <Review data={data} t={t} />
      <Elective data={data} t={t} />
      <Members data={data} t={t} openMember={openMember} />
      <Actions data={data} t={t} client={client} reload={reload} />
    </section>
  );
}

/** Spaced review as /stats gives it: the share of members reviewing this week and the questions most often forgotten. */
function Review({ data, t }: { data: GroupView; t: T }) {
  const { review, members } = data.stats;
  const forgotten = review.forgotten ?? [];
  return (
    <>
      <h3>{t("review")}</h3>
      <p data-testid="reviewing">{t("reviewing")} {review.members}/{members} ({pct(members > 0 ? review.members / members : 0)}) · {t("review-answers")} {review.answers}</p>
      {forgotten.length === 0 ? null : (
        <>
          <div class="hint">{t("forgotten")}</div>
          <ol class="hardest">{forgotten.map((f) => <li data-testid="forgotten">{f.question} · {t("forgotten-times")} {f.times}</li>)}</ol>
        </>
      )}
    </>
  );
}

/** The elective tracks' order as /schedule shows it: the needs survey's topics, then what comes next, pins marked. */
function Elective({ data, t }: { data: GroupView; t: T }) {
  const { needs, plans, reorder, skipped } = data.demand;
  if (plans.length === 0) return null;
  return (
    <>
      <h3>{t("elective")}</h3>
      {needs && needs.topics.length > 0
        ? <p data-testid="most-wanted">{t("most-wanted")}: {needs.topics.map((n) => `${n.topic} (${n.votes})`).join(", ")}</p>
        : <p class="hint">{t("needs-none-group")}</p>}
      {reorder ? null : <p class="hint">{t("reorder-off")}</p>}
      {plans.map((p) => (
        <div key={p.track}>
          <div class="hint">{t(`track-${p.track}`)}</div>
          {p.upcoming.length === 0 ? <p class="hint">{t("finished")}</p> : (
            <ol class="upcoming">
              {p.upcoming.map((l) => <li key={l.id} data-lesson={l.id}>{l.title}{l.pinned ? <span class="flag"> · {t("pinned")}</span> : null}</li>)}
            </ol>
          )}
        </div>
      ))}
      {skipped.length > 0 ? <p class="hint">{t("skipped")}: {skipped.map((l) => l.title).join(", ")}</p> : null}
    </>
  );
}

function Members({ data, t, openMember }: { data: GroupView; t: T; openMember(userId: number): void }) {
  const [sort, setSort] = useState<SortKey>("studied");
  const rows = useMemo(() => {
    const key = (m: GroupView["members"][number]): number | string =>
      sort === "name" ? m.name : sort === "last" ? -(m.lastActive ?? 0) : -(m.week[sort === "studied" ? "lessons_studied" : sort === "signins" ? "signins" : "quiz_answers"] ?? 0);
    return [...data.members].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return typeof x === "string" ? x.localeCompare(String(y)) : x - Number(y) || a.name.localeCompare(b.name);
    });
  }, [data, sort]);
  const head = (k: SortKey, label: string) => <th class={sort === k ? "sorted" : ""} onClick={() => setSort(k)}>{label}</th>;
  return (
    <>
      <h3>{t("member-table")}</h3>
      <table class="members">
        <thead><tr>{head("name", t("name"))}{head("studied", t("lessons"))}{head("signins", t("signins-count"))}{head("quiz", t("quiz-count"))}{head("last", t("last-active"))}</tr></thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.userId} data-member={m.userId} class={m.inactive ? "inactive" : ""} onClick={() => openMember(m.userId)}>
              <td>{m.name}{m.inactive ? <div class="flag">{t("inactive-two-weeks")}</div> : null}</td>
              <td class="num">{m.week.lessons_studied ?? 0}</td>
              <td class="num">{m.week.signins ?? 0}</td>
              <td class="num">{m.week.quiz_answers ?? 0}</td>
              <td>{m.lastActive ? when(m.lastActive, data.group.timeZone) : t("never")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Actions({ data, t, client, reload }: { data: GroupView; t: T; client: Client; reload(): void }) {
  const [status, setStatus] = useState("");
  const [track, setTrack] = useState("");
  const base = `group/${data.group.id}`;
  const act = async (path: string, body: Record<string, unknown> = {}) => {
    setStatus("…");
    try {
      const r = await client.post<{ result?: string; error?: string }>(`${base}/${path}`, body);
      setStatus(r.status === 200 ? t("done") : t("refused"));
      if (r.status === 200) reload();
    } catch {
      setStatus(t("refused"));
    }
  };
  return (
    <>
      <h3>{t("actions")}</h3>
      <div class="actions">
        <div class="row">
          <select value={track} onChange={(e) => setTrack((e.target as HTMLSelectElement).value)}>
            <option value="">{t("all-tracks")}</option>
            {data.group.tracks.map((k) => <option value={k}>{t(`track-${k}`)}</option>)}
          </select>
          <button data-action="push" onClick={() => act("push", track ? { track } : {})}>{t("push")}</button>
        </div>
        <button data-action="signin-open" onClick={() => act("signin/open")}>{t("open-signin")}</button>
        <button data-action="signin-close" onClick={() => act("signin/close")}>{t("close-signin")}</button>
        <button data-action="remind" onClick={() => act("remind")}>{t("remind")}</button>
        <button data-action="download" onClick={() => client.download(`${base}/export.xlsx?week=${data.stats.weekId}`).catch(() => setStatus(t("refused")))}>{t("download")}</button>
        <p class="status" data-testid="action-status">{status}</p>
      </div>
    </>
  );
}
