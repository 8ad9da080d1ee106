/** The API's answers, as the page reads them (src/console/console.api.ts and console.service.ts make them). */
export type Counters = Partial<Record<"lessons_studied" | "signins" | "quiz_answers" | "quiz_correct" | "questions_asked", number>>;

export interface Me {
  user: { id: number; name: string };
  role: "county" | "organiser" | "member" | "none";
  locale: "zh" | "en";
  organises: { id: number; title: string }[];
  memberOf: { id: number; title: string }[];
}

export interface CountyRow {
  rank: number;
  id: number;
  title: string;
  town: string | null;
  members: number;
  lessons: number;
  studied: number;
  signedIn: number;
  quiz: number;
  index: number;
  change: number;
  trend: number[];
  inactive: boolean;
  tracks: string[];
}

export interface GroupNeeds {
  groupId: number;
  title: string;
  town?: string;
  survey: string;
  closedAt: number;
  voters: number;
  topics: { topic: string; votes: number; pushed: number; studied: number }[];
}

export interface County {
  weekId: string;
  weeks: string[];
  towns: string[];
  groups: CountyRow[];
  needs: GroupNeeds[];
}

export interface DemandPlan {
  needs: { survey: string; closedAt: number; voters: number; topics: { topic: string; votes: number }[] } | null;
  reorder: boolean;
  plans: { track: string; upcoming: { id: string; title: string; topics: string[]; pinned: boolean }[] }[];
  skipped: { id: string; title: string }[];
}

export interface WeekFigures {
  weekId: string;
  studiedShare: number;
  signinRate: number;
  quizShare: number;
  quizScore: number | null;
  asked: number;
  answered: number | null;
  medianAnswerMs: number | null;
}

export interface Session {
  id: number;
  title: string;
  openedAt: number;
  closedAt?: number;
  signed: number;
  late: number;
  excused: number;
  absent: number;
  eligible: number;
}

export interface GroupView {
  group: { id: number; title: string; timeZone: string; tracks: string[] };
  stats: {
    weekId: string;
    members: number;
    lessons: { lessonId: string; title: string; studied: number; share: number }[];
    signins: { marks: number; members: number; sessions?: Session[] };
    quiz: { answers: number; correct: number; members: number; hardest?: { question: string; answered: number; correct: number }[] };
    participation: { studied: number; signedIn: number; quiz: number; index: number };
    review: { members: number; answers: number; forgotten?: { question: string; times: number }[] };
  };
  demand: DemandPlan;
  trend: WeekFigures[];
  members: { userId: number; name: string; week: Counters; total: Counters; lastActive: number | null; inactive: boolean }[];
}

export interface MemberView {
  group: { id: number; title: string; timeZone: string };
  userId: number;
  name: string;
  timeline: { at: number; kind: string; about: string; counters: Counters }[];
}
