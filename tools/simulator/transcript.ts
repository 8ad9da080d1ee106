import type { SimChat, SimMessage } from "./types.js";

export function chatLabel(chat: SimChat): string {
  return chat.type === "private" ? `private ${chat.first_name ?? chat.id}` : (chat.title ?? String(chat.id));
}

function buttons(m: SimMessage): string {
  const rows = m.reply_markup?.inline_keyboard ?? [];
  const labels = rows.flat().map((b) => `[${b.text}]`);
  return labels.length ? `  ${labels.join(" ")}` : "";
}

function body(m: SimMessage): string {
  if (m.new_chat_members) return `➕ ${m.new_chat_members.map((u) => u.first_name).join(", ")} joined`;
  if (m.left_chat_member) return `➖ ${m.left_chat_member.first_name} left`;
  if (m.forum_topic_created) return `🗂 topic "${m.forum_topic_created.name}" created`;
  const caption = m.caption ? ` ${m.caption}` : "";
  if (m.photo) return `🖼 picture${m.photo.width && m.photo.height ? ` ${m.photo.width}×${m.photo.height}` : ""}, ${Math.max(1, Math.round(m.photo.bytes.length / 1024))} KB${caption}`;
  if (m.document) return `📄 ${m.document.file_name ?? "document"}${caption}`;
  if (m.voice) return `🎤 voice${caption}`;
  if (m.video) return `🎬 ${m.video.file_name ?? "video"}${caption}`;
  if (m.audio) return `🎵 ${m.audio.file_name ?? "audio"}${caption}`;
  if (m.poll) {
    const opts = m.poll.options.map((o, i) => (m.poll?.correct_option_ids?.includes(i) ? `*${o.text}` : o.text));
    return `📊 ${m.poll.type === "quiz" ? "quiz" : "poll"} "${m.poll.question}" (${opts.join(" / ")})`;
  }
  return m.text ?? "";
}

/** The first line of a message, cut to `max` characters, for a reply's quote. */
function snippet(m: SimMessage, max = 24): string {
  const line = body(m).split("\n")[0] ?? "";
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : line;
}

/**
 * One readable line for a message, e.g. `[红星村学习群] 🤖 Sanxue: text  [Studied ✓]`. With `find`, a reply quotes
 * whom it answers and how that message began (`↩ 李明 “/ask …”`); without, it gives the message id.
 */
export function renderMessage(m: SimMessage, edited = false, find?: (messageId: number) => SimMessage | undefined): string {
  const who = m.fromBot ? `🤖 ${m.from.first_name}` : m.from.first_name;
  const where = m.message_thread_id !== undefined ? `${chatLabel(m.chat)} #${m.message_thread_id}` : chatLabel(m.chat);
  const quoted = m.reply_to_message_id !== undefined ? find?.(m.reply_to_message_id) : undefined;
  const reply = quoted
    ? ` (↩ ${quoted.fromBot ? "🤖 " : ""}${quoted.from.first_name} “${snippet(quoted)}”)`
    : m.reply_to_message_id !== undefined ? ` (↩ ${m.reply_to_message_id})` : "";
  const mark = edited ? " ✎" : "";
  const forwarded = m.forward_from ? ` (forwarded from ${m.forward_from.first_name})` : "";
  return `[${where}] ${who}${mark}${reply}${forwarded}: ${body(m)}${buttons(m)}`;
}
