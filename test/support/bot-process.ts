export { startBot, type BotProcess } from "../../tools/demo/bot-process.js";
