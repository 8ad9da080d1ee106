import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../tools/simulator/index.js";
import { grammyFetch } from "../../src/shared/telegram-http.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const PDF = readFileSync(new URL("../../content/media/three-studies-handbook.pdf", import.meta.url));
const fetch = grammyFetch();

let sim: Simulator | undefined;
let server: Server | ReturnType<typeof createTlsServer> | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A Bot API stand-in that answers every call with `answer` (or never, when it is undefined). */
async function standIn(answer?: { status: number; type: string; body: string }): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    if (answer) req.on("end", () => res.writeHead(answer.status, { "content-type": answer.type }).end(answer.body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A simulator with one group the bot is in, and grammY's Api on it through Sanxue's fetch. */
async function simulatorGroup(name: string) {
  sim = await createSimulator({ limits: false });
  const alice = sim.user({ first_name: name });
  const chat = sim.group({ title: "红星村学习群", admins: [alice] });
  sim.addBot(chat, { by: alice, asAdmin: true });
  return { sim, chat, api: new Api(sim.token, { apiRoot: sim.apiRoot, fetch }) };
}

describe("grammY's client on node:http (src/shared/telegram-http.ts)", () => {
  it("a JSON call comes back as Telegram's result, and Telegram's refusal as a GrammyError with its code", async () => {
    const { sim, chat, api } = await simulatorGroup("李明 <&\"🌾");

    const sent = await api.sendMessage(chat.id, "<b>今晚八点</b> & 学习", { parse_mode: "HTML" });
    expect(sent.text).toBe("今晚八点 & 学习");
    expect(sim.messages(chat).at(-1)?.message_id).toBe(sent.message_id);

    const refused = await api.sendMessage(-999_999, "nobody").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GrammyError);
    expect((refused as GrammyError).error_code).toBe(400);
  });

  it("an upload goes as grammY's multipart stream, byte for byte", async () => {
    const { chat, api } = await simulatorGroup("李明");

    const sent = await api.sendDocument(chat.id, new InputFile(PDF, "手册.pdf"), { caption: "三学手册" });
    expect(sent.document).toMatchObject({ file_name: "手册.pdf", file_size: PDF.length });
    expect(sent.caption).toBe("三学手册");
  });

  it("an answer that is no JSON is grammY's HttpError, and says nothing of the token", async () => {
    const root = await standIn({ status: 502, type: "text/html", body: "<html>Bad Gateway</html>" });
    const api = new Api("123:SECRET-token", { apiRoot: root, fetch });
    const failed = await api.getMe().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HttpError);
    expect(String((failed as HttpError).message)).not.toContain("SECRET-token");
  });

  it("a call Telegram never answers ends at grammY's timeout, and the next call still gets through", async () => {
    const root = await standIn();
    const api = new Api("123:token", { apiRoot: root, fetch, timeoutSeconds: 1 });
    const started = Date.now();
    const failed = await api.getMe().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HttpError);
    expect(Date.now() - started).toBeLessThan(10_000);

    sim = await createSimulator({ limits: false });
    const me = await new Api(sim.token, { apiRoot: sim.apiRoot, fetch }).getMe();
    expect(me.is_bot).toBe(true);
  });

  it("an answer cut off before its end is grammY's HttpError at once, not at the timeout", async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "content-length": 100 }).write('{"ok":true,');
        setTimeout(() => res.socket?.destroy(), 50);
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    // grammY's timeout (60 s) is past the test's own (30 s): the call must fail on the cut itself.
    const api = new Api("123:token", { apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fetch, timeoutSeconds: 60 });
    const failed = await api.getMe().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HttpError);
  });

  it("a Bot API nobody listens on is grammY's HttpError", async () => {
    const root = await standIn({ status: 200, type: "application/json", body: "{}" });
    server?.close();
    server = undefined;
    const failed = await new Api("123:token", { apiRoot: root, fetch }).getMe().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HttpError);
  });

  it("over HTTPS (Telegram's own root) the certificate is checked, and a trusted one answers", async () => {
    // A certificate for 127.0.0.1 of its own: untrusted here, trusted by a process given it as an extra CA.
    const dir = mkdtempSync(path.join(tmpdir(), "sanxue-tls-"));
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    await run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
    server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"三学","username":"sanxue_bot"}}'));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const root = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const untrusted = await new Api("123:token", { apiRoot: root, fetch }).getMe().catch((e: unknown) => e);
    expect(untrusted).toBeInstanceOf(HttpError);

    const script = `import { Api } from "grammy"; import { grammyFetch } from "./src/shared/telegram-http.ts";
      const me = await new Api("123:token", { apiRoot: process.env.ROOT, fetch: grammyFetch() }).getMe(); console.log(me.username);`;
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? "", ROOT: root, NODE_EXTRA_CA_CERTS: cert },
    });
    expect(stdout.trim()).toBe("sanxue_bot");
  });
});
