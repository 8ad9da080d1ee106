/**
 * FAQ matching without a search engine: Latin words and, because Chinese has no spaces,
 * character bigrams of CJK runs. A document's score is the share of the query's terms it contains.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const STOP = new Set(["的", "了", "吗", "呢", "the", "a", "an", "is", "to", "of", "and", "in", "how", "what"]);

/** The distinct search terms of a text. */
export function terms(text: string): Set<string> {
  const out = new Set<string>();
  const lower = text.toLowerCase();
  for (const run of lower.match(/[\u3400-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+/gu) ?? []) {
    if (CJK.test(run)) {
      const chars = [...run].filter((c) => !STOP.has(c));
      if (chars.length === 1) out.add(chars[0] as string);
      for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
    } else if (run.length >= 2 && !STOP.has(run)) {
      out.add(run);
    }
  }
  return out;
}

/** Share (0..1) of the query's terms found in the document's terms. */
export function overlap(query: Set<string>, doc: Set<string>): number {
  if (query.size === 0) return 0;
  let hit = 0;
  for (const term of query) if (doc.has(term)) hit++;
  return hit / query.size;
}

export interface FaqCandidate<T> {
  item: T;
  text: string;
  /** Newer wins a tie. */
  at: number;
}

/** The best `limit` candidates scoring at least `minScore`, best first. */
export function rankFaq<T>(query: string, candidates: FaqCandidate<T>[], limit = 3, minScore = 0.34): { item: T; score: number }[] {
  const q = terms(query);
  return candidates
    .map((c) => ({ item: c.item, at: c.at, score: overlap(q, terms(c.text)) }))
    .filter((r) => r.score >= minScore)
    .sort((a, b) => b.score - a.score || b.at - a.at)
    .slice(0, limit)
    .map(({ item, score }) => ({ item, score }));
}
