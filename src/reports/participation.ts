/**
 * The participation index of a group's week, 0–100: the one place it is defined (the county
 * report shows `PARTICIPATION_FORMULA_KEY` under its table). Mean of three shares, each 0–1:
 *  - studied: lesson "Studied" marks this week ÷ (members × lessons pushed this week), capped at 1;
 *    0 when nothing was pushed;
 *  - signed in: members who signed in at least once ÷ members;
 *  - quiz: members who answered at least one quiz question ÷ members.
 * "Members" are those on the roster before the week ended.
 */
export interface ParticipationInput {
  members: number;
  lessonsPushed: number;
  studiedMarks: number;
  membersSignedIn: number;
  membersAnsweredQuiz: number;
}

export interface ParticipationParts {
  studied: number;
  signedIn: number;
  quiz: number;
  index: number;
}

export const PARTICIPATION_FORMULA_KEY = "reports-index-formula";

const share = (part: number, whole: number): number => (whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0);

export function participationIndex(p: ParticipationInput): ParticipationParts {
  const studied = share(p.studiedMarks, p.members * p.lessonsPushed);
  const signedIn = share(p.membersSignedIn, p.members);
  const quiz = share(p.membersAnsweredQuiz, p.members);
  return { studied, signedIn, quiz, index: Math.round(((studied + signedIn + quiz) / 3) * 100) };
}
