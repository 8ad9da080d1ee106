cmd-help = Help: the commands you can use
cmd-start = Start using Sanxue
bot-button-stale = This button is no longer valid.
bot-private-hint = I am Sanxue. Send /help to see what I can do; to ask the experts, send /ask followed by your question.
bot-help-private =
    Hello, { $name }! I am <b>Sanxue</b>, the study assistant.
    I push lessons in study groups; here I can tell you things meant for you alone.
bot-unknown-command = I don't know the command { $command }. Send /help to see what I can do.
bot-help-title = <b>Sanxue · commands</b>
bot-help-admin-title = <b>Administrator commands</b>
bot-help-county-title = <b>County organiser commands</b>
