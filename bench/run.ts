/** `npm run bench`: every benchmark, each printing its figures beside a baseline from the same run. */
import { benchFoundation } from "./foundation.js";

await benchFoundation();
