/** Telegram's limit on a message's text after entity parsing, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** One indivisible piece of the HTML: a tag, an entity, or one character (code point). */
interface Unit {
  html: string;
  /** The visible text it contributes ("" for tags). */
  text: string;
  tag?: { name: string; closing: boolean };
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const UNIT = /<(\/?)([a-zA-Z][\w-]*)[^>]*>|&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));|[\s\S]/gu;

function tokenize(html: string): Unit[] {
  const units: Unit[] = [];
  for (const m of html.matchAll(UNIT)) {
    const [whole, slash, name, dec, hex, named] = m;
    if (name !== undefined) {
      const selfClosing = whole.endsWith("/>");
      units.push({ html: whole, text: "", ...(selfClosing ? {} : { tag: { name: name.toLowerCase(), closing: slash === "/" } }) });
    } else if (dec !== undefined || hex !== undefined) {
      const code = dec !== undefined ? Number(dec) : parseInt(hex ?? "0", 16);
      units.push({ html: whole, text: code <= 0x10ffff ? String.fromCodePoint(code) : whole });
    } else if (named !== undefined) {
      units.push({ html: whole, text: NAMED[named] ?? whole });
    } else {
      units.push({ html: whole, text: whole });
    }
  }
  return units;
}

/** The length Telegram counts: text after entity parsing, in UTF-16 code units. */
export function visibleLength(html: string): number {
  let n = 0;
  for (const u of tokenize(html)) n += u.text.length;
  return n;
}

type OpenTag = { name: string; html: string };

function applyTag(stack: OpenTag[], unit: Unit): void {
  if (!unit.tag) return;
  if (!unit.tag.closing) {
    stack.push({ name: unit.tag.name, html: unit.html });
    return;
  }
  const at = stack.map((t) => t.name).lastIndexOf(unit.tag.name);
  if (at >= 0) stack.length = at;
}

function hasVisibleText(units: Unit[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (units[i]?.text.trim()) return true;
  return false;
}

const isSpace = (u: Unit | undefined): boolean => u !== undefined && !u.tag && /^\s+$/.test(u.text);
const SENTENCE_END = /[。！？!?.]/;

/**
 * Splits Telegram HTML into messages of at most `limit` visible characters, preferring
 * paragraph breaks, then line breaks, sentence ends and spaces; every part is valid on its own.
 */
export function splitTelegramHtml(html: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (limit < 1) throw new RangeError("limit must be at least 1");
  const units = tokenize(html);
  const parts: string[] = [];
  const stack: OpenTag[] = [];
  let start = 0;
  while (start < units.length) {
    // Furthest end such that units[start, end) fits.
    let end = start;
    let length = 0;
    while (end < units.length && length + (units[end]?.text.length ?? 0) <= limit) {
      length += units[end]?.text.length ?? 0;
      end++;
    }
    if (end === start) end = start + 1; // a single unit longer than the limit cannot happen with limit ≥ 2
    let cut: { partEnd: number; next: number };
    if (end >= units.length) cut = { partEnd: units.length, next: units.length };
    else cut = chooseCut(units, start, end);
    // Closing tags right at the cut belong to this part rather than opening the next one empty.
    while (cut.partEnd < units.length && units[cut.partEnd]?.tag?.closing) {
      cut.partEnd++;
      if (cut.next < cut.partEnd) cut.next = cut.partEnd;
    }
    const reopen = stack.map((t) => t.html).join("");
    let body = "";
    for (let i = start; i < cut.partEnd; i++) {
      const unit = units[i];
      if (!unit) continue;
      body += unit.html;
      applyTag(stack, unit);
    }
    const close = [...stack]
      .reverse()
      .map((t) => `</${t.name}>`)
      .join("");
    const part = reopen + body + close;
    if (hasVisibleText(units, start, cut.partEnd)) parts.push(part);
    for (let i = cut.partEnd; i < cut.next; i++) {
      const unit = units[i];
      if (unit) applyTag(stack, unit);
    }
    start = cut.next;
  }
  return parts;
}

/** Picks where to end the part that may run from `start` up to (not including) `end`. */
function chooseCut(units: Unit[], start: number, end: number): { partEnd: number; next: number } {
  // Whitespace at a cut is dropped; tags in it still count, through the open-tag stack.
  const skipSpace = (i: number): number => {
    let j = i;
    while (j < units.length && (isSpace(units[j]) || units[j]?.tag)) j++;
    return j;
  };
  const hasText = (from: number, to: number): boolean => hasVisibleText(units, from, to);
  const newlineAt = (i: number): boolean => !units[i]?.tag && units[i]?.text === "\n";
  // Paragraph break: "\n" followed (tags aside) by another "\n".
  for (let i = end; i > start; i--) {
    if (!newlineAt(i)) continue;
    let j = i + 1;
    while (units[j]?.tag) j++;
    if (newlineAt(j) && hasText(start, i)) return { partEnd: i, next: skipSpace(i) };
  }
  for (let i = end; i > start; i--) {
    if (newlineAt(i) && hasText(start, i)) return { partEnd: i, next: skipSpace(i) };
  }
  for (let i = end - 1; i > start; i--) {
    const u = units[i];
    if (!u || u.tag || !SENTENCE_END.test(u.text)) continue;
    const ascii = u.text.charCodeAt(0) < 128;
    if (ascii && !isSpace(units[i + 1])) continue;
    if (hasText(start, i + 1)) return { partEnd: i + 1, next: skipSpace(i + 1) };
  }
  for (let i = end; i > start; i--) {
    if (isSpace(units[i]) && hasText(start, i)) return { partEnd: i, next: skipSpace(i) };
  }
  return { partEnd: end, next: end };
}
