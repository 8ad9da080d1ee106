// After `tsc`, the compiled bot reads its strings next to its modules: copy src/<feature>/locales/*.ftl into dist/.
import { cpSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [src, out] = ["src", "dist"];
let copied = 0;
for (const entry of readdirSync(src, { withFileTypes: true })) {
  const dir = join(src, entry.name, "locales");
  if (!entry.isDirectory() || !existsSync(dir)) continue;
  cpSync(dir, join(out, entry.name, "locales"), { recursive: true });
  copied++;
}
console.log(`locales copied for ${copied} features`);
