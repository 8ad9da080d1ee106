/**
 * The one place text is shortened or measured. Telegram refuses a whole message that holds half
 * a surrogate pair, and a cut inside an emoji, a flag or a combining mark shows garbage, so every
 * cut happens between graphemes (what a reader sees as one character), found by Intl.Segmenter.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export const ELLIPSIS = "…";

/** The graphemes of `text`, in order. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** At most `max` graphemes: a longer text keeps `max - 1` of them and ends with the ellipsis. */
export function cutGraphemes(text: string, max: number, mark = ELLIPSIS): string {
  // A grapheme is one UTF-16 unit or more: a text of at most `max` units has at most `max` graphemes.
  if (text.length <= max) return text;
  const all = graphemes(text);
  if (all.length <= max) return text;
  return all.slice(0, Math.max(0, max - 1)).join("") + mark;
}

/**
 * At most `maxUnits` UTF-16 code units (how Telegram counts its limits: 200 for a toast, 1024
 * for a caption), cut between graphemes, the ellipsis included in the budget.
 */
export function cutToUnits(text: string, maxUnits: number, mark = ELLIPSIS): string {
  if (text.length <= maxUnits) return text;
  let out = "";
  for (const g of graphemes(text)) {
    if (out.length + g.length + mark.length > maxUnits) break;
    out += g;
  }
  return out + mark;
}

// East Asian Wide and Fullwidth blocks (CJK, Hangul, kana, fullwidth forms): two columns each.
const WIDE: [number, number][] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]+$/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

function isWide(codePoint: number): boolean {
  return WIDE.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** Columns one grapheme takes in a monospace block: CJK and emoji 2, combining and control marks 0, others 1. */
export function graphemeWidth(g: string): number {
  if (g === "" || ZERO_WIDTH.test(g)) return 0;
  const first = g.codePointAt(0) ?? 0;
  if (isWide(first)) return 2;
  // A pictograph shown as emoji (with VS16, a ZWJ sequence, a skin tone, a flag) is two columns wide.
  if (EMOJI.test(g) && (g.length > 2 || /\uFE0F|\u200D|\p{Emoji_Presentation}/u.test(g))) return 2;
  return 1;
}

/** Columns `text` takes in a monospace block (a phone's <pre>). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g);
  return w;
}

/** At most `width` columns: a wider text is cut between graphemes and ends with the ellipsis (one column). */
export function cutToWidth(text: string, width: number, mark = ELLIPSIS): string {
  if (displayWidth(text) <= width) return text;
  const room = width - displayWidth(mark);
  let out = "";
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > room) break;
    out += g;
    used += w;
  }
  return out + mark;
}

export function padEndWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

export function padStartWidth(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - displayWidth(text))) + text;
}

/**
 * Breaks `text` into lines of at most `width` columns, between graphemes, never dropping any:
 * a long name in a table wraps instead of being cut to look like another. A space where a
 * line breaks is not carried to the next line.
 */
export function wrapToWidth(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > width && line !== "") {
      lines.push(line.trimEnd());
      line = "";
      used = 0;
      if (g.trim() === "") continue;
    }
    line += g;
    used += w;
  }
  if (line !== "" || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * One row of a monospace table: `lead` (the aligned numbers), two spaces, then `cell` in a column
 * `width` columns wide. A wider cell wraps onto lines of its own under that column instead of
 * being cut, so two long names never look alike; only past `maxLines` is the rest cut.
 * `escape` is applied to the cell's text (HTML), after measuring.
 */
export function tableRow(lead: string, cell: string, width: number, opts: { maxLines?: number; escape?: (s: string) => string } = {}): string {
  const maxLines = opts.maxLines ?? 4;
  const escape = opts.escape ?? ((s: string) => s);
  let lines = wrapToWidth(cell.replace(/\s+/g, " ").trim(), width);
  if (lines.length > maxLines) {
    const rest = lines.slice(maxLines - 1).join(" ");
    lines = [...lines.slice(0, maxLines - 1), cutToWidth(`${rest}${ELLIPSIS}`, width)];
  }
  const indent = " ".repeat(displayWidth(lead));
  return lines.map((line, i) => `${i === 0 ? lead : indent}  ${escape(line)}`.trimEnd()).join("\n");
}
