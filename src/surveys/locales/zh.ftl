surveys-intro = 📋 <b>{ $title }</b>
    下面有 { $count } 个小问题，请大家直接点选（可以随时改选）。你的选择帮助我们安排培训。
surveys-list-title = <b>可用的调查：</b>
surveys-list-item = • <code>{ $name }</code> — { $title }（{ $count } 题）
surveys-list-hint = 发送 /survey { $example } 发起调查；/survey results 查看最近一次的结果；/survey close 结束调查（需求调查结束后，选修课按大家的需求排序）。
surveys-none = 还没有可用的调查（content/surveys/ 里没有文件）。
surveys-unknown = 没有名为“{ $input }”的调查。
surveys-partial = 调查只发出了 { $posted }/{ $total } 题，请稍后再试。
surveys-no-results = 本群还没有发起过调查。发送 /survey 查看可用的调查。
surveys-results-title = 📊 <b>{ $title }</b> · 结果（{ $week }）
surveys-results-question = { $n }. { $question }（{ $voters } 人作答）
surveys-results-option = 　{ $option }：{ $votes }
surveys-too-long = 输入太长了。
cmd-survey = 发起需求或满意度调查
surveys-closed = ✅ 调查「{ $title }」已结束，投票已停止。最终结果：
surveys-nothing-open = 没有正在进行的调查。发送 /survey 查看可用的调查。
