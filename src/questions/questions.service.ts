import { randomBytes } from "node:crypto";
import { recordActivity, type ActivityRepository } from "../activity/index.js";
import type { Curriculum, Lesson } from "../content/types.js";
import type { GroupInfo, GroupsService } from "../groups/index.js";
import { TIMER_LEASE_MS, type ScheduleRepository, type TimerEntry } from "../schedule/index.js";
import { keepRateLimits } from "../outbox/index.js";
import type { Locale } from "../shared/i18n.js";
import { createExpertsChat, type ExpertsChat } from "./experts-chat.js";
import { questionsCountedKey, type QuestionsRepository } from "./questions.repository.js";
import { expertCard, MAX_QUESTION_LENGTH, openLine } from "./questions.text.js";
import type { Draft, MediaKind, Prompt, Question, QuestionState, QuestionTrack } from "./questions.types.js";
import type { Runtime } from "../shared/runtime.js";

export const REMINDER_TIMER = "question-reminder";
/** At most this many questions per member per minute. */
export const ASK_LIMIT = { count: 3, windowMs: 60_000 };
const OPEN_LIST_LIMIT = 20;
const CAPTIONABLE = new Set<MediaKind>(["photo", "voice", "document", "video", "audio", "animation"]);

export interface QuestionsDeps extends Runtime {
  repo: QuestionsRepository;
  activity: ActivityRepository;
  groups: GroupsService;
  curriculum: Curriculum;
  lessonByRef: (ref: string) => Lesson | undefined;
  timers: Pick<ScheduleRepository, "setTimer" | "cancelTimer">;
  /** Unset: no experts are set up and /ask says so. */
  expertsChatId?: number;
  /** The experts' chat reads cards in this language. */
  expertsLocale: Locale;
  defaultTimeZone: string;
}

/** What a member sent as a question (from /ask, a caption, a reply to the prompt or a lesson's button). */
export interface AskInput {
  chatId: number;
  messageId: number;
  threadId?: number;
  /** Asked in this study group. */
  group?: GroupInfo;
  /** Asked in private about a lesson sent for this group's secretaries. */
  forGroupId?: number;
  userId: number;
  userName: string;
  text: string;
  media?: MediaKind;
  lessonId?: string;
  track?: QuestionTrack;
  locale: Locale;
}

export type AskResult =
  | { kind: "no-experts" }
  | { kind: "empty" }
  | { kind: "too-long"; max: number }
  | { kind: "rate-limited" }
  | { kind: "duplicate" }
  | { kind: "pick-track"; draftId: string }
  | { kind: "asked"; question: Question };

export function createQuestionsService(deps: QuestionsDeps) {
  const { repo, api, t, clock, pacer } = deps;
  const log = deps.logger.child({ feature: "questions" });
  // The curriculum's own index: lessons written in Telegram join it without a restart.
  const lessonById = deps.curriculum.byId;
  const experts: ExpertsChat | undefined =
    deps.expertsChatId === undefined
      ? undefined
      : createExpertsChat({ api, repo, chatId: deps.expertsChatId, locale: deps.expertsLocale, t, logger: log });

  /** Posts the card (and copies the member's media under it); every message maps back to the question. */
  async function postToExperts(q: QuestionState, reminder = false): Promise<void> {
    if (!experts) return;
    const chatId = experts.chatId;
    const replyTo = reminder && q.card ? { message_id: q.card.messageId, allow_sending_without_reply: true } : undefined;
    // Replies are mapped by the card's message id: a card the outbox sent later could not be answered.
    const { message, threadId } = await experts.send(q.track, (thread) =>
      keepRateLimits(() =>
        pacer(() =>
          api.sendMessage(chatId, expertCard(t, deps.expertsLocale, q, { reminder }), {
            parse_mode: "HTML",
            message_thread_id: thread,
            reply_parameters: replyTo,
            link_preview_options: { is_disabled: true },
          }),
        ),
      ),
    );
    await repo.mapExpertMessage(chatId, message.message_id, q.id);
    if (!reminder) await repo.setCard(q.id, { messageId: message.message_id, threadId });
    if (q.media && !reminder) {
      const copy = await pacer(() =>
        api.copyMessage(chatId, q.chatId, q.messageId, {
          message_thread_id: threadId,
          reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
          ...(CAPTIONABLE.has(q.media as MediaKind) ? { caption: `#${q.id}` } : {}),
        }),
      );
      await repo.mapExpertMessage(chatId, copy.message_id, q.id);
    }
  }

  async function create(input: AskInput, track: QuestionTrack, group: GroupInfo | undefined): Promise<Question> {
    const lesson = input.lessonId ? lessonById.get(input.lessonId) : undefined;
    const id = await repo.nextId();
    const askedAt = clock.now();
    const question: Question = {
      id,
      chatId: input.chatId,
      messageId: input.messageId,
      ...(input.threadId !== undefined ? { threadId: input.threadId } : {}),
      ...(group ? { groupId: group.id, groupTitle: group.title } : {}),
      userId: input.userId,
      userName: input.userName,
      track,
      ...(lesson ? { lessonId: lesson.id, lessonTitle: lesson.title } : {}),
      text: input.text,
      ...(input.media ? { media: input.media } : {}),
      locale: group?.locale ?? input.locale,
      timeZone: group?.timeZone ?? deps.defaultTimeZone,
      askedAt,
      reminderHours: (group?.schedule ?? deps.curriculum.schedule).question_reminder_hours,
    };
    await repo.save(question);
    if (group) {
      await recordActivity(deps.activity, {
        groupId: group.id,
        timeZone: group.timeZone,
        userId: input.userId,
        at: askedAt,
        ref: `question:${id}`,
        increments: { questions_asked: 1 },
        once: { key: questionsCountedKey(group.id), member: String(id) },
      });
    }
    if (question.reminderHours > 0) {
      const at = askedAt + Math.round(question.reminderHours * 3_600_000);
      await deps.timers.setTimer({ id: `${REMINDER_TIMER}:${id}`, kind: REMINDER_TIMER, at, payload: { id } });
    }
    try {
      await postToExperts({ ...question, answers: 0 });
    } catch (err) {
      // The question is kept and listed by /open; the reminder posts it again.
      log.error({ err, question: id }, "could not post a question to the experts' chat");
    }
    log.info({ question: id, group: group?.id, track }, "question asked");
    return question;
  }

  async function groupOf(input: AskInput): Promise<GroupInfo | undefined> {
    if (input.group) return input.group;
    return input.forGroupId !== undefined ? deps.groups.get(input.forGroupId) : undefined;
  }

  return {
    expertsChatId: deps.expertsChatId,
    lessonByRef: deps.lessonByRef,

    /** A member asks: checks, then either a numbered question or a draft waiting for its track. */
    async ask(input: AskInput): Promise<AskResult> {
      if (!experts) return { kind: "no-experts" };
      const text = input.text.trim();
      if (!text && !input.media) return { kind: "empty" };
      if ([...text].length > MAX_QUESTION_LENGTH) return { kind: "too-long", max: MAX_QUESTION_LENGTH };
      if (!(await repo.claimAsk(input.chatId, input.messageId))) return { kind: "duplicate" };
      if (!(await repo.allowAsk(input.userId, clock.now(), ASK_LIMIT.count, ASK_LIMIT.windowMs))) return { kind: "rate-limited" };
      const lesson = input.lessonId ? lessonById.get(input.lessonId) : undefined;
      const track = input.track ?? lesson?.track;
      const group = await groupOf(input);
      if (!track) {
        const draftId = randomBytes(6).toString("base64url");
        const draft: Draft = {
          chatId: input.chatId,
          messageId: input.messageId,
          ...(input.threadId !== undefined ? { threadId: input.threadId } : {}),
          ...(group ? { groupId: group.id } : {}),
          userId: input.userId,
          userName: input.userName,
          text,
          ...(input.media ? { media: input.media } : {}),
        };
        await repo.saveDraft(draftId, draft);
        return { kind: "pick-track", draftId };
      }
      return { kind: "asked", question: await create({ ...input, text }, track, group) };
    },

    /** The member picked a track for a draft: only the asker, and only once. */
    async pickTrack(draftId: string, userId: number, track: QuestionTrack, locale: Locale): Promise<{ kind: "stale" } | { kind: "not-yours" } | { kind: "asked"; question: Question }> {
      const peek = await repo.draft(draftId);
      if (!peek) return { kind: "stale" };
      if (peek.userId !== userId) return { kind: "not-yours" };
      const draft = await repo.takeDraft(draftId);
      if (!draft) return { kind: "stale" };
      const group = draft.groupId !== undefined ? await deps.groups.get(draft.groupId) : undefined;
      const { groupId: _g, ...rest } = draft;
      return { kind: "asked", question: await create({ ...rest, locale }, track, group) };
    },

    /** Remembers that the bot asked this member "what is your question?" with message `promptId`. */
    rememberPrompt: (chatId: number, promptId: number, prompt: Prompt) => repo.savePrompt(chatId, promptId, prompt),
    /** The prompt a message replies to, if it was for this member. */
    async promptFor(chatId: number, promptId: number, userId: number): Promise<Prompt | undefined> {
      const prompt = await repo.prompt(chatId, promptId);
      return prompt && prompt.userId === userId ? prompt : undefined;
    },
    dropPrompt: (chatId: number, promptId: number) => repo.dropPrompt(chatId, promptId),

    /** Timer: a question still unanswered is announced again in the experts' chat, once. */
    async remind(timer: TimerEntry): Promise<void> {
      const id = Number(timer.payload.id);
      const q = await repo.get(id);
      if (!q || q.firstAnswerAt !== undefined) return;
      // At-least-once: a claim whose post never happened (a crash) is taken over after the timer's lease.
      const claim = await repo.claimReminder(id, clock.now(), TIMER_LEASE_MS);
      if (claim === "done") return;
      if (claim === "busy") throw new Error("question reminder being posted elsewhere"); // the timer comes back
      await postToExperts(q, true);
      await repo.reminderPosted(id, clock.now());
      log.info({ question: id }, "question re-announced");
    },

    /** `/open`: unanswered questions, oldest first, as HTML for the experts' chat. */
    async openList(): Promise<string> {
      if (deps.expertsChatId === undefined) return t(deps.expertsLocale, "questions-no-experts");
      const { ids, total } = await repo.open(OPEN_LIST_LIMIT);
      if (total === 0) return t(deps.expertsLocale, "questions-open-none");
      const now = clock.now();
      const lines = (await repo.many(ids)).map((q) => openLine(t, deps.expertsLocale, q, { now, expertsChatId: deps.expertsChatId as number }));
      const head = t(deps.expertsLocale, "questions-open-title", { count: total });
      const more = total > ids.length ? [t(deps.expertsLocale, "questions-open-more", { count: total - ids.length })] : [];
      return [`<b>${head}</b>`, ...lines, ...more].join("\n");
    },

    /** Whether `chatId` is the experts' chat. */
    isExpertsChat: (chatId: number | undefined) => chatId !== undefined && chatId === deps.expertsChatId,
    experts,
    get: (id: number) => repo.get(id),
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
