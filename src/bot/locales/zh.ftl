cmd-help = 帮助：可用命令
cmd-start = 开始使用三学助手
bot-button-stale = 这个按钮已失效。
bot-private-hint = 我是三学助手。发送 /help 查看能做什么；向专家提问请发送 /ask 加上你的问题。
bot-help-private =
    你好，{ $name }！我是<b>三学助手</b>。
    我会在学习群里推送课程；在这里我可以把需要单独发给你的消息告诉你。
bot-unknown-command = 我不认识命令 { $command }。发送 /help 查看可用命令。
bot-help-title = <b>三学助手 · 可用命令</b>
bot-help-admin-title = <b>管理员命令</b>
bot-help-county-title = <b>县级组织者命令</b>
