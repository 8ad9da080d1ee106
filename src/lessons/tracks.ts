import { TRACKS, type Track } from "../content/types.js";

const ALIASES: Record<string, Track> = {
  constitution: "constitution",
  党章: "constitution",
  党章学习: "constitution",
  学党章: "constitution",
  policy: "policy",
  政策: "policy",
  政策理论: "policy",
  理论: "policy",
  technology: "technology",
  tech: "technology",
  技术: "technology",
  实用技术: "technology",
};

/** A track from what a person typed (English name or Chinese alias), or null. */
export function parseTrack(input: string): Track | null {
  const key = input.trim().toLowerCase();
  if (!key) return null;
  const byPrefix = key.length >= 3 ? TRACKS.find((t) => t.startsWith(key)) : undefined;
  return ALIASES[key] ?? byPrefix ?? null;
}
