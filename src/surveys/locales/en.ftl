surveys-intro = 📋 <b>{ $title }</b>
    { $count } short questions follow; just tap your answers (you can change them later). Your choices shape the training.
surveys-list-title = <b>Available surveys:</b>
surveys-list-item = • <code>{ $name }</code> — { $title } ({ $count } questions)
surveys-list-hint = Send /survey { $example } to post a survey; /survey results shows the latest results; /survey close ends it (after a needs survey closes, elective lessons follow what members asked for).
surveys-none = There are no surveys yet (content/surveys/ is empty).
surveys-unknown = There is no survey called “{ $input }”.
surveys-partial = Only { $posted } of { $total } questions were posted; please try again later.
surveys-no-results = No survey has been posted in this group yet. Send /survey to see the available ones.
surveys-results-title = 📊 <b>{ $title }</b> · results ({ $week })
surveys-results-question = { $n }. { $question } ({ $voters } answered)
surveys-results-option = · { $option }: { $votes }
surveys-too-long = That input is too long.
cmd-survey = Post the needs or satisfaction survey
surveys-closed = ✅ The survey “{ $title }” is closed; voting has stopped. Final results:
surveys-nothing-open = No survey is open. Send /survey to see the available ones.
