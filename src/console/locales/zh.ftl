console-remind-text = 📚 提醒：「{ $group }」本周的课程《{ $lesson }》您还没有学习。发送 /lessons 即可在这里补学。
