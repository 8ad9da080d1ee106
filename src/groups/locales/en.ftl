groups-welcome =
    Hello everyone! I am <b>Sanxue</b>, the study assistant for this group:
    • scheduled lessons on the <b>party constitution</b>, <b>policy theory</b> and <b>practical technology</b> — press “Studied ✓” when you have read one;
    • sign-ins, quizzes and questions to experts (/ask).

    <b>For administrators:</b>
    1. Make me an administrator so I can see new members join;
    2. /schedule shows when lessons arrive, /push sends the next lesson now;
    3. /help lists every command.
groups-welcome-not-admin = Note: I am not an administrator here yet, so I cannot see members join. Please make me an administrator.
groups-joined = { $name }, you are now on this group's study roster.
groups-not-admin = Only this group's administrators can use that command.
groups-only-in-group = Please use this command in a study group.
groups-members-only = Sorry, this is for members of a study group. Send /join in your study group first, then try again here.
groups-error = Sorry, something went wrong. Please try again later.
groups-try-again = The system is busy, please try again in a moment.
groups-not-as-chat = Commands sent anonymously or as a channel have no member behind them. Please send the command from your own account.
cmd-join = Join this group's study roster
