import { z } from "zod";
import { optionTopicsSchema } from "./topics.schema.js";
import { pollOptionsSchema, pollQuestionSchema, QUIZ_HINTS } from "./quiz.schema.js";

export const SURVEY_KEYS = ["title", "questions"] as const;
export const SURVEY_QUESTION_KEYS = ["question", "options", "multiple", "topics"] as const;

export const surveySchema = z.strictObject({
  title: z.string().trim().min(1),
  questions: z
    .array(
      z.strictObject({
        question: pollQuestionSchema,
        options: pollOptionsSchema,
        multiple: z.boolean().default(false),
        /** As long as `options`: the n-th entry is what the n-th option stands for. */
        topics: z.array(optionTopicsSchema).optional(),
      }).superRefine(topicsMatchOptions),
    )
    .min(1),
});

function topicsMatchOptions(q: { options: string[]; topics?: string[][] | undefined }, ctx: z.RefinementCtx): void {
  if (q.topics === undefined || q.topics.length === q.options.length) return;
  ctx.addIssue({
    code: "custom",
    path: ["topics"],
    message: `has ${q.topics.length} entries but there are ${q.options.length} options; give one entry per option, in the same order (a topic, a list of topics, or ~ for none)`,
  });
}

export const SURVEY_HINTS = {
  ...QUIZ_HINTS,
  title: "the survey's name shown to members",
  questions: "a list of `{ question, options, multiple }` items",
  topics: "one entry per option, in order: a topic, a list of topics, or ~ for none, e.g. `topics: [~, greenhouse, [pigs, poultry]]`",
  multiple: "true lets a member tick several options",
};
