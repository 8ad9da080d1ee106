cmd-review = Review your quiz questions [on 20:30|off]
review-private = Spaced review is in a private chat: @{ $bot }, send /review
review-usage =
    Usage:
    /review — review the questions due today
    /review on 20:30 — remind me daily at that time (when something is due)
    /review off — turn the reminder off
review-unknown = There is no option “{ $input }”.
    Send /review to review, /review on 20:30 for a daily reminder, /review off to stop it.
review-intro = 📚 { $due } questions are due for review today. Here are { $batch }:
review-no-cards = Nothing to review yet. Questions you answer in group quizzes, contests or /practice come back here when you are about to forget them.
review-nothing-due = ✅ Nothing is due today. The next question is due { $next }.
review-more-button = More ▶
review-more-sent = { $count } more sent
review-more-none = Nothing more is due today
review-batch-done-more = 👍 Batch done. { $left } more are due today.
review-all-done = 🎉 All done for today! Questions you got right come back in a few days, the ones you missed tomorrow.
review-reminder-on = ⏰ Done: every day at { $time } ({ $zone }) I will remind you when something is due. To stop: /review off
review-reminder-off = The daily review reminder is off.
review-reminder = ⏰ { $due } questions are due for review today. Send /review to start.
review-me = 🧠 Due for review today: { $due } · review streak: { $streak } days
