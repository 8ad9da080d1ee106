scores-board-week = 🏆 <b>本周排行榜</b>（{ $week }）
scores-board-all = 🏆 <b>总排行榜</b>
scores-board-empty = 还没有人得分。学完课程点“已学习 ✓”、签到、答题都能得分。
scores-board-detail = 学{ $studied }·签{ $signins }·题{ $points }
scores-board-you-none = 你在这里还没有得分。
scores-rule = 积分 = 学习课数×{ $studied } + 签到次数×{ $signins } + 答题得分（答对 10 分，快答最多加 5 分）
scores-top-usage = 没有“{ $input }”这个选项。用法：/top（本周）或 /top all（总榜）。
scores-me-title = 👤 <b>{ $name }</b> 的学习记录
scores-me-week = 本周：学习 { $studied } 课 · 签到 { $signins } 次 · 答题 { $answers } 道（答对 { $correct }，得 { $points } 分）· 积分 { $score } · 第 { $rank } 名/共 { $of } 人
scores-me-week-none = 本周：还没有记录，快去学习吧！
scores-me-all = 累计：学习 { $studied } 课 · 签到 { $signins } 次 · 答题 { $answers } 道（答对 { $correct }，得 { $points } 分）· 积分 { $score } · 第 { $rank } 名/共 { $of } 人
scores-me-all-none = 累计：还没有记录。
scores-me-streak = 🔥 连续签到：{ $streak }
scores-me-private-title = 👤 <b>你在各学习群的情况</b>
scores-me-private-line = 本周第 { $rank } 名/{ $of } 人，积分 { $score }（累计 { $allScore }）
scores-me-private-quiet = 本周还没有记录（累计积分 { $allScore }）
scores-me-private-none = 我还没在任何学习群里见过你。请在你的学习群里发送 /me 或 /join。
scores-me-private-hint = 在群里发送 /me 查看详细记录。
