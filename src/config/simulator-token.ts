/**
 * The Bot API simulator's token (`tools/simulator`), public in this repository: the demo signs the console's
 * initData with it. A bot that talks to anything but a simulator on this machine must never run under it, or
 * anyone could sign initData its console accepts; `parseConfig` refuses it unless TELEGRAM_API_ROOT is loopback.
 */
export const SIMULATOR_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Whether a Bot API root is on this machine (where only a simulator or a developer's own server runs). */
export function isLoopbackApiRoot(apiRoot: string): boolean {
  try {
    return LOOPBACK.has(new URL(apiRoot).hostname);
  } catch {
    return false;
  }
}
