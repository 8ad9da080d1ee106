import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, inUpdate } from "../../src/shared/logger.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, parsed, destination };
}

/** Waits until the destination has `n` lines (pino writes on its own schedule). */
async function lines(c: ReturnType<typeof capture>, n: number) {
  for (let i = 0; i < 100 && c.lines.length < n; i++) await new Promise((r) => setImmediate(r));
  return c.parsed();
}

describe("a service's logger during an update", () => {
  it("adds the update's update_id to lines of loggers made before the update", async () => {
    const c = capture();
    const root = createLogger({ level: "info", destination: c.destination });
    const service = root.child({ feature: "signins" }); // made at start-up, as services do
    service.info("outside");
    await inUpdate({ update_id: 41 }, async () => {
      await Promise.resolve();
      service.info({ group: -5 }, "inside");
    });
    const [outside, inside] = await lines(c, 2);
    expect(outside).not.toHaveProperty("update_id");
    expect(inside).toMatchObject({ feature: "signins", group: -5, update_id: 41, msg: "inside" });
  });

  it("keeps two updates handled at once apart, and does not repeat the key on the update's own logger", async () => {
    const c = capture();
    const root = createLogger({ level: "info", destination: c.destination });
    const service = root.child({ feature: "quizzes" });
    const tick = () => new Promise((r) => setImmediate(r));
    await Promise.all(
      [1, 2].map((id) =>
        inUpdate({ update_id: id }, async () => {
          await tick();
          service.info({ n: id }, "service");
          root.child({ update_id: id }).child({ step: 1 }).info({ n: id }, "ctx.log");
        }),
      ),
    );
    const parsed = await lines(c, 4);
    for (const line of parsed) expect(line.update_id).toBe(line.n);
    for (const raw of c.lines) expect(raw.match(/"update_id"/g)).toHaveLength(1);
  });
});
