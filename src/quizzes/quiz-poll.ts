import type { Api } from "grammy";
import type { Message } from "grammy/types";
import type { QuizItem } from "../content/types.js";
import type { Pacer } from "../shared/pacer.js";

/**
 * Sends one question as a native quiz poll: non-anonymous (so answers arrive as `poll_answer`
 * and can be scored), with the explanation Telegram shows after a wrong answer. The installed
 * Bot API types (grammY 1.46, @grammyjs/types 5) take the right answer as `correct_option_ids`.
 */
export function sendQuizPoll(
  api: Api,
  pacer: Pacer,
  chatId: number,
  item: QuizItem,
  opts: { openSeconds?: number; threadId?: number } = {},
): Promise<Message.PollMessage> {
  return pacer(() =>
    api.sendPoll(
      chatId,
      item.question,
      item.options.map((text) => ({ text })),
      {
        type: "quiz",
        is_anonymous: false,
        correct_option_ids: [item.answer],
        explanation: item.explanation || undefined,
        open_period: opts.openSeconds,
        message_thread_id: opts.threadId,
      },
    ),
  );
}
