// vitest globalSetup: builds the console's page once per run (esbuild, well under a second) into dist/console,
// where the bot serves it from; the browser tests open it there.
import { buildConsolePage } from "../../tools/build-console.mjs";

export default async function setup(): Promise<void> {
  await buildConsolePage();
}
