questions-track-constitution = Party constitution
questions-track-policy = Policy theory
questions-track-technology = Practical technology
questions-track-other = Other / not sure
questions-topic-constitution = Questions · Party constitution
questions-topic-policy = Questions · Policy theory
questions-topic-technology = Questions · Practical technology
questions-topic-other = Questions · Other
questions-card-reminder = ⏰ Still unanswered after { $hours } hours — could an expert take a look?
questions-card-title = ❓ Question #{ $id } · { $track }
questions-card-from = 👤 { $name } · { $group }
questions-card-private = asked in private
questions-card-lesson = 📖 About the lesson: { $title }
questions-card-media-only = (only a picture or voice note, see below)
questions-card-media-voice = 🎤 Voice note below
questions-card-media-other = 📎 Attachment below
questions-card-how = Reply to this message (text, photo or voice) to answer; the answer goes to the member.
questions-answer-header = 💡 Expert { $expert } answered question #{ $id }
questions-rate-prompt = Was this answer helpful?
questions-media-voice = (voice answer)
questions-media-other = (picture or attachment answer)
questions-relayed = ✅ Sent to the member who asked question #{ $id }.
questions-relay-failed = ⚠️ Could not deliver the answer to question #{ $id } (the member may have left or blocked the bot). Please reply again later.
questions-rate-helpful = 👍 Helpful
questions-rate-not-helpful = 👎 Not helpful
questions-public-button = 📌 Make public (admins)
questions-receipt = 📨 Question #{ $id } ({ $track }) is with the experts; their answer will come here.
questions-receipt-lesson = 📨 Question #{ $id } about “{ $lesson }” ({ $track }) is with the experts; their answer will come here.
questions-prompt = What is your question? Reply to this message with it (a photo or voice note is fine too).
questions-prompt-lesson = { $name }, what would you like to ask about “{ $title }”? Reply to this message with your question.
questions-prompt-toast = Reply to the message below with your question.
questions-pick-track = Which subject is your question about?
questions-empty = The question is empty. Write it after /ask, e.g. /ask How often should drip lines be flushed?
questions-too-long = The question is too long (at most { $max } characters); please shorten it.
questions-rate-limited = You are asking very often; please wait a minute.
questions-no-experts = No experts are set up yet, so questions cannot be asked. Please tell the organisers.
questions-button-stale = This button is no longer valid.
questions-not-yours = Only the member who asked can choose.
questions-sent-toast = Question #{ $id } is with the experts.
questions-rated = Thank you for rating!
questions-rated-changed = Your rating was updated.
questions-rate-not-asker = Only the member who asked can rate this answer.
questions-public-done = Made public: members of this group can find it with /faq.
questions-public-already = This answer is already public.
questions-public-not-organiser = Only administrators can make an answer public.
questions-faq-usage = Write some words after /faq, e.g. /faq drip irrigation
questions-faq-too-long = Too many words (at most { $max } characters).
questions-faq-none = No matching answers. Ask the experts with /ask.
questions-faq-title = 🔎 Answers that may help:
questions-faq-item =
    <b>#{ $id }</b> { $question }
    ↳ { $answer }
questions-open-title = Unanswered questions ({ $count }, oldest first):
questions-open-line = #{ $id } · { $track } · { $group } · { $hours } h ago
questions-open-more = …and { $count } more.
questions-open-none = No unanswered questions. 👍
questions-open-only-experts = /open works in the experts' chat only.
questions-experts-welcome =
    Hello! This is the experts' chat of <b>Sanxue</b>.
    • Members' questions arrive here with their number, subject, group and lesson;
    • <b>reply</b> to a question (text, photo, album or voice) to answer; the answer goes back to the member;
    • /open lists the questions nobody has answered yet.
cmd-ask = Ask the experts: /ask your question
cmd-faq = Search answered questions: /faq words
cmd-open = Experts' chat: list unanswered questions
