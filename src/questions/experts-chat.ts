import type { Message } from "grammy/types";
import type { Locale } from "../shared/i18n.js";
import type { QuestionsRepository } from "./questions.repository.js";
import type { QuestionTrack } from "./questions.types.js";
import { isClosedTopic, isMissingTopic } from "../shared/telegram-errors.js";
import type { Runtime } from "../shared/runtime.js";

/**
 * Posting into the experts' chat. A forum gets one topic per track, created when missing and
 * recreated when someone deleted it; topic ids live in Redis so every instance uses the same.
 */
export function createExpertsChat(deps: Pick<Runtime, "api" | "t" | "logger"> & { repo: QuestionsRepository; chatId: number; locale: Locale }) {
  const { api, repo, chatId } = deps;
  let forum: Promise<boolean> | undefined;
  const creating = new Map<QuestionTrack, Promise<number | undefined>>();

  function isForum(): Promise<boolean> {
    forum ??= api.getChat(chatId).then(
      (chat) => chat.type === "supergroup" && chat.is_forum === true,
      (err: unknown) => {
        forum = undefined; // ask again next time
        deps.logger.warn({ err }, "getChat on the experts' chat failed");
        return false;
      },
    );
    return forum;
  }

  async function createTopic(track: QuestionTrack): Promise<number | undefined> {
    try {
      const topic = await api.createForumTopic(chatId, deps.t(deps.locale, `questions-topic-${track}`));
      await repo.setTopic(track, topic.message_thread_id);
      return topic.message_thread_id;
    } catch (err) {
      deps.logger.warn({ err, track }, "could not create an experts' topic; posting to General");
      return undefined;
    }
  }

  /** The topic for a track (undefined: the chat is not a forum, or no topic could be made). */
  async function topicFor(track: QuestionTrack): Promise<number | undefined> {
    if (!(await isForum())) return undefined;
    const known = await repo.topic(track);
    if (known) return known;
    // One creation per track at a time in this instance.
    let pending = creating.get(track);
    if (!pending) {
      pending = createTopic(track).finally(() => creating.delete(track));
      creating.set(track, pending);
    }
    return pending;
  }

  return {
    chatId,
    topicFor,

    /**
     * Sends into the track's topic; if the topic was deleted, makes a new one and sends again. A closed
     * topic takes no question either, and the experts must still get it: a new topic too.
     */
    async send(track: QuestionTrack, send: (threadId: number | undefined) => Promise<Message.CommonMessage | { message_id: number }>) {
      const threadId = await topicFor(track);
      try {
        return { message: await send(threadId), threadId };
      } catch (err) {
        if (threadId === undefined || !(isMissingTopic(err) || isClosedTopic(err))) throw err;
        await repo.forgetTopic(track);
        const fresh = await topicFor(track);
        return { message: await send(fresh), threadId: fresh };
      }
    },
  };
}

export type ExpertsChat = ReturnType<typeof createExpertsChat>;
