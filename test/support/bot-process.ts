export { startBot, type BotProcess } from "../../src/demo/bot-process.js";
