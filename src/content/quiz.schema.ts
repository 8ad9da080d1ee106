import { z } from "zod";
import { TRACKS } from "./types.js";

/** Telegram poll limits (sendPoll): question 1-300, 2-10 options of 1-100, explanation 0-200. */
export const POLL_LIMITS = { question: 300, optionsMin: 2, optionsMax: 10, option: 100, explanation: 200 } as const;

export const pollQuestionSchema = z.string().trim().min(1).max(POLL_LIMITS.question);

export const pollOptionsSchema = z
  .array(z.string().trim().min(1).max(POLL_LIMITS.option))
  .min(POLL_LIMITS.optionsMin)
  .max(POLL_LIMITS.optionsMax)
  .superRefine((options, ctx) => {
    const firstIndex = new Map<string, number>();
    options.forEach((option, i) => {
      const earlier = firstIndex.get(option);
      if (earlier === undefined) {
        firstIndex.set(option, i);
      } else {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `repeats option ${earlier} ("${option}"); make every option different`,
        });
      }
    });
  });

export const QUIZ_ITEM_KEYS = ["question", "options", "answer", "explanation"] as const;
export const BANK_ITEM_KEYS = [...QUIZ_ITEM_KEYS, "track"] as const;

const quizItemShape = {
  question: pollQuestionSchema,
  options: pollOptionsSchema,
  answer: z.int().nonnegative(),
  explanation: z.string().trim().max(POLL_LIMITS.explanation).optional(),
};

function answerInRange(item: { options: string[]; answer: number }, ctx: z.RefinementCtx): void {
  const last = item.options.length - 1;
  if (item.answer > last) {
    ctx.addIssue({
      code: "custom",
      path: ["answer"],
      message: `is ${item.answer} but there are ${item.options.length} options; use 0 to ${last} (counting from 0)`,
    });
  }
}

export const quizItemSchema = z.strictObject(quizItemShape).superRefine(answerInRange);

export const bankItemSchema = z
  .strictObject({ ...quizItemShape, track: z.enum(TRACKS).optional() })
  .superRefine(answerInRange);

export const quizBankSchema = z.array(bankItemSchema).min(1);

export const QUIZ_HINTS = {
  question: "the question text, at most 300 characters",
  options: "a list of 2 to 10 answers, e.g. `options: [Yes, No]`",
  answer: "the zero-based index of the correct option, e.g. `answer: 0` for the first",
  explanation: "at most 200 characters",
};
