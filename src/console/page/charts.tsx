import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** A tiny line of the last weeks' values (0–100), drawn as SVG: hundreds of rows cost no canvas each. */
export function Sparkline({ values, max = 100 }: { values: number[]; max?: number }) {
  const w = 64;
  const h = 18;
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 1 - (Math.min(v, max) / max) * (h - 2)).toFixed(1)}`).join(" ");
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={values.join(", ")}>
      <polyline points={points} fill="none" stroke="var(--tg-theme-button-color, #2481cc)" stroke-width="1.5" />
    </svg>
  );
}

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * Week-by-week lines with uPlot (shares as percentages), as wide as its box and following it (a scrollbar that
 * appears, a phone turned): a canvas sized once at start stuck out of the screen and hid the last weeks.
 */
export function Trend({ weeks, series, percent = true }: { weeks: string[]; series: Series[]; percent?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = getComputedStyle(document.documentElement).getPropertyValue("--tg-theme-hint-color").trim() || "#999";
    const x = weeks.map((_, i) => i);
    const width = () => Math.max(200, el.clientWidth);
    const axis = { stroke: text, grid: { stroke: "rgba(128,128,128,0.15)" }, ticks: { show: false }, font: "11px sans-serif" };
    const plot = new uPlot(
      {
        width: width(),
        height: 160,
        legend: { show: true, live: false },
        cursor: { show: false },
        // Half a week of room on either side, so the first and the last week's points and labels are whole.
        scales: { x: { time: false, range: [-0.4, Math.max(1, weeks.length - 1) + 0.4] }, y: { range: percent ? [0, 100] : (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          // One tick per week, labelled by its number (W49); never a fraction of a week.
          { ...axis, splits: () => x, values: (_u, ticks) => ticks.map((i) => (weeks[i] ?? "").slice(-3)) },
          { ...axis, size: 36, values: (_u, ticks) => ticks.map((v) => (percent ? `${v}%` : String(v))) },
        ],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { size: 4 } }))],
      },
      [x, ...series.map((s) => s.values.map((v) => (v === null ? null : percent ? Math.round(v * 100) : v)))],
      el,
    );
    const resized = new ResizeObserver(() => {
      if (Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: 160 });
    });
    resized.observe(el);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [weeks, series, percent]);
  return <div class="trend" ref={box} />;
}
