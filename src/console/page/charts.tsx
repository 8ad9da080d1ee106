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

/** Week-by-week lines with uPlot (shares as percentages), sized to the phone's width. */
export function Trend({ weeks, series, percent = true }: { weeks: string[]; series: Series[]; percent?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = getComputedStyle(document.documentElement).getPropertyValue("--tg-theme-hint-color").trim() || "#999";
    const x = weeks.map((_, i) => i);
    const axis = { stroke: text, grid: { stroke: "rgba(128,128,128,0.15)" }, ticks: { show: false }, font: "11px sans-serif" };
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 160,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: percent ? [0, 100] : (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { ...axis, values: (_u, ticks) => ticks.map((i) => (weeks[i] ?? "").slice(-3)) },
          { ...axis, size: 36, values: (_u, ticks) => ticks.map((v) => (percent ? `${v}%` : String(v))) },
        ],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { size: 4 } }))],
      },
      [x, ...series.map((s) => s.values.map((v) => (v === null ? null : percent ? Math.round(v * 100) : v)))],
      el,
    );
    return () => plot.destroy();
  }, [weeks, series, percent]);
  return <div class="trend" ref={box} />;
}
