export const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** `2h 05m` / `35m`, as /stats writes a duration. */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.round(hours / 24)}d`;
}

/** A local date and time, `MM-DD HH:mm`, in the group's time zone. */
export function when(at: number, timeZone: string): string {
  const f = new Intl.DateTimeFormat("en-CA", { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });
  return f.format(new Date(at)).replace(",", "");
}

export type T = (key: string) => string;
