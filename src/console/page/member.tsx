import { when, type T } from "./format.js";
import type { MemberView } from "./types.js";

const KINDS = new Set(["lesson", "signin", "quiz", "question"]);

/** One member's timeline: lessons studied, sign-ins, quiz answers, questions; newest first. */
export function MemberPage({ data, t }: { data: MemberView; t: T }) {
  const timeZone = data.group.timeZone;
  return (
    <section>
      <p class="hint" data-testid="member-group">{data.group.title}</p>
      <h3>{t("timeline")}</h3>
      {data.timeline.length === 0 ? <p class="hint">{t("nothing")}</p> : (
        <ul class="timeline">
          {data.timeline.map((e, i) => (
            <li key={i} data-kind={e.kind}>
              <span class="when">{when(e.at, timeZone)}</span>
              <span class="what">{t(`kind-${KINDS.has(e.kind) ? e.kind : "other"}`)}</span>
              <span class="about">{e.about}{e.kind === "quiz" && e.counters.quiz_correct ? " ✓" : ""}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
