/** `npm run bench`: every benchmark, each printing its figures beside a baseline from the same run. */
import { benchFoundation } from "./foundation.js";
import { benchReports } from "./reports.js";
import { benchSigninStorm } from "./signin-storm.js";
import { benchFanout } from "./fanout.js";
import { benchCommands } from "./commands.js";
import { benchStartup } from "./startup.js";
import { benchReview } from "./review.js";
import { benchMedia } from "./media.js";
import { benchConsole } from "./console.js";
import { benchTelegramHttp } from "./telegram-http.js";

const only = process.argv[2];
if (!only || only === "foundation") await benchFoundation();
if (!only || only === "reports") await benchReports();
if (!only || only === "storm") await benchSigninStorm();
if (!only || only === "fanout") await benchFanout();
if (!only || only === "commands") await benchCommands();
if (!only || only === "startup") await benchStartup();
if (!only || only === "review") await benchReview();
if (!only || only === "media") await benchMedia();
if (!only || only === "console") await benchConsole();
if (!only || only === "telegram-http") await benchTelegramHttp();
