import type { SimChat, SimFile, SimMessage, SimPoll, SimUser } from "./types.js";

type Json = Record<string, unknown>;

/** Drops undefined fields so JSON matches what Telegram sends (absent, not null). */
function clean(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export const apiUser = (u: SimUser): Json =>
  clean({
    id: u.id,
    is_bot: u.is_bot,
    first_name: u.first_name,
    last_name: u.last_name,
    username: u.username,
    language_code: u.language_code,
  });

export const apiChat = (c: SimChat): Json =>
  clean({ id: c.id, type: c.type, title: c.title, first_name: c.first_name, username: c.username, is_forum: c.is_forum });

const fileRef = (f: SimFile): Json => ({ file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.bytes.length });

export function apiPoll(p: SimPoll): Json {
  const answer = p.answerHidden && !p.is_closed ? undefined : p.correct_option_ids;
  return clean({
    id: p.id,
    question: p.question,
    options: p.options.map((o) => ({ text: o.text, voter_count: o.voter_count })),
    total_voter_count: p.total_voter_count,
    is_closed: p.is_closed,
    is_anonymous: p.is_anonymous,
    type: p.type,
    allows_multiple_answers: p.allows_multiple_answers,
    correct_option_id: answer?.[0],
    correct_option_ids: answer,
    explanation: p.explanation,
    explanation_entities: p.explanation_entities,
    open_period: p.open_period,
    close_date: p.close_date,
  });
}

/** The Message object the bot sees; `lookup` resolves reply_to_message one level deep. */
export function apiMessage(m: SimMessage, lookup?: (id: number) => SimMessage | undefined): Json {
  const reply = m.reply_to_message_id !== undefined ? lookup?.(m.reply_to_message_id) : undefined;
  return clean({
    message_id: m.message_id,
    message_thread_id: m.message_thread_id,
    is_topic_message: m.is_topic_message,
    from: apiUser(m.from),
    chat: apiChat(m.chat),
    date: m.date,
    edit_date: m.edit_date,
    forward_origin: m.forward_from ? { type: "user", sender_user: apiUser(m.forward_from), date: m.date } : undefined,
    reply_to_message: reply ? apiMessage(reply) : undefined,
    media_group_id: m.media_group_id,
    text: m.text,
    entities: m.entities?.length ? m.entities : undefined,
    link_preview_options: m.link_preview_options,
    photo: m.photo
      ? [
          { ...fileRef(m.photo), file_id: `${m.photo.file_id}_s`, width: 90, height: 67 },
          { ...fileRef(m.photo), width: 800, height: 600 },
        ]
      : undefined,
    document: m.document
      ? clean({ ...fileRef(m.document), file_name: m.document.file_name, mime_type: m.document.mime_type })
      : undefined,
    voice: m.voice ? { ...fileRef(m.voice), duration: m.voice.duration ?? 3, mime_type: m.voice.mime_type ?? "audio/ogg" } : undefined,
    video: m.video
      ? clean({ ...fileRef(m.video), width: m.video.width ?? 0, height: m.video.height ?? 0, duration: m.video.duration ?? 0, file_name: m.video.file_name, mime_type: m.video.mime_type })
      : undefined,
    audio: m.audio
      ? clean({ ...fileRef(m.audio), duration: m.audio.duration ?? 0, file_name: m.audio.file_name, mime_type: m.audio.mime_type })
      : undefined,
    caption: m.caption,
    caption_entities: m.caption_entities?.length ? m.caption_entities : undefined,
    poll: m.poll ? apiPoll(m.poll) : undefined,
    new_chat_members: m.new_chat_members?.map(apiUser),
    left_chat_member: m.left_chat_member ? apiUser(m.left_chat_member) : undefined,
    forum_topic_created: m.forum_topic_created,
    migrate_to_chat_id: m.migrate_to_chat_id,
    migrate_from_chat_id: m.migrate_from_chat_id,
    sender_chat: m.sender_chat ? apiChat(m.sender_chat) : undefined,
    forum_topic_closed: m.forum_topic_closed,
    forum_topic_reopened: m.forum_topic_reopened,
    reply_markup: m.reply_markup,
  });
}
