groups-welcome =
    大家好！我是<b>三学助手</b>，帮助本群开展“三学三强”学习：
    • 按计划推送<b>党章</b>、<b>政策理论</b>、<b>实用技术</b>课程，学完点“已学习 ✓”；
    • 签到、答题竞赛、向专家提问（/ask）。

    <b>管理员设置：</b>
    1. 请把我设为群管理员，这样我能认识新成员；
    2. 发送 /schedule 查看推送时间，/push 立即推送下一课；
    3. 发送 /help 查看全部命令。
groups-welcome-not-admin = 提示：我还不是本群管理员，新成员加入时我看不到。请管理员把我设为管理员。
groups-joined = { $name }，已把你加入本群学习名单。
groups-not-admin = 这个命令只有本群管理员可以使用。
groups-only-in-group = 这个命令请在学习群里使用。
groups-members-only = 抱歉，这项功能只对学习群的成员开放。请先在你所在的学习群里发送 /join，再来这里使用。
groups-error = 抱歉，出了点问题，请稍后再试。
groups-try-again = 系统忙，请稍后再试。
groups-not-as-chat = 以匿名管理员或频道身份发送的命令无法确认是谁，请用你自己的账号发送。
cmd-join = 加入本群学习名单
