signins-button = 签到 ✋
signins-default-title = 学习签到
signins-live =
    📝 <b>签到：{ $title }</b>
    截止时间 { $until }（{ $minutes } 分钟；开始 { $lateAfter } 分钟后签到记为迟到）
    已签到：<b>{ $count }</b> 人
    点下方“签到”按钮，或在群里发送 /signin。
signins-final =
    📝 <b>签到已结束：{ $title }</b>
    已签到 <b>{ $signed }</b> 人（准时 { $present }，迟到 { $late }），请假 { $excused } 人，未签到 { $absent } 人；本群应到 { $eligible } 人。
signins-final-sent-privately = 未签到和请假名单已私信发给组织者。
signins-start-bot-to-receive = { $name }：请先私聊我（点下方按钮，再点“开始”），未签到和请假名单就会私信发给你。
signins-toast-present = 签到成功 ✓ { $title }
signins-toast-late = 已签到，记为迟到。{ $title }
signins-toast-already = 你已经签到过了，不会重复记录。
signins-toast-closed = 本次签到已经结束，感谢关注，下次请早点来哦。
signins-toast-unknown = 这个签到不存在或尚未开始，没有记录。
signins-none-open = 现在没有进行中的签到。
signins-already-open = 已经有一个进行中的签到：“{ $title }”，截止 { $until }。如需提前结束，请发送 /close_signin。
signins-bad-minutes = 签到时长要用 1 到 1440 之间的整数分钟，例如：/open_signin 30 周三学习会
signins-title-too-long = 签到标题太长了，请控制在 100 个字以内。
signins-closed-reply = 签到已结束：已签到 { $signed } 人，未签到 { $absent } 人。
signins-leave-missing = 请写明请假原因，例如：/leave 在外务工，无法参加
signins-leave-too-long = 请假原因太长了，请控制在 200 个字以内。
signins-leave-now = 已为你登记请假：“{ $title }”。
signins-leave-next = 已登记请假，适用于本群 24 小时内开始的下一次签到。
signins-leave-signed-in = 你已经签到了，无需请假。
signins-private-title = 📝 <b>{ $group }</b> 签到结果：{ $title }
signins-private-counts = 已签到 { $signed } 人（准时 { $present }，迟到 { $late }），请假 { $excused } 人，未签到 { $absent } 人；应到 { $eligible } 人。
signins-private-absent = <b>未签到（{ $count }）：</b>
signins-private-late = <b>迟到（{ $count }）：</b>
signins-private-excused = <b>请假（{ $count }）：</b>
signins-private-everyone = 全员已签到或请假，没有缺席。
signins-organisers = 各位管理员
signins-open-private-button = 组织者：私聊查看名单
signins-link-none = 这份签到名单已经发出或已过期，没有可发送的内容。
signins-link-not-organiser = 你不是这个群的管理员，不能查看签到名单。
signins-link-unreachable = 暂时无法私信你，请稍后再点一次链接。
cmd-signin = 签到（进行中的签到）
cmd-leave = 请假 <原因>
cmd-open_signin = 发起签到 [分钟数] [标题]
cmd-close_signin = 提前结束签到
