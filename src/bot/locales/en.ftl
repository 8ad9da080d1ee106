cmd-help = Help: the commands you can use
cmd-start = Start using Sanxue
cmd-join = Join this group's study roster
cmd-push = Push the next lesson now [constitution|policy|technology]
bot-button-stale = This button is no longer valid.
cmd-ask = Ask the experts: /ask your question
cmd-faq = Search answered questions: /faq words
cmd-open = Experts' chat: list unanswered questions
