cmd-help = 帮助：可用命令
cmd-start = 开始使用三学助手
cmd-join = 加入本群学习名单
cmd-push = 立即推送下一课 [党章|政策|技术]
bot-button-stale = 这个按钮已失效。
cmd-ask = 向专家提问：/ask 你的问题
cmd-faq = 搜索已回答的问题：/faq 关键词
cmd-open = 专家群：列出未回答的问题
