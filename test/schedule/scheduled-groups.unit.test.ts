import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE } from "../../src/content/index.js";
import type { GroupInfo } from "../../src/groups/index.js";
import { createGroupEntries, viewOf } from "../../src/schedule/scheduled-groups.js";

function group(id: number, patch: Partial<GroupInfo> = {}): GroupInfo {
  return {
    id, title: `村 ${id}`, type: "supergroup", isForum: false, active: true, locale: "zh", timeZone: "Asia/Shanghai",
    registeredAt: 1000, tracksOff: [], schedule: structuredClone(DEFAULT_SCHEDULE), scheduleUpdatedAt: 500, ...patch,
  };
}

async function* batches(...lists: GroupInfo[][]): AsyncGenerator<GroupInfo[]> {
  for (const list of lists) yield list;
}

describe("the scheduler's list of groups", () => {
  it("keeps id, time zone and schedule only, one schedule object for every group on the same one", async () => {
    const entries = createGroupEntries();
    await entries.refresh(batches([group(-1), group(-2)], [group(-3, { timeZone: "Europe/Berlin" })]));
    const [a, b, c] = entries.all();
    expect(a?.shape).toBe(b?.shape);
    expect(c?.shape).not.toBe(a?.shape);
    expect(viewOf(a!)).toEqual({ id: -1, timeZone: "Asia/Shanghai", schedule: DEFAULT_SCHEDULE, tracksOff: [] });
    expect(a?.notBefore).toBe(1000);
    expect(Object.keys(viewOf(a!))).not.toContain("title");
  });

  it("an unchanged group keeps its entry (and its look times) across reads; a changed one starts afresh", async () => {
    const entries = createGroupEntries();
    await entries.refresh(Promise.resolve([group(-1), group(-2)]));
    const [a, b] = entries.all();
    a!.look = [5000];
    a!.due = 5000;
    b!.look = [5000];
    await entries.refresh(Promise.resolve([group(-1), group(-2, { scheduleUpdatedAt: 2000 }), group(-3, { active: false })]));
    const [a2, b2, none] = entries.all();
    expect(a2).toBe(a);
    expect(a2?.due).toBe(5000);
    expect(b2).not.toBe(b);
    expect(b2?.look).toEqual([]);
    expect(none).toBeUndefined();
  });

  it("a read that fails keeps the list as it was", async () => {
    const entries = createGroupEntries();
    await entries.refresh(Promise.resolve([group(-1)]));
    await expect(entries.refresh(Promise.reject(new Error("Connection is closed.")))).rejects.toThrow("closed");
    expect(entries.all().map((e) => e.id)).toEqual([-1]);
  });
});
