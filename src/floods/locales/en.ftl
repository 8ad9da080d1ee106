floods-slow-down = You are sending commands too fast; please wait a minute and try again.
floods-group-busy = Too many commands in this group right now; please wait a minute.
floods-press-slow = Too many presses; please wait a moment and press again.
