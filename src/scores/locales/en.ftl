scores-board-week = 🏆 <b>This week's leaderboard</b> ({ $week })
scores-board-all = 🏆 <b>All-time leaderboard</b>
scores-board-empty = Nobody has scored yet. Studying lessons (press “Studied ✓”), signing in and answering quizzes all score.
scores-board-detail = L{ $studied }·S{ $signins }·Q{ $points }
scores-board-you-none = You have not scored here yet.
scores-rule = Score = lessons studied×{ $studied } + sign-ins×{ $signins } + quiz points (10 per right answer, up to 5 more for speed). L = lessons, S = sign-ins, Q = quiz points.
scores-top-usage = There is no option “{ $input }”. Usage: /top (this week) or /top all (all time).
scores-me-title = 👤 <b>{ $name }</b>: your record
scores-me-week = This week: { $studied } lessons · { $signins } sign-ins · { $answers } quiz answers ({ $correct } right, { $points } points) · score { $score } · rank { $rank } of { $of }
scores-me-week-none = This week: nothing yet. Time to study!
scores-me-all = All time: { $studied } lessons · { $signins } sign-ins · { $answers } quiz answers ({ $correct } right, { $points } points) · score { $score } · rank { $rank } of { $of }
scores-me-all-none = All time: nothing yet.
scores-me-streak = 🔥 Sign-in streak: { $streak }
scores-me-private-title = 👤 <b>You in your study groups</b>
scores-me-private-line = rank { $rank } of { $of } this week, score { $score } ({ $allScore } all time)
scores-me-private-quiet = nothing yet this week ({ $allScore } all time)
scores-me-private-none = I have not seen you in a study group yet. Send /me or /join in your study group.
scores-me-private-hint = Send /me in a group for the details.
