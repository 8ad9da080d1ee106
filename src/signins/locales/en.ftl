signins-button = Sign in ✋
signins-default-title = Study sign-in
signins-live =
    📝 <b>Sign-in: { $title }</b>
    Open until { $until } ({ $minutes } minutes; signing in more than { $lateAfter } minutes after it opened counts as late)
    Signed in: <b>{ $count }</b>
    Press “Sign in” below, or send /signin in this group.
signins-final =
    📝 <b>Sign-in closed: { $title }</b>
    Signed in: <b>{ $signed }</b> (on time { $present }, late { $late }); excused { $excused }; did not sign in { $absent }; expected { $eligible }.
signins-final-sent-privately = The list of who did not sign in was sent privately to the organisers.
signins-start-bot-to-receive = { $name }: please start a private chat with me (press the button below, then Start) and I will send you the list of who did not sign in or was excused.
signins-toast-present = Signed in ✓ { $title }
signins-toast-late = Signed in, counted as late. { $title }
signins-toast-already = You have already signed in; it is not counted twice.
signins-toast-closed = This sign-in has closed. Thank you, and see you next time!
signins-toast-unknown = This sign-in does not exist or has not opened; nothing was recorded.
signins-none-open = There is no sign-in open right now.
signins-already-open = A sign-in is already open: “{ $title }”, until { $until }. Send /close_signin to close it early.
signins-bad-minutes = The duration must be a whole number of minutes from 1 to 1440, e.g. /open_signin 30 Wednesday study meeting
signins-title-too-long = The sign-in title is too long; keep it under 100 characters.
signins-closed-reply = Sign-in closed: { $signed } signed in, { $absent } did not.
signins-leave-missing = Please give a reason, e.g. /leave working away from home, cannot attend
signins-leave-too-long = The reason is too long; keep it under 200 characters.
signins-leave-now = You are excused from “{ $title }”.
signins-leave-next = Noted: you are excused from the next sign-in opened in this group within 24 hours.
signins-leave-signed-in = You have already signed in; no need to be excused.
signins-private-title = 📝 <b>{ $group }</b> sign-in result: { $title }
signins-private-counts = Signed in { $signed } (on time { $present }, late { $late }); excused { $excused }; did not sign in { $absent }; expected { $eligible }.
signins-private-absent = <b>Did not sign in ({ $count }):</b>
signins-private-late = <b>Late ({ $count }):</b>
signins-private-excused = <b>Excused ({ $count }):</b>
signins-private-everyone = Everyone signed in or was excused.
signins-organisers = Administrators
signins-open-private-button = Organisers: get the list privately
signins-link-none = This sign-in list was already sent or has expired; there is nothing to send.
signins-link-not-organiser = You are not an administrator of this group, so you cannot see its sign-in list.
signins-link-unreachable = I cannot write to you privately right now; please press the link again later.
cmd-signin = Sign in to the open sign-in
cmd-leave = Ask to be excused <reason>
cmd-open_signin = Open a sign-in [minutes] [title]
cmd-close_signin = Close the open sign-in early
