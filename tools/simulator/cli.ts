import { parseArgs } from "node:util";
import { createSimulator } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8081" },
    token: { type: "string" },
    "no-limits": { type: "boolean", default: false },
  },
});
const sim = await createSimulator({
  port: Number(values.port),
  ...(values.token ? { token: values.token } : {}),
  ...(values["no-limits"] ? { limits: false as const } : {}),
});
console.log(sim.apiRoot);
console.log(`token: ${sim.token}  (control: POST ${sim.apiRoot}/_sim/<action>)`);
sim.onEvent((line) => console.log(line));
const stop = (): void => void sim.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
