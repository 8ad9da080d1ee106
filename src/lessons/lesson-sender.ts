import type { Api } from "grammy";
import { escapeHtml, splitTelegramHtml } from "../content/index.js";
import type { Curriculum, Lesson, Track } from "../content/types.js";
import type { GroupInfo } from "../groups/index.js";
import { cutToUnits } from "../shared/graphemes.js";
import type { Translate } from "../shared/i18n.js";
import type { Delivery } from "../outbox/index.js";
import type { SendLessonMedia } from "./lesson-media.js";
import { lessonKeyboard } from "./lessons.keyboards.js";
import { refusalOf, type Refusal } from "./push-refusals.js";

/** A part Telegram found too long is sent again in pieces this long (a quarter of its limit). */
const SHORT_PART = 1024;

export interface SendOptions {
  threadId?: number;
  notice?: string;
  keyboardGroupId?: number;
  intro?: string;
  /** Given for a group push, which then works around what it can (no picture, shorter parts) and notes it here. */
  problems?: Set<Refusal>;
}

/** The part a medium's message is keyed by; the picture keeps the key it had before lessons had other media. */
const mediaPart = (field: string): string => (field === "image" ? "photo" : field);
/** Refusals a group push works around by sending the lesson without that medium. */
const SKIPPABLE: readonly Refusal[] = ["photo-rights", "media-rights"];

/** How one lesson goes out: its media first (the first with the title), then the text in parts, buttons under the last part. */
export function createLessonSender(deps: {
  api: Api;
  t: Translate;
  curriculum: Curriculum;
  trackName: (group: GroupInfo, track: Track) => string;
  direct: Delivery;
  sendMedia: SendLessonMedia;
}) {
  const { api, t, curriculum, trackName, direct, sendMedia } = deps;

  /** Sends one lesson: media first, then the text in parts, buttons under the last part. */
  async function sendLesson(
    chatId: number,
    lesson: Lesson,
    group: GroupInfo,
    opts: SendOptions,
    delivery: Delivery = direct,
  ): Promise<number> {
    // Keys name the chat, topic and part, so a retry into a new topic sends afresh there.
    const key = (part: string | number) => `${chatId}:${opts.threadId ?? 0}:${part}`;
    // A lesson not in its track yet (an author's preview) takes the next place.
    const index = curriculum.byTrack[lesson.track].indexOf(lesson);
    const number = (index >= 0 ? index : curriculum.byTrack[lesson.track].length) + 1;
    const header = t(group.locale, "lessons-header", { track: trackName(group, lesson.track), number });
    const notices = [opts.notice];
    if (lesson.media.length > 0) {
      // The caption is the title in bold, cut by graphemes well under Telegram's 1024.
      const caption = `<b>${escapeHtml(cutToUnits(lesson.title, 1000))}</b>`;
      await sendMedia(chatId, lesson.media, {
        caption,
        title: cutToUnits(lesson.title, 64),
        threadId: opts.threadId,
        delivery,
        key: (field) => key(mediaPart(field)),
        onRefused: (_media, err) => {
          const why = refusalOf(err);
          if (!opts.problems || !why || !SKIPPABLE.includes(why)) throw err;
          if (!opts.problems.has(why)) notices.push(escapeHtml(t(group.locale, `lessons-notice-${why}`)));
          opts.problems.add(why);
        },
      });
    }
    const lead = [opts.intro, ...notices, escapeHtml(header)].filter(Boolean).join("\n");
    // The Markdown renderer (marked) loads with the first lesson sent, not at start.
    const { renderLessonHtml } = await import("../content/lesson-html.js");
    const parts = splitTelegramHtml(`${lead}\n${renderLessonHtml(lesson)}`);
    const sendPart = (k: string | number, text: string, last: boolean) =>
      delivery.send(key(k), chatId, () =>
        api.sendMessage(chatId, text, {
          parse_mode: "HTML",
          message_thread_id: opts.threadId,
          link_preview_options: { is_disabled: true },
          reply_markup: last ? lessonKeyboard(t, group.locale, lesson.id, opts.keyboardGroupId) : undefined,
        }),
      );
    let lastId = 0;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      try {
        lastId = await sendPart(i, part, last);
      } catch (err) {
        if (!opts.problems || refusalOf(err) !== "too-long") throw err;
        // Telegram counted the part longer than we did (an edited file, odd entities): send it in quarters instead.
        opts.problems.add("too-long");
        const pieces = splitTelegramHtml(part, SHORT_PART);
        for (const [j, piece] of pieces.entries()) lastId = await sendPart(`${i}.${j}`, piece, last && j === pieces.length - 1);
      }
    }
    return lastId;
  }

  return sendLesson;
}
