/** Counting a poll's votes: pure, so changed and retracted votes are easy to check. */
export interface OptionTally {
  text: string;
  votes: number;
}

export interface QuestionTally {
  question: string;
  options: OptionTally[];
  /** Members with a current (not retracted) vote. */
  voters: number;
}

/** Tallies members' current choices; out-of-range option ids (a changed survey) are ignored. */
export function tallyQuestion(question: string, options: string[], choices: Iterable<number[]>): QuestionTally {
  const counts = options.map(() => 0);
  let voters = 0;
  for (const choice of choices) {
    const valid = [...new Set(choice)].filter((i) => Number.isInteger(i) && i >= 0 && i < options.length);
    if (valid.length === 0) continue;
    voters++;
    for (const i of valid) counts[i] = (counts[i] ?? 0) + 1;
  }
  return { question, options: options.map((text, i) => ({ text, votes: counts[i] ?? 0 })), voters };
}
