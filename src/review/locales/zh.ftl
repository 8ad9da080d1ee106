cmd-review = 错题复习 [on 20:30|off]
review-private = 错题复习请私聊我：@{ $bot } ，发送 /review
review-usage =
    用法：
    /review — 复习今天到期的题
    /review on 20:30 — 每天这个时间提醒我（有题到期时）
    /review off — 关闭提醒
review-unknown = 没有“{ $input }”这个选项。
    发送 /review 复习，/review on 20:30 开启每日提醒，/review off 关闭。
review-intro = 📚 今天有 { $due } 道题该复习了，先来 { $batch } 道：
review-no-cards = 还没有要复习的题。在群里答小测、竞赛或用 /practice 练习后，答过的题会按记忆规律回来找你。
review-nothing-due = ✅ 今天没有到期的题。下一道在 { $next } 到期。
review-more-button = 再来几道 ▶
review-more-sent = 又发了 { $count } 道
review-more-none = 今天没有更多到期的题了
review-batch-done-more = 👍 这一组做完了。今天还有 { $left } 道到期。
review-all-done = 🎉 今天的复习全部完成！答对的题会隔几天再来，答错的明天再练。
review-reminder-on = ⏰ 好的，每天 { $time }（{ $zone }）有题到期时提醒你。关闭：/review off
review-reminder-off = 已关闭每日复习提醒。
review-reminder = ⏰ 今天有 { $due } 道题该复习了。发送 /review 开始。
review-me = 🧠 今日待复习 { $due } 题 · 连续复习 { $streak } 天
