import type { z } from "zod";
import type { ContentProblem } from "./types.js";

/** Per-field advice appended to "is missing" messages, keyed by the last path segment. */
export type FieldHints = Record<string, string>;

/** Turns zod issues into one readable problem per field: what is wrong and how to fix it. */
export function issuesToProblems(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  hints: FieldHints = {},
  knownKeys: (path: readonly PropertyKey[]) => readonly string[] = () => [],
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const seen = new Set<string>();
  const add = (path: readonly PropertyKey[], message: string): void => {
    const field = path.map(String).join(".");
    if (seen.has(field)) return;
    seen.add(field);
    problems.push({ file, field, message });
  };
  for (const issue of issues) {
    const value = valueAt(input, issue.path);
    const last = String(issue.path.at(-1) ?? "");
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          add([...issue.path, key], unknownKeyMessage(key, knownKeys(issue.path)));
        }
        break;
      case "invalid_type":
        if (value === undefined) {
          add(issue.path, `is missing; add it${hints[last] ? ` (${hints[last]})` : ""}`);
        } else {
          add(issue.path, `is ${describe(value)} but must be ${expectedWords(issue.expected)}${hints[last] ? ` (${hints[last]})` : ""}`);
        }
        break;
      case "too_small":
      case "too_big":
        add(issue.path, sizeMessage(issue, value));
        break;
      case "invalid_value":
        add(issue.path, `is ${describe(value)}; use one of: ${issue.values.map(String).join(", ")}`);
        break;
      default:
        add(issue.path, issue.message);
    }
  }
  return problems;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const small = issue.code === "too_small";
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === "string" && typeof value === "string") {
    if (small && value.trim() === "") return "is empty; write some text here";
    return small
      ? `is ${value.length} characters long; make it at least ${bound}`
      : `is ${value.length} characters long; shorten it to at most ${bound} (Telegram's limit)`;
  }
  if (issue.origin === "array" && Array.isArray(value)) {
    return small
      ? `has ${value.length} item${value.length === 1 ? "" : "s"}; give at least ${bound}`
      : `has ${value.length} items; give at most ${bound} (Telegram's limit)`;
  }
  if (issue.origin === "number" || issue.origin === "int") {
    const least = small && !issue.inclusive ? bound + 1 : bound;
    return small
      ? `is ${describe(value)}; use a whole number of at least ${least}`
      : `is ${describe(value)}; use a number of at most ${bound}`;
  }
  return issue.message;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = closest(key, known);
  const list = known.length > 0 ? `; known fields are ${known.join(", ")}` : "";
  return guess
    ? `is not a known field; did you mean "${guess}"? Rename it${list}`
    : `is not a known field; remove it or fix its spelling${list}`;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment), so a swapped pair like "titel" counts once. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = v;
    }
  }
  return at(a.length, b.length);
}

function expectedWords(expected: string): string {
  switch (expected) {
    case "int":
      return "a whole number";
    case "number":
      return "a number";
    case "string":
      return "text";
    case "array":
      return "a list";
    case "object":
      return "a set of `key: value` fields";
    case "boolean":
      return "true or false";
    default:
      return expected;
  }
}

/** A short rendering of a YAML value for messages. */
export function describe(value: unknown): string {
  if (value === null) return "empty";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a set of fields";
  return String(value);
}

export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
