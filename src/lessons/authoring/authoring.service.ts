import { randomBytes } from "node:crypto";
import { InlineKeyboard, type Api } from "grammy";
import type { MessageEntity, Poll } from "grammy/types";
import { entitiesToTelegramHtml, escapeHtml, TRACKS } from "../../content/index.js";
import type { Curriculum, QuizItem, Track } from "../../content/index.js";
import type { GroupInfo, GroupsService } from "../../groups/index.js";
import type { LessonsService } from "../lessons.service.js";
import { sendQuizPoll } from "../../quizzes/index.js";
import { encodeCallback } from "../../shared/callback-data.js";
import { cutGraphemes } from "../../shared/graphemes.js";
import type { Locale, Translate } from "../../shared/i18n.js";
import { isRefused } from "../../shared/telegram-errors.js";
import type { Logger } from "../../shared/logger.js";
import type { Pacer } from "../../shared/pacer.js";
import type { Clock } from "../../shared/clock.js";
import type { AuthoringRepository } from "./authoring.repository.js";
import { DRAFT_LIMITS, type Draft, type Proposal } from "./authoring.types.js";
import { toLesson, type WrittenLesson, type WrittenMedia, type WrittenLessons } from "./written-lessons.js";

export const AUTHORING_PREFIX = "wl";

export interface AuthoringDeps {
  repo: AuthoringRepository;
  written: WrittenLessons;
  curriculum: Curriculum;
  lessons: LessonsService;
  groups: GroupsService;
  api: Api;
  t: Translate;
  pacer: Pacer;
  clock: Clock;
  logger: Logger;
  /** County organisers (ORGANIZER_IDS): who reviews the lessons experts propose from their answers. */
  organizerIds: readonly number[];
  /** The language proposals are announced in (the organisers' own is known only once they write). */
  defaultLocale: Locale;
}

/** What an expert's "Make a lesson" hands over: the question and the answer as relayed. */
export interface ProposalInput {
  key: string;
  track: Track;
  question: string;
  answer: string;
  media: WrittenMedia[];
  expertName: string;
  expertId: number;
}

export type ProposeResult = { kind: "proposed"; reached: number } | { kind: "exists" } | { kind: "no-organisers" };

/** Who is writing: their id and the locale the bot speaks to them in. */
export interface Author {
  id: number;
  locale: Locale;
}

/** A new lesson's id: short and plain, as the lesson schema wants (`w-` and 12 letters or digits). */
const newLessonId = () => `w-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;

/**
 * `/newlesson` in private: a small state machine (the draft in Redis) that asks for the track, the audience,
 * the title and the body, takes media and quiz polls, previews the lesson as members will see it and publishes it.
 */
export function createAuthoringService(deps: AuthoringDeps) {
  const { repo, written, curriculum, api, t, groups } = deps;
  const log = deps.logger.child({ feature: "lessons", part: "authoring" });

  const say = (author: Author, key: string, vars?: Record<string, string | number>, keyboard?: InlineKeyboard) =>
    deps.pacer(() => api.sendMessage(author.id, t(author.locale, key, vars), { parse_mode: "HTML", reply_markup: keyboard }));

  const trackName = (author: Author, track: Track) => t(author.locale, `lessons-track-${track}`);

  function trackKeyboard(author: Author): InlineKeyboard {
    const kb = new InlineKeyboard();
    for (const track of TRACKS) kb.text(trackName(author, track), encodeCallback(AUTHORING_PREFIX, "t", track)).row();
    return kb;
  }

  function audienceKeyboard(author: Author, draft: Draft): InlineKeyboard {
    const kb = new InlineKeyboard();
    if (draft.county) kb.text(t(author.locale, "authoring-audience-county"), encodeCallback(AUTHORING_PREFIX, "a", "all")).row();
    for (const g of draft.groups) kb.text(cutGraphemes(g.title, 40), encodeCallback(AUTHORING_PREFIX, "a", g.id)).row();
    return kb;
  }

  function extrasKeyboard(author: Author, draft: Draft): InlineKeyboard {
    const kb = new InlineKeyboard().text(t(author.locale, "authoring-preview-button"), encodeCallback(AUTHORING_PREFIX, "p"));
    if (draft.media.length + draft.quiz.length > 0) kb.text(t(author.locale, "authoring-clear-button"), encodeCallback(AUTHORING_PREFIX, "c"));
    return kb;
  }
  const publishKeyboard = (author: Author, draft: Draft) => {
    const kb = new InlineKeyboard()
      .text(t(author.locale, "authoring-publish-button"), encodeCallback(AUTHORING_PREFIX, "ok"))
      .text(t(author.locale, "authoring-cancel-button"), encodeCallback(AUTHORING_PREFIX, "x"));
    // An edited lesson keeps its place (groups may have had it there).
    if (!draft.editing) kb.row().text(t(author.locale, "authoring-place-button"), encodeCallback(AUTHORING_PREFIX, "o"));
    return kb;
  };

  /** The other lessons of the draft's track, in the order groups walk it. */
  const trackLessons = (draft: Draft) => (draft.track ? curriculum.byTrack[draft.track].filter((l) => l.id !== draft.id) : []);

  /** The lesson's number in its track once published (the header members see: 第 N 课). */
  const positionOf = (draft: Draft, order: number) => trackLessons(draft).filter((l) => l.order <= order).length + 1;

  /** Places to put the lesson: before each lesson of the track (at most the last 30), or at the end. */
  function placeKeyboard(author: Author, draft: Draft): InlineKeyboard {
    const kb = new InlineKeyboard();
    const lessons = trackLessons(draft);
    const from = Math.max(0, lessons.length - 30);
    lessons.slice(from).forEach((l, i) => {
      kb.text(cutGraphemes(t(author.locale, "authoring-place-before", { n: from + i + 1, title: l.title }), 60), encodeCallback(AUTHORING_PREFIX, "o", from + i)).row();
    });
    return kb.text(t(author.locale, "authoring-place-end"), encodeCallback(AUTHORING_PREFIX, "o", "end"));
  }

  /** The order that puts a lesson before the track's lesson at `index` (between it and the one before), or at the end. */
  function orderBefore(draft: Draft, index: number | "end"): number | undefined {
    const lessons = trackLessons(draft);
    if (index === "end") return Math.max(0, ...lessons.map((l) => l.order)) + 1;
    const next = lessons[index];
    if (!next) return undefined;
    const previous = index > 0 ? (lessons[index - 1]?.order ?? 0) : 0;
    return Math.round(((previous + next.order) / 2) * 1e6) / 1e6;
  }

  /** Asks the question of the draft's step again (after bad input, or when the author comes back). */
  async function ask(author: Author, draft: Draft): Promise<void> {
    switch (draft.step) {
      case "track":
        await say(author, "authoring-ask-track", {}, trackKeyboard(author));
        return;
      case "audience":
        await say(author, "authoring-ask-audience", {}, audienceKeyboard(author, draft));
        return;
      case "title":
        await say(author, "authoring-ask-title", { max: DRAFT_LIMITS.title });
        return;
      case "body":
        await say(author, "authoring-ask-body");
        return;
      case "extras":
        await say(author, "authoring-ask-extras", { media: draft.media.length, quiz: draft.quiz.length }, extrasKeyboard(author, draft));
        return;
    }
  }

  /** The groups this person organises (active ones they are on the roster of), by Telegram's say. */
  async function organisedGroups(userId: number): Promise<{ id: number; title: string }[]> {
    const out: { id: number; title: string }[] = [];
    for (const id of await groups.groupsOf(userId)) {
      const group = await groups.get(id);
      if (group?.active && (await groups.isOrganiser(id, userId))) out.push({ id, title: group.title });
    }
    return out;
  }

  /** The lesson the draft makes, as published (its order: the next in its track, or the one it keeps when edited). */
  function writtenOf(author: Author, draft: Draft): WrittenLesson {
    const track = draft.track ?? "policy";
    const orders = [...curriculum.byId.values()].filter((l) => l.track === track && l.id !== draft.id).map((l) => l.order);
    return {
      id: draft.id,
      track,
      title: draft.title ?? "",
      order: draft.editing?.order ?? draft.order ?? Math.max(0, ...orders) + 1,
      html: draft.html ?? "",
      text: draft.text ?? "",
      media: draft.media,
      quiz: draft.quiz,
      ...(typeof draft.groupId === "number" ? { groupId: draft.groupId } : {}),
      authorId: draft.editing?.authorId ?? author.id,
      publishedAt: draft.editing?.publishedAt ?? deps.clock.now(),
    };
  }

  /** The group the preview is dressed as: the lesson's own group, or one in the author's language. */
  async function previewGroup(author: Author, draft: Draft): Promise<GroupInfo> {
    const own = typeof draft.groupId === "number" ? await groups.get(draft.groupId) : undefined;
    if (own) return own;
    return { id: author.id, title: "", type: "group", isForum: false, active: true, locale: author.locale, timeZone: "UTC", registeredAt: 0, tracksOff: [], schedule: curriculum.schedule, scheduleUpdatedAt: 0 };
  }

  /** The written lessons this person may change: their own, or every one for a county organiser. */
  async function changeable(author: Author): Promise<WrittenLesson[]> {
    const county = groups.isCountyOrganiser(author.id);
    return (await repo.all())
      .map((raw) => JSON.parse(raw) as WrittenLesson)
      .filter((w) => !w.removed && (county || w.authorId === author.id))
      .sort((a, b) => a.publishedAt - b.publishedAt);
  }

  async function changeableOne(author: Author, id: string): Promise<WrittenLesson | undefined> {
    return (await changeable(author)).find((w) => w.id === id);
  }

  /**
   * "Edit": a draft of the published lesson (same id, track, audience, order), from its title on, its media and
   * quiz kept until the author clears them. "Remove": no longer pushed; kept for the history of where it went.
   */
  async function changeLesson(author: Author, action: "e" | "r", id: string): Promise<string> {
    const w = await changeableOne(author, id);
    if (!w) return t(author.locale, "authoring-stale");
    if (action === "r") {
      await repo.save({ ...w, removed: true });
      await written.sync();
      log.info({ user: author.id, lesson: w.id }, "written lesson removed");
      await say(author, "authoring-removed", { title: escapeHtml(w.title) });
      return "";
    }
    const organised = await organisedGroups(author.id);
    const draft: Draft = {
      id: w.id,
      step: "title",
      county: groups.isCountyOrganiser(author.id),
      groups: organised,
      track: w.track,
      groupId: w.groupId ?? null,
      media: w.media,
      quiz: w.quiz,
      editing: { order: w.order, publishedAt: w.publishedAt, authorId: w.authorId },
    };
    await repo.saveDraft(author.id, draft);
    await say(author, "authoring-editing", { title: escapeHtml(w.title) });
    await ask(author, draft);
    return "";
  }

  /** The lesson id a proposal is published under: one lesson per answer, whichever organiser publishes it. */
  const proposalLessonId = (key: string) => `q-${key}`;

  /**
   * "Review" under a proposal: it becomes this county organiser's draft at the media-and-quiz step (track, audience
   * county-wide, title and body filled in), to add quiz questions, preview and publish as any draft.
   */
  async function reviewProposal(author: Author, key: string): Promise<string> {
    const p = await repo.proposal(key);
    if (!p || !groups.isCountyOrganiser(author.id)) return t(author.locale, "authoring-stale");
    const id = proposalLessonId(key);
    if (await repo.get(id)) return t(author.locale, "authoring-proposal-published");
    const open = await current(author);
    if (open && open.id !== id) return t(author.locale, "authoring-finish-draft-first");
    const draft: Draft = {
      id,
      step: "extras",
      county: true,
      groups: await organisedGroups(author.id),
      track: p.track,
      groupId: null,
      title: p.title,
      html: p.html,
      text: p.text,
      media: p.media,
      quiz: [],
    };
    await repo.saveDraft(author.id, draft);
    log.info({ user: author.id, proposal: key }, "lesson proposal opened for review");
    await say(author, "authoring-proposal-draft", { title: escapeHtml(p.title), expert: escapeHtml(p.expertName), track: trackName(author, p.track) });
    await ask(author, draft);
    return "";
  }

  async function current(author: Author): Promise<Draft | undefined> {
    return repo.draft(author.id);
  }

  return {
    /** `/newlesson`: county organisers and group organisers start a draft; anyone else hears why not. */
    async start(author: Author): Promise<void> {
      const county = groups.isCountyOrganiser(author.id);
      const organised = await organisedGroups(author.id);
      if (!county && organised.length === 0) {
        await say(author, "authoring-not-allowed");
        return;
      }
      const draft: Draft = { id: newLessonId(), step: "track", county, groups: organised, media: [], quiz: [] };
      await repo.saveDraft(author.id, draft);
      log.info({ user: author.id, county, groups: organised.length }, "lesson draft started");
      await ask(author, draft);
    },

    /** `/cancel`: false when there was no draft (the command is someone else's then). */
    async cancel(author: Author): Promise<boolean> {
      if (!(await repo.dropDraft(author.id))) return false;
      await say(author, "authoring-cancelled");
      return true;
    },

    /** `/lessons edit|remove`: the lessons this person may change, as buttons (or that there are none). */
    async listChangeable(author: Author, action: "edit" | "remove"): Promise<void> {
      const list = await changeable(author);
      if (list.length === 0) {
        await say(author, "authoring-none-to-change");
        return;
      }
      const kb = new InlineKeyboard();
      for (const w of list.slice(-20)) kb.text(cutGraphemes(`${trackName(author, w.track)} · ${w.title}`, 60), encodeCallback(AUTHORING_PREFIX, action === "edit" ? "e" : "r", w.id)).row();
      await say(author, `authoring-pick-${action}`, {}, kb);
    },

    hasDraft: async (userId: number): Promise<boolean> => (await repo.draft(userId)) !== undefined,

    /**
     * An expert's answer as a lesson proposal: stored once per answer, and announced in private to every county
     * organiser with a "Review" button (those who never started the bot cannot be written to; counted, not failed).
     */
    async propose(input: ProposalInput): Promise<ProposeResult> {
      if (deps.organizerIds.length === 0) return { kind: "no-organisers" };
      const locale = deps.defaultLocale;
      const question = input.question.replace(/\s+/g, " ").trim();
      const title = cutGraphemes(question, DRAFT_LIMITS.title) || t(locale, "authoring-proposal-untitled", { expert: input.expertName });
      const html = t(locale, "authoring-proposal-body", { question: escapeHtml(input.question.trim()), expert: escapeHtml(input.expertName), answer: escapeHtml(input.answer.trim()) });
      const proposal: Proposal = {
        key: input.key,
        track: input.track,
        title,
        html,
        text: `${input.question.trim()}\n\n${input.answer.trim()}`,
        media: input.media.slice(0, DRAFT_LIMITS.media),
        expertName: input.expertName,
        proposedBy: input.expertId,
        at: deps.clock.now(),
      };
      if (!(await repo.propose(proposal))) return { kind: "exists" };
      const kb = new InlineKeyboard().text(t(locale, "authoring-proposal-review-button"), encodeCallback(AUTHORING_PREFIX, "m", input.key));
      let reached = 0;
      for (const id of deps.organizerIds) {
        try {
          await say({ id, locale }, "authoring-proposal-announce", { expert: escapeHtml(input.expertName), title: escapeHtml(title), track: trackName({ id, locale }, input.track) }, kb);
          reached++;
        } catch (err) {
          // Never started the bot, or blocked it: the others still hear of it.
          if (!isRefused(err)) throw err;
        }
      }
      log.info({ proposal: input.key, expert: input.expertId, organisers: deps.organizerIds.length, reached }, "lesson proposed from an answer");
      return { kind: "proposed", reached };
    },

    /** A text message: the title, or the body with its formatting; elsewhere the step is asked again. */
    async text(author: Author, text: string, entities: readonly MessageEntity[] = []): Promise<void> {
      const draft = await current(author);
      if (!draft) return;
      if (draft.step === "title") {
        const title = text.replace(/\s+/g, " ").trim();
        if (title === "" || cutGraphemes(title, DRAFT_LIMITS.title) !== title) {
          await say(author, "authoring-bad-title", { max: DRAFT_LIMITS.title });
          return ask(author, draft);
        }
        await repo.saveDraft(author.id, { ...draft, title, step: "body" });
        return ask(author, { ...draft, step: "body" });
      }
      if (draft.step === "body") {
        const html = entitiesToTelegramHtml(text, entities).trim();
        if (html === "") return ask(author, draft);
        const next: Draft = { ...draft, html, text, step: "extras" };
        await repo.saveDraft(author.id, next);
        return ask(author, next);
      }
      await say(author, "authoring-not-now");
      return ask(author, draft);
    },

    /** A photo, video, voice note, audio or document: kept by its file id once the body is in. */
    async media(author: Author, media: WrittenMedia): Promise<void> {
      const draft = await current(author);
      if (!draft) return;
      if (draft.step !== "extras") {
        await say(author, "authoring-media-not-yet");
        return ask(author, draft);
      }
      if (draft.media.length >= DRAFT_LIMITS.media) {
        await say(author, "authoring-media-full", { max: DRAFT_LIMITS.media });
        return ask(author, draft);
      }
      const next = { ...draft, media: [...draft.media, media] };
      await repo.saveDraft(author.id, next);
      await say(author, `authoring-added-${media.kind}`);
      return ask(author, next);
    },

    /** A poll the author made with Telegram's composer: a quiz poll is a question (its correct option and explanation). */
    async poll(author: Author, poll: Poll): Promise<void> {
      const draft = await current(author);
      if (!draft) return;
      if (draft.step !== "extras") {
        await say(author, "authoring-media-not-yet");
        return ask(author, draft);
      }
      // Telegram tells the bot the right answer of a quiz sent in its private chat (Poll.correct_option_id).
      const answer = poll.type === "quiz" ? (poll as Poll & { correct_option_id?: number }).correct_option_id : undefined;
      const item: QuizItem = { question: poll.question, options: poll.options.map((o) => o.text), answer: answer ?? -1, ...(poll.explanation ? { explanation: poll.explanation } : {}) };
      const { quizItemSchema } = await import("../../content/quiz.schema.js");
      const checked = quizItemSchema.safeParse(item);
      if (answer === undefined || !checked.success) {
        await say(author, poll.type === "quiz" ? "authoring-bad-quiz" : "authoring-not-a-quiz");
        return ask(author, draft);
      }
      if (draft.quiz.length >= DRAFT_LIMITS.quiz) {
        await say(author, "authoring-quiz-full", { max: DRAFT_LIMITS.quiz });
        return ask(author, draft);
      }
      const next = { ...draft, quiz: [...draft.quiz, checked.data] };
      await repo.saveDraft(author.id, next);
      await say(author, "authoring-added-quiz", { question: escapeHtml(cutGraphemes(item.question, 60)) });
      return ask(author, next);
    },

    /** A button under one of the flow's questions. Answers the toast text (empty for none). */
    async press(author: Author, action: string, arg: string | undefined): Promise<string> {
      if (action === "e" || action === "r") return changeLesson(author, action, arg ?? "");
    if (action === "m") return reviewProposal(author, arg ?? "");
      const draft = await current(author);
      if (!draft) return t(author.locale, "authoring-no-draft");
      if (action === "c" && draft.step === "extras") {
        const next: Draft = { ...draft, media: [], quiz: [] };
        await repo.saveDraft(author.id, next);
        await ask(author, next);
        return "";
      }
      if (action === "x") {
        await repo.dropDraft(author.id);
        await say(author, "authoring-cancelled");
        return "";
      }
      if (action === "t" && draft.step === "track") {
        const track = TRACKS.find((x) => x === arg);
        if (!track) return t(author.locale, "authoring-stale");
        const next: Draft = { ...draft, track, step: "audience" };
        await repo.saveDraft(author.id, next);
        await ask(author, next);
        return "";
      }
      if (action === "a" && draft.step === "audience") {
        const groupId = arg === "all" && draft.county ? null : draft.groups.find((g) => String(g.id) === arg)?.id;
        if (groupId === undefined) return t(author.locale, "authoring-stale");
        const next: Draft = { ...draft, groupId, step: "title" };
        await repo.saveDraft(author.id, next);
        await ask(author, next);
        return "";
      }
      if (action === "p" && draft.step === "extras") {
        await written.sync();
        const checked = await toLesson(writtenOf(author, draft));
        if ("problems" in checked) {
          await say(author, "authoring-invalid", { problems: escapeHtml(checked.problems.join("; ")) });
          return "";
        }
        const group = await previewGroup(author, draft);
        await say(author, "authoring-preview-intro");
        await deps.lessons.preview(author.id, checked.lesson, group);
        for (const item of checked.lesson.quiz) await sendQuizPoll(api, deps.pacer, author.id, item);
        const where = typeof draft.groupId === "number" ? (draft.groups.find((g) => g.id === draft.groupId)?.title ?? "") : t(author.locale, "authoring-audience-county");
        await say(author, "authoring-preview-done", { track: trackName(author, checked.lesson.track), order: positionOf(draft, checked.lesson.order), where: escapeHtml(where) }, publishKeyboard(author, draft));
        return "";
      }
      if (action === "o" && draft.step === "extras" && !draft.editing) {
        await written.sync();
        if (arg === undefined) {
          await say(author, "authoring-place-ask", { track: trackName(author, draft.track ?? "policy") }, placeKeyboard(author, draft));
          return "";
        }
        const order = orderBefore(draft, arg === "end" ? "end" : Number(arg));
        if (order === undefined || !(order > 0)) return t(author.locale, "authoring-stale");
        const next: Draft = { ...draft, order };
        await repo.saveDraft(author.id, next);
        await say(author, "authoring-place-set", { track: trackName(author, draft.track ?? "policy"), order: positionOf(next, order) }, publishKeyboard(author, next));
        return "";
      }
      if (action === "ok" && draft.step === "extras") {
        await written.sync();
        const lesson = writtenOf(author, draft);
        const checked = await toLesson(lesson);
        if ("problems" in checked) {
          await say(author, "authoring-invalid", { problems: escapeHtml(checked.problems.join("; ")) });
          return "";
        }
        // A proposal another organiser published meanwhile: one lesson per answer.
        if (!draft.editing && draft.id.startsWith("q-") && (await repo.get(draft.id))) {
          await repo.dropDraft(author.id);
          await say(author, "authoring-proposal-published");
          return "";
        }
        // Stored under the draft's id: a second press stores the same lesson again, never a copy.
        await repo.save(lesson);
        await written.sync();
        if (!(await repo.dropDraft(author.id))) return "";
        log.info({ user: author.id, lesson: lesson.id, track: lesson.track, group: lesson.groupId, media: lesson.media.length, quiz: lesson.quiz.length }, "written lesson published");
        await say(author, "authoring-published", { title: escapeHtml(lesson.title), track: trackName(author, lesson.track), order: positionOf(draft, lesson.order) });
        return "";
      }
      return t(author.locale, "authoring-stale");
    },
  };
}

export type AuthoringService = ReturnType<typeof createAuthoringService>;
