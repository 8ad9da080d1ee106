import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "hook_SECRET-0123456789abcdef";

// What @grammyjs/runner does with a failed getUpdates, and what a library writing to stderr does,
// in a process of its own: the guard replaces the process-wide console and stream writers.
const SCRIPT = `
import { GrammyError, HttpError } from "grammy";
import { createLogger } from "./src/shared/logger.ts";
import { guardProcessOutput } from "./src/shared/process-output.ts";
const secrets = [${JSON.stringify(TOKEN)}, ${JSON.stringify(SECRET)}];
const logger = createLogger({ level: "trace", secrets });
guardProcessOutput(logger, secrets);
const fetchError = new Error("request to http://127.0.0.1:9/bot${TOKEN}/getUpdates failed, reason: connect ECONNREFUSED");
console.error("[grammY runner] Error while fetching updates:");
console.error("[grammY runner]", new HttpError("Network request for 'getUpdates' failed!", fetchError));
console.error("::: ERROR ERROR ERROR :::", new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 400, description: "Bad Request: chat not found" }, "sendMessage", { chat_id: 5, text: "秘密 text" }));
console.log({ api: { token: ${JSON.stringify(TOKEN)} }, text: "秘密 text" });
process.stderr.write("debug-module style line with ${SECRET} and ${TOKEN}\\n");
logger.flush();
`;

describe("what libraries print goes through the logger", () => {
  it("console calls become JSON lines without the token, the secret or people's texts; raw writes are scrubbed", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SCRIPT], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).not.toContain(TOKEN.split(":")[1]);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain("秘密");
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({ source: "console", msg: "[grammY runner]", err: { type: "HttpError", error: { message: expect.stringContaining("[redacted]") } } });
    expect(JSON.parse(lines[2] ?? "{}")).toMatchObject({ err: { method: "sendMessage", error_code: 400, payload: { chat_id: 5 } } });
    expect(r.stderr).toContain("debug-module style line with [redacted]");
  });
});
