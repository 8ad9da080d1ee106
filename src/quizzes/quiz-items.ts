import type { Curriculum, QuizItem, Track } from "../content/types.js";

/**
 * A question's stable reference: `L|<lessonId>|<index>` for a lesson's quiz, `B|<bank>|<index>`
 * for a bank item. Lesson ids and bank names never contain "|".
 */
export type QuestionRef = string;

export interface ResolvedQuestion {
  ref: QuestionRef;
  item: QuizItem;
}

export function lessonQuestionRef(lessonId: string, index: number): QuestionRef {
  return `L|${lessonId}|${index}`;
}

export function bankQuestionRef(bank: string, index: number): QuestionRef {
  return `B|${bank}|${index}`;
}

/** The question a reference names in the loaded curriculum, or undefined (content changed since). */
export function resolveQuestion(curriculum: Curriculum, ref: QuestionRef): ResolvedQuestion | undefined {
  const [kind, name = "", idx = ""] = ref.split("|");
  const index = Number(idx);
  if (!Number.isInteger(index)) return undefined;
  const item =
    kind === "L"
      ? curriculum.byId.get(name)?.quiz[index]
      : kind === "B"
        ? curriculum.quizBanks.get(name)?.items[index]
        : undefined;
  return item ? { ref, item } : undefined;
}

/** Whether `optionIds` can answer a quiz poll of question `ref`: one option, in range (when the content still has it). */
export function isPossibleAnswer(curriculum: Curriculum, ref: QuestionRef, optionIds: readonly number[]): boolean {
  const [id] = optionIds;
  if (optionIds.length !== 1 || id === undefined || !Number.isInteger(id) || id < 0) return false;
  const options = resolveQuestion(curriculum, ref)?.item.options.length;
  return options === undefined || id < options;
}

/** Every question for practice: lessons' quizzes and banks of `track`, or everything without one. */
export function practicePool(curriculum: Curriculum, track?: Track): QuestionRef[] {
  const refs: QuestionRef[] = [];
  for (const lesson of curriculum.lessons) {
    if (track && lesson.track !== track) continue;
    // Practice is private and county-wide: a group organiser's lesson stays within its group.
    if (lesson.groupId !== undefined) continue;
    lesson.quiz.forEach((_, i) => refs.push(lessonQuestionRef(lesson.id, i)));
  }
  for (const bank of curriculum.quizBanks.values()) {
    bank.items.forEach((item, i) => {
      if (!track || item.track === track) refs.push(bankQuestionRef(bank.name, i));
    });
  }
  return refs;
}

/** Fisher–Yates with an injectable random source (tests pass a fixed one). */
export function shuffle<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
