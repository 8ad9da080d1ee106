import { isRefused } from "../shared/telegram-errors.js";
import type { InputMediaPhoto, InputMediaVideo } from "grammy/types";
import { splitTelegramHtml, escapeHtml } from "../content/index.js";
import type { GroupsService } from "../groups/index.js";
import type { ScheduleRepository } from "../schedule/index.js";
import type { Locale } from "../shared/i18n.js";
import type { Delivery, Outbox } from "../outbox/index.js";
import { weekBounds } from "../shared/week.js";
import { rankFaq, type FaqCandidate } from "./faq-match.js";
import { answerKeyboard, makeLessonKeyboard } from "./questions.keyboards.js";
import type { QuestionsRepository } from "./questions.repository.js";
import { REMINDER_TIMER } from "./questions.service.js";
import { answerHeader, excerpt, headedCaption } from "./questions.text.js";
import type { AnswerRecord, ExpertMessage, LessonMediaKind, QuestionState, WeekSummary } from "./questions.types.js";
import { cutToUnits } from "../shared/graphemes.js";
import type { Runtime } from "../shared/runtime.js";
import type { ProposalInput, ProposeResult } from "../lessons/authoring/index.js";
import type { Track } from "../content/index.js";

/** How long album parts are collected before they are relayed together. */
export const ALBUM_WAIT_MS = 1500;
const CAPTIONABLE = new Set(["photo", "voice", "document", "video", "audio", "animation"]);
const ALBUM_TYPES = new Set(["photo", "video", "document", "audio"]);
/** Media an answer may hand on to a lesson made from it (what a lesson can send by file id). */
const LESSON_MEDIA: readonly string[] = ["photo", "video", "document", "audio"] satisfies LessonMediaKind[];
const isLessonMedia = (kind: string): kind is LessonMediaKind => LESSON_MEDIA.includes(kind);

export type RelayResult =
  | { kind: "not-a-question" }
  | { kind: "duplicate" }
  | { kind: "collecting" }
  | { kind: "failed"; questionId: number }
  | { kind: "queued"; questionId: number; n: number }
  | { kind: "relayed"; questionId: number; n: number };

/** The outbox job kind of an expert's answer relayed to the member. */
export const ANSWER_JOB = "answer";

export interface AnswersDeps extends Runtime {
  repo: QuestionsRepository;
  groups: GroupsService;
  timers: Pick<ScheduleRepository, "cancelTimer">;
  expertsChatId?: number;
  expertsLocale: Locale;
  /** There is someone to review a lesson made from an answer (county organisers are configured). */
  canProposeLessons: boolean;
  /** Hands an answer to the lesson authors as a proposal (the authoring feature's `propose`). */
  proposeLesson: (input: ProposalInput) => Promise<ProposeResult>;
  /** Where relays are enqueued (the outbox); each is sent by `relayJob`. */
  outbox: Pick<Outbox, "enqueue">;
}

/** Asked in the group chat itself, where everyone saw it (not in a private chat about the group). */
const askedInGroup = (q: QuestionState) => q.chatId === q.groupId;

export function createAnswersService(deps: AnswersDeps) {
  const { repo, api, t, clock, pacer } = deps;
  const log = deps.logger.child({ feature: "questions" });

  /** The active groups whose roster has this member (for private /faq). */
  async function rosterGroupsOf(userId: number): Promise<number[]> {
    const ids = await deps.groups.groupsOf(userId);
    const kept = await Promise.all(ids.map(async (id) => (await deps.groups.isOnRoster(id, userId)) && (await deps.groups.get(id))?.active === true));
    return ids.filter((_, i) => kept[i]);
  }

  function where(q: QuestionState) {
    return {
      reply_parameters: { message_id: q.messageId, allow_sending_without_reply: true },
      ...(q.threadId !== undefined ? { message_thread_id: q.threadId } : {}),
    };
  }

  /** Sends one answer back where the question was asked, as a reply to the member's message. */
  async function deliver(q: QuestionState, n: number, parts: ExpertMessage[], expertsChatId: number, delivery: Delivery): Promise<void> {
    const first = parts[0] as ExpertMessage;
    const header = answerHeader(t, q.locale, first.expertName, q.id);
    // In a private chat there is no group admin to make it public: ratings only.
    const keyboard = answerKeyboard(t, q.locale, q.id, n, q.groupId !== undefined && q.chatId === q.groupId);
    if (parts.length > 1 && parts.every((p) => p.fileId && ALBUM_TYPES.has(p.kind))) {
      const media = parts.map((p, i) => ({
        type: p.kind,
        media: p.fileId as string,
        ...(i === 0 ? { caption: headedCaption(header, p.text), parse_mode: "HTML" as const } : p.text ? { caption: escapeHtml(cutToUnits(p.text, 1000)) } : {}),
      })) as (InputMediaPhoto | InputMediaVideo)[]; // Telegram itself checks the mix (documents or audio only among their kind)
      // One delivery step for the whole album: Telegram sends it as one request.
      const anchor = await delivery.send("album", q.chatId, async () => {
        const sent = await api.sendMediaGroup(q.chatId, media, where(q));
        return { message_id: sent[0]?.message_id ?? q.messageId };
      });
      await delivery.send("rate", q.chatId, () =>
        api.sendMessage(q.chatId, t(q.locale, "questions-rate-prompt"), {
          reply_parameters: { message_id: anchor, allow_sending_without_reply: true },
          ...(q.threadId !== undefined ? { message_thread_id: q.threadId } : {}),
          reply_markup: keyboard,
        }),
      );
      return;
    }
    for (const [i, p] of parts.entries()) {
      const last = i === parts.length - 1;
      const markup = last ? { reply_markup: keyboard } : {};
      if (p.kind === "text") {
        const chunks = splitTelegramHtml(`${i === 0 ? header : ""}\n\n${escapeHtml(p.text)}`.trim());
        for (const [j, chunk] of chunks.entries()) {
          const end = j === chunks.length - 1;
          await delivery.send(`part:${i}:${j}`, q.chatId, () => api.sendMessage(q.chatId, chunk, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...where(q), ...(end ? markup : {}) }));
        }
      } else if (CAPTIONABLE.has(p.kind)) {
        const caption = i === 0 ? headedCaption(header, p.text) : p.text ? escapeHtml(cutToUnits(p.text, 1000)) : undefined;
        await delivery.send(`part:${i}`, q.chatId, () => api.copyMessage(q.chatId, expertsChatId, p.messageId, { caption, parse_mode: "HTML", ...where(q), ...markup }));
      } else {
        // Stickers and video notes take no caption: the header goes first, on its own.
        if (i === 0) await delivery.send("header", q.chatId, () => api.sendMessage(q.chatId, header, { parse_mode: "HTML", ...where(q) }));
        await delivery.send(`part:${i}`, q.chatId, () => api.copyMessage(q.chatId, expertsChatId, p.messageId, { ...where(q), ...markup }));
      }
    }
  }

  /** Finds the question the parts answer and enqueues the relay (id: the expert's first message). */
  async function relayParts(parts: ExpertMessage[]): Promise<RelayResult> {
    const expertsChatId = deps.expertsChatId;
    if (expertsChatId === undefined || parts.length === 0) return { kind: "not-a-question" };
    let questionId: number | undefined;
    for (const p of parts) {
      questionId ??= await repo.questionForExpertMessage(expertsChatId, p.replyTo);
    }
    const q = questionId !== undefined ? await repo.get(questionId) : undefined;
    if (!q) return { kind: "not-a-question" };
    const n = await repo.nextAnswerNumber(q.id);
    try {
      await deps.outbox.enqueue(ANSWER_JOB, `${expertsChatId}-${(parts[0] as ExpertMessage).messageId}`, { questionId: q.id, n, parts });
    } catch (err) {
      log.warn({ err, question: q.id }, "could not queue an answer");
      for (const p of parts) await repo.releaseRelay(expertsChatId, p.messageId);
      return { kind: "failed", questionId: q.id };
    }
    return { kind: "queued", questionId: q.id, n };
  }

  /**
   * The outbox job of one answer: its parts to the member (each a delivery step, so a retry resumes), the answer
   * recorded once, then the expert told. Telegram refusing the relay gives the claim back and tells the expert.
   */
  async function relayJob(payload: Record<string, unknown>, delivery: Delivery): Promise<void> {
    const expertsChatId = deps.expertsChatId;
    const parts = payload.parts as ExpertMessage[];
    const first = parts[0];
    const q = await repo.get(Number(payload.questionId));
    if (expertsChatId === undefined || !first || !q) return;
    const n = Number(payload.n);
    const tellExpert = (result: RelayResult) =>
      delivery.send("confirm", expertsChatId, () =>
        api.sendMessage(expertsChatId, confirmation(result) ?? "", {
          reply_parameters: { message_id: first.messageId, allow_sending_without_reply: true },
          // Under a relayed answer: "Make a lesson", when there is a county organiser to review it.
          ...(result.kind === "relayed" && deps.canProposeLessons ? { reply_markup: makeLessonKeyboard(t, deps.expertsLocale, result.questionId, result.n) } : {}),
        }),
      );
    try {
      await deliver(q, n, parts, expertsChatId, delivery);
    } catch (err) {
      // 429, 5xx and network errors: the outbox retries the job, which resumes after the parts already sent.
      if (!isRefused(err)) throw err;
      log.warn({ err, question: q.id }, "could not relay an answer");
      for (const p of parts) await repo.releaseRelay(expertsChatId, p.messageId);
      await tellExpert({ kind: "failed", questionId: q.id });
      return;
    }
    await delivery.once("record", async () => {
      const text = parts.map((p) => p.text).filter(Boolean).join(" ");
      const record: AnswerRecord = {
        n,
        expertId: first.expertId,
        expertName: first.expertName,
        at: clock.now(),
        excerpt: excerpt(text || t(q.locale, first.kind === "voice" ? "questions-media-voice" : "questions-media-other"), 200),
        text: parts.map((p) => p.text).filter(Boolean).join("\n\n"),
        media: parts.flatMap((p) => (p.fileId && isLessonMedia(p.kind) ? [{ kind: p.kind, fileId: p.fileId }] : [])),
      };
      if (await repo.recordAnswer(q, record)) await deps.timers.cancelTimer(`${REMINDER_TIMER}:${q.id}`);
    });
    await tellExpert({ kind: "relayed", questionId: q.id, n });
    log.info({ question: q.id, answer: n, expert: first.expertId, parts: parts.length }, "answer relayed");
  }

  /** Albums still collecting (their flush waits for the rest), and the flushes running: stop() sees to both. */
  const collecting = new Map<string, ReturnType<typeof setTimeout>>();
  const flushing = new Set<Promise<void>>();
  function flushNow(mediaGroupId: string): void {
    collecting.delete(mediaGroupId);
    const run = flushAlbum(mediaGroupId).catch((err: unknown) => log.error({ err }, "album relay failed"));
    flushing.add(run);
    void run.finally(() => flushing.delete(run));
  }

  async function flushAlbum(mediaGroupId: string): Promise<void> {
    const raw = await repo.albumParts(mediaGroupId);
    const seen = new Set<number>();
    const parts = raw
      .map((r) => JSON.parse(r) as ExpertMessage)
      .filter((p) => !seen.has(p.messageId) && seen.add(p.messageId))
      .sort((a, b) => a.messageId - b.messageId)
      .slice(0, 10);
    const result = await relayParts(parts);
    // The update that started the album has long been handled: only a failure to queue is told from here.
    const text = confirmation(result);
    if (text && parts[0] && deps.expertsChatId !== undefined) {
      const chatId = deps.expertsChatId;
      await pacer(() => api.sendMessage(chatId, text, { reply_parameters: { message_id: (parts[0] as ExpertMessage).messageId, allow_sending_without_reply: true } }));
    }
  }

  /** What the expert is told after a relay (nothing for messages that are not answers). */
  function confirmation(result: RelayResult): string | undefined {
    if (result.kind === "relayed") return t(deps.expertsLocale, "questions-relayed", { id: result.questionId });
    if (result.kind === "failed") return t(deps.expertsLocale, "questions-relay-failed", { id: result.questionId });
    return undefined;
  }

  return {
    confirmation,
    relayJob,

    /** The app stops: an album still collecting is relayed now with the parts it has, and running relays are waited for. */
    async stop(): Promise<void> {
      for (const [id, timer] of collecting) {
        clearTimeout(timer);
        flushNow(id);
      }
      await Promise.all([...flushing]);
    },

    /** An expert's message in the experts' chat: queued for relay once if it replies to a question (albums after collecting). */
    async relay(message: ExpertMessage): Promise<RelayResult> {
      const expertsChatId = deps.expertsChatId;
      if (expertsChatId === undefined) return { kind: "not-a-question" };
      if (!message.mediaGroupId && (await repo.questionForExpertMessage(expertsChatId, message.replyTo)) === undefined) {
        return { kind: "not-a-question" };
      }
      if (!(await repo.claimRelay(expertsChatId, message.messageId))) return { kind: "duplicate" };
      if (!message.mediaGroupId) return relayParts([message]);
      const leader = await repo.addAlbumPart(message.mediaGroupId, JSON.stringify(message));
      if (leader) {
        const id = message.mediaGroupId;
        collecting.set(id, setTimeout(() => flushNow(id), ALBUM_WAIT_MS));
      }
      return { kind: "collecting" };
    },

    /**
     * "Make a lesson" under a relayed answer, pressed in the experts' chat (so by an expert): the question and the
     * answer become a lesson proposal for the county organisers to review. A question of no track goes to policy.
     */
    async makeLesson(questionId: number, n: number): Promise<{ kind: "stale" } | ProposeResult> {
      const q = await repo.get(questionId);
      const a = q ? await repo.answer(questionId, n) : undefined;
      if (!q || !a) return { kind: "stale" };
      const track: Track = q.track === "other" ? "policy" : q.track;
      return deps.proposeLesson({
        key: `${questionId}-${n}`,
        track,
        question: q.text,
        answer: a.text ?? a.excerpt,
        media: a.media ?? [],
        expertName: a.expertName,
        expertId: a.expertId,
      });
    },

    /** The asker rates an answer; a change of mind overwrites. */
    async rate(questionId: number, n: number, userId: number, helpful: boolean): Promise<{ kind: "stale" } | { kind: "not-asker" } | { kind: "rated"; changed: boolean }> {
      const q = await repo.get(questionId);
      if (!q || !(await repo.answer(questionId, n))) return { kind: "stale" };
      if (q.userId !== userId) return { kind: "not-asker" };
      const rating = helpful ? "helpful" : "not-helpful";
      const previous = await repo.rate(questionId, n, rating);
      log.info({ question: questionId, answer: n, rating }, "answer rated");
      return { kind: "rated", changed: previous !== null && previous !== rating };
    },

    /**
     * An organiser (the question's group's admins, or county organisers) makes an answer findable by
     * /faq in that group. A question asked in private (a secretary's, about a secretaries' lesson) never
     * gets the button; a forged press for one is stale.
     */
    async makePublic(questionId: number, n: number, userId: number): Promise<{ kind: "stale" } | { kind: "not-organiser" } | { kind: "public"; already: boolean }> {
      const q = await repo.get(questionId);
      if (!q || q.groupId === undefined || !askedInGroup(q)) return { kind: "stale" };
      // Includes the county organisers.
      if (!(await deps.groups.isOrganiser(q.groupId, userId))) return { kind: "not-organiser" };
      const a = await repo.answer(questionId, n);
      if (!a) return { kind: "stale" };
      const entry = { id: q.id, n, groupId: q.groupId, question: q.text, answer: a.excerpt, at: a.at };
      return { kind: "public", already: !(await repo.makePublic(questionId, n, clock.now(), entry)) };
    },

    /**
     * `/faq`: the best three answers organisers made public in the asker's own group (`groupId`), or
     * in private (`userId`) in the groups whose roster has them. Nothing asked in private shows.
     * One read per group, whatever the county's size.
     */
    async faq(query: string, groupId?: number, userId?: number): Promise<{ id: number; question: string; answer: string }[]> {
      const groupIds = groupId !== undefined ? [groupId] : userId !== undefined ? await rosterGroupsOf(userId) : [];
      const entries = (await Promise.all(groupIds.map((g) => repo.publicAnswersOf(g)))).flat();
      const candidates: FaqCandidate<{ id: number; question: string; answer: string }>[] = [];
      const used = new Set<number>();
      for (const e of entries.sort((a, b) => b.at - a.at)) {
        if (used.has(e.id)) continue;
        used.add(e.id);
        candidates.push({ item: { id: e.id, question: e.question, answer: e.answer }, text: `${e.question} ${e.answer}`, at: e.at });
      }
      return rankFaq(query, candidates).map((r) => r.item);
    },

    /**
     * One ISO week of a group's questions for the organisers' reports: asked that week, how many of
     * those got an answer, the median time to the first answer, and the asker's ratings of their answers.
     */
    async weekSummary(groupId: number, weekId: string): Promise<WeekSummary> {
      const group = await deps.groups.get(groupId);
      const { start, end } = weekBounds(weekId, group?.timeZone ?? "Asia/Shanghai");
      const questions = await repo.many(await repo.askedBetween(groupId, start, end));
      const waits = questions
        .filter((q) => q.firstAnswerAt !== undefined)
        .map((q) => (q.firstAnswerAt as number) - q.askedAt)
        .sort((a, b) => a - b);
      let helpful = 0;
      let notHelpful = 0;
      for (const q of questions) {
        for (const r of await repo.ratingsOf(q.id)) {
          if (r === "helpful") helpful++;
          else if (r === "not-helpful") notHelpful++;
        }
      }
      return { asked: questions.length, answered: waits.length, medianFirstAnswerMs: median(waits), helpful, notHelpful };
    },
  };
}

/** Median of sorted numbers; null for none. */
export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export type AnswersService = ReturnType<typeof createAnswersService>;
