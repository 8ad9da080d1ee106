import { z } from "zod";

/** A free tag naming what a lesson is about or what a survey option asks for, e.g. `greenhouse`. */
export const topicSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((s) => s.toLowerCase());

/** A lesson's `topics:` — a list of tags (a single tag is accepted too). */
export const lessonTopicsSchema = z
  .union([topicSchema.transform((s) => [s]), z.array(topicSchema)])
  .default([]);

/** One entry of a survey question's `topics:` — a topic, a list of topics, or `~` (null) for none. */
export const optionTopicsSchema = z
  .union([z.null(), topicSchema.transform((s) => [s]), z.array(topicSchema)])
  .transform((v) => v ?? []);

export const TOPICS_HINTS = {
  topics: "a list of free tags, e.g. `topics: [greenhouse, irrigation]`",
};
