import type { TimerHandler } from "../schedule/index.js";
import { REMINDER_TIMER, type QuestionsService } from "./questions.service.js";

export { REMINDER_TIMER };

/** The durable timer set when a question is asked: announce it again if still unanswered. */
export function questionReminderHandler(questions: QuestionsService): TimerHandler {
  return (timer) => questions.remind(timer);
}
