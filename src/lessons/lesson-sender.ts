import { InputFile, type Api } from "grammy";
import { escapeHtml, renderLessonHtml, splitTelegramHtml } from "../content/index.js";
import type { Curriculum, Lesson, Track } from "../content/types.js";
import type { GroupInfo } from "../groups/index.js";
import { cutToUnits } from "../shared/graphemes.js";
import type { Translate } from "../shared/i18n.js";
import type { Delivery } from "../outbox/index.js";
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

/** How one lesson goes out: picture first, then the text in parts, buttons under the last part. */
export function createLessonSender(deps: {
  api: Api;
  t: Translate;
  curriculum: Curriculum;
  trackName: (group: GroupInfo, track: Track) => string;
  direct: Delivery;
}) {
  const { api, t, curriculum, trackName, direct } = deps;
  const photoIds = new Map<string, string>();

  async function sendPhoto(delivery: Delivery, key: string, chatId: number, path: string, caption: string, threadId?: number): Promise<void> {
    await delivery.send(key, chatId, async () => {
      const known = photoIds.get(path);
      const msg = await api.sendPhoto(chatId, known ?? new InputFile(path), { caption, parse_mode: "HTML", message_thread_id: threadId });
      const largest = msg.photo?.at(-1);
      if (!known && largest) photoIds.set(path, largest.file_id);
      return msg;
    });
  }

  /** Sends one lesson: picture first, then the text in parts, buttons under the last part. */
  async function sendLesson(
    chatId: number,
    lesson: Lesson,
    group: GroupInfo,
    opts: SendOptions,
    delivery: Delivery = direct,
  ): Promise<number> {
    // Keys name the chat, topic and part, so a retry into a new topic sends afresh there.
    const key = (part: string | number) => `${chatId}:${opts.threadId ?? 0}:${part}`;
    const number = curriculum.byTrack[lesson.track].indexOf(lesson) + 1;
    const header = t(group.locale, "lessons-header", { track: trackName(group, lesson.track), number });
    const notices = [opts.notice];
    if (lesson.imagePath) {
      const caption = `<b>${escapeHtml(cutToUnits(lesson.title, 1000))}</b>`;
      try {
        await sendPhoto(delivery, key("photo"), chatId, lesson.imagePath, caption, opts.threadId);
      } catch (err) {
        if (!opts.problems || refusalOf(err) !== "photo-rights") throw err;
        opts.problems.add("photo-rights");
        notices.push(escapeHtml(t(group.locale, "lessons-notice-photo-rights")));
      }
    }
    const lead = [opts.intro, ...notices, escapeHtml(header)].filter(Boolean).join("\n");
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
