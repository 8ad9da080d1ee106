questions-track-constitution = 党章学习
questions-track-policy = 政策理论
questions-track-technology = 实用技术
questions-track-other = 其他 / 不确定
questions-topic-constitution = 提问 · 党章学习
questions-topic-policy = 提问 · 政策理论
questions-topic-technology = 提问 · 实用技术
questions-topic-other = 提问 · 其他
questions-card-reminder = ⏰ 这个问题已经 { $hours } 小时没有人回答，请专家帮忙看看：
questions-card-title = ❓ 问题 #{ $id } · { $track }
questions-card-from = 👤 { $name } · { $group }
questions-card-private = 私聊提问
questions-card-lesson = 📖 关于课程：{ $title }
questions-card-media-only = （只发了图片或语音，见下条）
questions-card-media-voice = 🎤 语音见下条
questions-card-media-other = 📎 附件见下条
questions-card-how = 直接回复本消息（文字、图片或语音）即可回答，答案会转给提问人。
questions-answer-header = 💡 专家 { $expert } 回答了问题 #{ $id }
questions-rate-prompt = 这个回答有帮助吗？
questions-media-voice = （语音回答）
questions-media-other = （图片或附件回答）
questions-relayed = ✅ 已转给问题 #{ $id } 的提问人。
questions-relay-failed = ⚠️ 没能把回答转给问题 #{ $id } 的提问人（可能已退群或屏蔽了机器人），请稍后再回复一次。
questions-rate-helpful = 👍 有帮助
questions-rate-not-helpful = 👎 没帮助
questions-public-button = 📌 设为公开问答（管理员）
questions-receipt = 📨 问题 #{ $id }（{ $track }）已转给专家，专家回答后会回复在这里。
questions-receipt-lesson = 📨 关于《{ $lesson }》的问题 #{ $id }（{ $track }）已转给专家，专家回答后会回复在这里。
questions-prompt = 请问你的问题是什么？请直接回复本消息写下问题（可以附图片或语音）。
questions-prompt-lesson = { $name }，关于《{ $title }》你想问什么？请回复本消息写下问题。
questions-prompt-toast = 请回复下面的消息写下你的问题。
questions-pick-track = 你的问题属于哪一类？请选择：
questions-empty = 问题是空的。请在 /ask 后面写上你的问题，例如：/ask 大棚滴灌多久冲洗一次？
questions-too-long = 问题太长了（最多 { $max } 个字），请精简后再发。
questions-rate-limited = 你提问太频繁了，请一分钟后再问。
questions-no-experts = 还没有设置专家群，暂时不能提问。请联系组织者。
questions-button-stale = 这个按钮已失效。
questions-not-yours = 只有提问人可以选择。
questions-sent-toast = 问题 #{ $id } 已转给专家。
questions-rated = 谢谢你的评价！
questions-rated-changed = 已更新你的评价。
questions-rate-not-asker = 只有提问人可以评价这个回答。
questions-public-done = 已设为公开问答，本群成员用 /faq 就能搜到。
questions-public-already = 这个回答已经是公开问答了。
questions-public-not-organiser = 只有管理员可以设为公开问答。
questions-faq-usage = 请在 /faq 后面写上关键词，例如：/faq 滴灌
questions-faq-too-long = 关键词太长了（最多 { $max } 个字）。
questions-faq-none = 没有找到相关的问答。可以用 /ask 向专家提问。
questions-faq-title = 🔎 找到这些问答：
questions-faq-item =
    <b>#{ $id }</b> { $question }
    ↳ { $answer }
questions-open-title = 未回答的问题（共 { $count } 个，最早的在前）：
questions-open-line = #{ $id } · { $track } · { $group } · { $hours } 小时前
questions-open-more = ……还有 { $count } 个未列出。
questions-open-none = 目前没有未回答的问题。👍
questions-open-only-experts = /open 只能在专家群里使用。
questions-experts-welcome =
    大家好！这里是<b>三学助手</b>的专家群。
    • 学员的问题会发到这里，带编号、类别、所在群和相关课程；
    • <b>直接回复</b>问题消息（文字、图片、相册或语音）即可回答，答案会转回给提问人；
    • 发送 /open 查看还没有回答的问题。
cmd-ask = 向专家提问：/ask 你的问题
cmd-faq = 搜索已回答的问题：/faq 关键词
cmd-open = 专家群：列出未回答的问题
