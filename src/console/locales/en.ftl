console-remind-text = 📚 A reminder: you have not yet studied this week's lesson "{ $lesson }" in "{ $group }". Send /lessons to catch up here.
