import { escapeHtml } from "../content/index.js";
import type { Locale, Translate } from "../shared/i18n.js";
import type { QuestionState, QuestionTrack } from "./questions.types.js";
import { cutGraphemes } from "../shared/graphemes.js";

/** Longest question a member may send (characters, as typed). */
export const MAX_QUESTION_LENGTH = 1000;
/** Telegram caps a media caption at 1024 characters. */
export const CAPTION_LIMIT = 1024;

/** Shortens to `max` graphemes (never inside an emoji, a flag or a combining mark), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return cutGraphemes(text, max);
}

/** One line of at most `max` characters: whitespace runs become single spaces. */
export function excerpt(text: string, max = 120): string {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}

/**
 * A t.me link to a message, for supergroups only (`-100<internal id>`); basic groups and
 * private chats have no public message links.
 */
export function messageLink(chatId: number, messageId: number): string | undefined {
  const raw = String(chatId);
  if (!raw.startsWith("-100")) return undefined;
  return `https://t.me/c/${raw.slice(4)}/${messageId}`;
}

export function trackName(t: Translate, locale: Locale, track: QuestionTrack): string {
  return t(locale, `questions-track-${track}`);
}

/** The question card the experts see: number, track, member, group, lesson, then the text exactly as typed. */
export function expertCard(t: Translate, locale: Locale, q: QuestionState, opts: { reminder?: boolean } = {}): string {
  const lines: string[] = [];
  if (opts.reminder) lines.push(escapeHtml(t(locale, "questions-card-reminder", { hours: q.reminderHours })));
  lines.push(`<b>${escapeHtml(t(locale, "questions-card-title", { id: q.id, track: trackName(t, locale, q.track) }))}</b>`);
  const who = truncate(q.userName, 64);
  const where = q.groupTitle ? truncate(q.groupTitle, 80) : t(locale, "questions-card-private");
  lines.push(escapeHtml(t(locale, "questions-card-from", { name: who, group: where })));
  if (q.lessonTitle) lines.push(escapeHtml(t(locale, "questions-card-lesson", { title: truncate(q.lessonTitle, 100) })));
  lines.push("");
  lines.push(q.text ? escapeHtml(truncate(q.text, 3000)) : `<i>${escapeHtml(t(locale, "questions-card-media-only"))}</i>`);
  if (q.media) lines.push(`<i>${escapeHtml(t(locale, `questions-card-media-${q.media === "voice" ? "voice" : "other"}`))}</i>`);
  lines.push("", `<i>${escapeHtml(t(locale, "questions-card-how"))}</i>`);
  return lines.join("\n");
}

/** "Expert 张工 answered question #17", escaped. */
export function answerHeader(t: Translate, locale: Locale, expertName: string, id: number): string {
  return `<b>${escapeHtml(t(locale, "questions-answer-header", { expert: truncate(expertName, 64), id }))}</b>`;
}

/** A relayed media caption: the header, then the expert's caption escaped and cut to fit Telegram's limit. */
export function headedCaption(header: string, caption: string): string {
  if (!caption) return header;
  // The header is short and fixed; the expert's caption gives way (escaping does not change the visible length).
  const headerVisible = header.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot);/g, "x").length;
  const room = CAPTION_LIMIT - headerVisible - 1;
  return `${header}\n${escapeHtml(truncate(caption, room))}`;
}

/** One line of /open: number, track, group, age, excerpt and a link to the card when there is one. */
export function openLine(
  t: Translate,
  locale: Locale,
  q: QuestionState,
  opts: { now: number; expertsChatId: number },
): string {
  const hours = Math.max(0, Math.floor((opts.now - q.askedAt) / 3_600_000));
  const head = t(locale, "questions-open-line", {
    id: q.id,
    track: trackName(t, locale, q.track),
    group: q.groupTitle ? truncate(q.groupTitle, 40) : t(locale, "questions-card-private"),
    hours,
  });
  const text = escapeHtml(excerpt(q.text || t(locale, "questions-card-media-only"), 60));
  const link = q.card ? messageLink(opts.expertsChatId, q.card.messageId) : undefined;
  const label = escapeHtml(head);
  return link ? `• <a href="${escapeHtml(link)}">${label}</a> ${text}` : `• ${label} ${text}`;
}
