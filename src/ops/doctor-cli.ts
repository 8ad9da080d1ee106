import { scrubSecrets } from "../shared/logger.js";
import { formatDoctor, runDoctor } from "./doctor.js";

// `npm run doctor`: the checklist for a real set-up, from the same environment the bot would start with.
const lines = await runDoctor(process.env);
const secrets = [process.env.BOT_TOKEN ?? "", process.env.WEBHOOK_SECRET ?? ""];
console.log(scrubSecrets(formatDoctor(lines), secrets));
const failed = lines.filter((l) => !l.ok).length;
console.log(failed ? `${failed} of ${lines.length} checks failed` : `all ${lines.length} checks passed`);
process.exitCode = failed ? 1 : 0;
