import { z } from "zod";
import { pollOptionsSchema, pollQuestionSchema, QUIZ_HINTS } from "./quiz.schema.js";

export const SURVEY_KEYS = ["title", "questions"] as const;
export const SURVEY_QUESTION_KEYS = ["question", "options", "multiple"] as const;

export const surveySchema = z.strictObject({
  title: z.string().trim().min(1),
  questions: z
    .array(
      z.strictObject({
        question: pollQuestionSchema,
        options: pollOptionsSchema,
        multiple: z.boolean().default(false),
      }),
    )
    .min(1),
});

export const SURVEY_HINTS = {
  ...QUIZ_HINTS,
  title: "the survey's name shown to members",
  questions: "a list of `{ question, options, multiple }` items",
  multiple: "true lets a member tick several options",
};
