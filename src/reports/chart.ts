import { existsSync } from "node:fs";
import type { Logger } from "../shared/logger.js";
import { cutGraphemes } from "../shared/graphemes.js";

/**
 * Where Debian/Ubuntu/Alpine/macOS keep a CJK font (Debian: `apt-get install fonts-wqy-microhei`).
 * The first that exists is used; without one the chart still renders, Chinese as boxes.
 */
const CJK_FONTS = [
  { file: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", family: "WenQuanYi Micro Hei" },
  { file: "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", family: "WenQuanYi Micro Hei" },
  { file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", family: "Noto Sans CJK SC" },
  { file: "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", family: "Noto Sans CJK SC" },
  { file: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", family: "WenQuanYi Zen Hei" },
  { file: "/System/Library/Fonts/PingFang.ttc", family: "PingFang SC" },
];

let chosen: { file: string; family: string } | null | undefined;
let warned = false;

/** The CJK font the chart would use, or null (for `npm run doctor` as well as the chart). */
export function findCjkFont(): { file: string; family: string } | null {
  if (chosen === undefined) chosen = CJK_FONTS.find((f) => existsSync(f.file)) ?? null;
  return chosen;
}

function cjkFont(logger: Logger): { file: string; family: string } | null {
  const font = findCjkFont();
  if (!font && !warned) {
    warned = true;
    logger.warn({ tried: CJK_FONTS.map((f) => f.file) }, "no CJK font found; charts will show Chinese as boxes (apt-get install fonts-wqy-microhei)");
  }
  return font;
}

export interface ChartInput {
  title: string;
  /** Seven day labels, Monday first. */
  days: string[];
  /** Each kind of activity: a label and seven daily counts. */
  series: { name: string; values: number[] }[];
  lessonsTitle: string;
  /** Lessons pushed in the week with the share (0–1) who studied each. */
  lessons: { title: string; share: number }[];
  noLessons: string;
}

const WIDTH = 1080;
const COLORS = ["#c0392b", "#2e86de", "#27ae60", "#f39c12"];

/** Daily activity by kind (stacked bars) above the share studied per lesson (horizontal bars): a PNG for a phone. */
export async function renderWeekChart(input: ChartInput, logger: Logger): Promise<Buffer> {
  // Loaded on first use: the charting stack is heavy and only the weekly report needs it.
  const echarts = await import("echarts");
  const { Resvg } = await import("@resvg/resvg-js");
  const font = cjkFont(logger);
  const family = font?.family ?? "sans-serif";
  const lessonRows = Math.max(1, input.lessons.length);
  const topHeight = 720;
  const bottomHeight = 150 + lessonRows * 70;
  const height = topHeight + bottomHeight;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: WIDTH, height });
  const label = (s: string) => cutGraphemes(s, 12);
  chart.setOption({
    animation: false,
    backgroundColor: "#ffffff",
    color: COLORS,
    textStyle: { fontFamily: family, fontSize: 28, color: "#333" },
    title: [
      { text: input.title, left: 40, top: 30, textStyle: { fontSize: 40, fontWeight: "bold", fontFamily: family } },
      { text: input.lessonsTitle, left: 40, top: topHeight + 20, textStyle: { fontSize: 36, fontWeight: "bold", fontFamily: family } },
    ],
    legend: { top: 110, left: 40, itemWidth: 36, itemHeight: 24, itemGap: 30, textStyle: { fontSize: 30, fontFamily: family } },
    grid: [
      { left: 90, right: 40, top: 190, height: topHeight - 290 },
      { left: 330, right: 120, top: topHeight + 100, height: lessonRows * 70 },
    ],
    xAxis: [
      { type: "category", gridIndex: 0, data: input.days, axisLabel: { fontSize: 28, fontFamily: family } },
      { type: "value", gridIndex: 1, min: 0, max: 100, axisLabel: { fontSize: 24, formatter: "{value}%", fontFamily: family } },
    ],
    yAxis: [
      { type: "value", gridIndex: 0, minInterval: 1, axisLabel: { fontSize: 26, fontFamily: family } },
      {
        type: "category",
        gridIndex: 1,
        inverse: true,
        data: input.lessons.length > 0 ? input.lessons.map((l) => label(l.title)) : [""],
        axisLabel: { fontSize: 28, fontFamily: family, width: 270, overflow: "truncate" },
      },
    ],
    // An empty week says so in words where the bars would be.
    graphic:
      input.lessons.length > 0
        ? []
        : [{ type: "text", left: "center", top: topHeight + 110, style: { text: input.noLessons, fontSize: 30, fill: "#888", fontFamily: family } }],
    series: [
      ...input.series.map((s) => ({ type: "bar", name: s.name, stack: "day", xAxisIndex: 0, yAxisIndex: 0, barWidth: "55%", data: s.values })),
      {
        type: "bar",
        name: input.lessonsTitle,
        xAxisIndex: 1,
        yAxisIndex: 1,
        barWidth: 40,
        itemStyle: { color: "#8e44ad", borderRadius: [0, 8, 8, 0] },
        label: { show: true, position: "right", fontSize: 28, fontFamily: family, formatter: "{c}%" },
        data: input.lessons.map((l) => Math.round(l.share * 100)),
      },
    ],
  });
  // The lesson series is drawn in its own grid; keep it out of the legend of daily kinds.
  chart.setOption({ legend: { data: input.series.map((s) => s.name) } });
  const svg = chart.renderToSVGString();
  chart.dispose();
  const png = new Resvg(svg, {
    fitTo: { mode: "width", value: WIDTH },
    font: font
      ? { fontFiles: [font.file], loadSystemFonts: false, defaultFontFamily: font.family }
      : { loadSystemFonts: true },
  });
  return Buffer.from(png.render().asPng());
}
