/**
 * Hostile and malformed Telegram updates for the fuzz test, from a seeded PRNG so a failure replays
 * with the same seed. Nothing here is a valid request that should change the study group's numbers:
 * in the study group, junk comes only from members who already did everything, or in forms the bot
 * must refuse. Strangers and unknown chats get anything.
 */

export type Rng = () => number;

/** mulberry32: small, fast, good enough to pick junk. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

export const HUGE_TEXT = "学".repeat(34_000) + "<b>&amp;"; // about 100 KB of UTF-8
const HUGE_DATA = "x".repeat(10_000);

/** Strings no feature should take for a valid id, name or command. */
const JUNK_STRINGS = [
  "", " ", "0", "-1", "1e9", "NaN", "Infinity", "null", "undefined", "true", "[]", "{}", "../../etc/passwd",
  "<script>alert(1)</script>", "<b>bold", "&amp;&lt;", "a:b:c:d:e:f", ":::", "\u0000\u0001", "\u202e",
  "😀".repeat(40), "9".repeat(40), "-9007199254740993", "0x1F", " 42 ", "sx:{g1}:x", "%s%n", "'; DROP",
  "學習".repeat(30), HUGE_DATA,
];

/** Values of the wrong type (or out of range) for any field: what a valid number or string never is. */
export function junkValue(rng: Rng, depth = 0): unknown {
  switch (int(rng, 0, 13)) {
    case 0:
      return null;
    case 1:
      return pick(rng, [true, false]);
    case 2:
      return pick(rng, [-1, 0, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 60)]);
    case 3:
    case 4:
      return pick(rng, JUNK_STRINGS);
    case 5:
      return [];
    case 6:
      return depth > 2 ? [] : Array.from({ length: int(rng, 1, 3) }, () => junkValue(rng, depth + 1));
    case 7:
      return {};
    case 8:
      return depth > 2 ? {} : { id: junkValue(rng, depth + 1), type: junkValue(rng, depth + 1), [pick(rng, JUNK_STRINGS)]: junkValue(rng, depth + 1) };
    case 9:
      return HUGE_TEXT;
    case 10:
      return String(int(rng, 1, 1e6)); // a number as a string
    case 11:
      return [pick(rng, JUNK_STRINGS)];
    case 12:
      return { text: junkValue(rng, depth + 1), chat: junkValue(rng, depth + 1) };
    default:
      return pick(rng, ["message", "callback_query", "poll_answer"]);
  }
}

/** Every path to a leaf or object in `value` (arrays included). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setPath(root: Record<string, unknown>, path: (string | number)[], value: unknown, remove: boolean): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return; // an earlier mutation replaced this branch
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path.at(-1);
  if (last === undefined || typeof node !== "object" || node === null) return;
  if (Array.isArray(node) && typeof last !== "number") return; // the branch became an array
  if (remove && !Array.isArray(node)) delete (node as Record<string, unknown>)[last as string];
  else (node as Record<string | number, unknown>)[last] = value;
}

/** A copy of `template` with one to three fields removed or replaced by junk. */
export function mutate(rng: Rng, template: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(template);
  const all = paths(copy).filter((p) => p.length > 0);
  for (let n = int(rng, 1, 3); n > 0; n--) {
    const path = pick(rng, all);
    setPath(copy, path, junkValue(rng), rng() < 0.35);
  }
  return copy;
}

/** Every single-field mutation of `template`: each field once removed and once given each kind of junk. */
export function everyFieldMutation(rng: Rng, template: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const path of paths(template).filter((p) => p.length > 0)) {
    for (const remove of [true, false]) {
      const copy = structuredClone(template);
      setPath(copy, path, remove ? undefined : junkValue(rng), remove);
      out.push(copy);
    }
  }
  return out;
}

export interface ApiUserLike {
  id: number;
  is_bot: boolean;
  first_name: string;
}

export interface ChatLike {
  id: number;
  type: string;
  title?: string;
  first_name?: string;
}

let seq = 0;
const date = () => Math.floor(Date.now() / 1000);

export function message(chat: ChatLike, from: ApiUserLike | undefined, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }] : undefined;
  return {
    message_id: 900_000 + ++seq,
    date: date(),
    chat,
    ...(from ? { from } : {}),
    text,
    ...(entities ? { entities } : {}),
    ...extra,
  };
}

export function press(from: ApiUserLike, data: string | undefined, msg: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    id: `fz${++seq}`,
    from,
    ...(msg ? { message: msg } : { inline_message_id: `inline${seq}` }),
    chat_instance: "424242",
    ...(data !== undefined ? { data } : {}),
  };
}

export function memberUpdate(chat: ChatLike, from: ApiUserLike, user: ApiUserLike, before: string, after: string): Record<string, unknown> {
  return { chat, from, date: date(), old_chat_member: { status: before, user }, new_chat_member: { status: after, user } };
}

export function stranger(rng: Rng): ApiUserLike {
  return { id: int(rng, 5_000_000, 6_000_000), is_bot: false, first_name: pick(rng, ["路人", "<b>x</b>", "&lt;", "😀", "a".repeat(64)]) };
}

export function strangeGroup(rng: Rng): ChatLike {
  return { id: -int(rng, 1_000_000_000_000, 1_000_999_999_999), type: pick(rng, ["group", "supergroup"]), title: pick(rng, ["<b>群", "&", "x".repeat(128)]) };
}

/** Every feature's callback prefix, and some no feature has. */
export const CALLBACK_PREFIXES = ["ls", "lq", "lv", "si", "st", "sc", "qt", "qr", "qp", "zz", "", "LS", "si "] as const;

/** Callback data for `prefix` with a junk number of junk parts (sometimes huge). */
export function junkCallbackData(rng: Rng, prefix: string, realParts: string[]): string {
  if (rng() < 0.05) return `${prefix}:${HUGE_DATA}`;
  const count = int(rng, 0, 5);
  const parts = Array.from({ length: count }, () =>
    rng() < 0.3 && realParts.length ? pick(rng, realParts) : pick(rng, [...JUNK_STRINGS.slice(0, -1), "1", "-100", "99999999999999999999", "y", "n", "l", "z", "t", "p", "e", "x", "d", "h", "m"]),
  );
  return [prefix, ...parts].join(pick(rng, [":", ":", ":", "::", "|"]));
}

/** Commands with absurd arguments; who sends them decides whether they are refused for rights or input. */
export const ABSURD_ORGANISER_COMMANDS = [
  "/open_signin 999999999", "/open_signin -5", "/open_signin 1e9 <b>x</b>", "/open_signin 0", "/open_signin 2.5",
  `/open_signin 30 ${"长".repeat(500)}`, "/export -1", "/export 99999999999999999999", "/export 0", "/export abc",
  "/export 1e3", "/stats 2026-W99", "/stats 0000-W00", "/stats 2025-W53", "/stats W01", `/stats ${"x".repeat(5000)}`,
  "/stats <script>", "/contest ../../etc/passwd 1e9", "/contest village-basics 1e9", "/contest village-basics -3",
  "/contest village-basics 0", "/contest village-basics abc", "/contest <b>bank</b>", "/contest a b c d",
  "/push ../../etc/passwd", "/push <script>", `/push ${"t".repeat(5000)}`, "/quiz <b>x</b>", "/quiz 999999999",
  "/settings tz Mars/Olympus", "/settings tz ../../etc/passwd", "/settings tz <b>UTC</b>", `/settings tz ${"A".repeat(99)}`,
  `/settings ${"x".repeat(5000)}`, "/settings foo bar baz", "/role <b>king</b>", "/role secretary", "/survey ../../etc/passwd",
  `/survey results ${"x".repeat(60)}`, "/survey <script>", `/survey ${"y".repeat(500)}`, "/report 2026-W99", "/groups junk",
  "/schedule ../../x",
] as const;

export const ABSURD_MEMBER_COMMANDS = [
  "/top <script>", "/top 99999", `/top ${"周".repeat(5000)}`, "/me junk", `/ask ${"问".repeat(5000)}`, `/ask ${"q".repeat(1001)}`,
  `/faq ${"x".repeat(5000)}`, "/faq <script>alert(1)</script>", "/join <b>", "/signin extra", `/leave ${"事".repeat(10_000)}`,
  "/leave <script>", "/practice ../../etc", "/lessons junk", "/start <script>", "/start lessons", "/help@other_bot",
  "/unknown_cmd<script>", "/open", "/stats", "/export -1", "/open_signin 999999999", "/close_signin now", "/push", "/quiz",
  "/settings tz Mars/Olympus", "/role secretary", "/survey needs", "/contest village-basics 3", "/report", "/groups",
  `/${"a".repeat(300)}`, "/", "//", "/ask@sanxue_test_bot", "/help@sanxue_test_bot extra",
] as const;
