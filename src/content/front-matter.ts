import { parseDocument } from "yaml";

export type FrontMatterResult =
  | { ok: true; data: unknown; body: string }
  | { ok: false; message: string };

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

/** Splits `---\nyaml\n---\nbody` and parses the YAML; errors name the line in the whole file. */
export function splitFrontMatter(text: string): FrontMatterResult {
  const opening = OPENING.exec(text);
  if (!opening) {
    return {
      ok: false,
      message: "has no front matter; start the file with a line `---`, the lesson's fields in YAML, then `---`",
    };
  }
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) {
    return {
      ok: false,
      message: "front matter is never closed; add a line `---` after the last field, before the lesson text",
    };
  }
  const yamlText = rest.slice(0, closing.index);
  const body = rest.slice(closing.index + closing[0].length).replace(/^\r?\n/, "");
  const parsed = parseYaml(yamlText, 1);
  if (!parsed.ok) return { ok: false, message: `front matter ${parsed.message}` };
  return { ok: true, data: parsed.data, body };
}

/**
 * Parses YAML and turns the first syntax error into one readable line.
 * `lineOffset` is how many lines of the file precede the YAML text.
 */
export function parseYaml(
  text: string,
  lineOffset = 0,
): { ok: true; data: unknown } | { ok: false; message: string } {
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = (error.linePos?.[0].line ?? 1) + lineOffset;
    const what = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    return {
      ok: false,
      message: `is not valid YAML at line ${line}: ${what}; check the indentation, the colons after keys, and quote values that contain ": " or start with a special character`,
    };
  }
  return { ok: true, data: doc.toJS() as unknown };
}
