floods-slow-down = 你发命令太快了，请休息一分钟再试。
floods-group-busy = 群里的命令太多了，请大家等一分钟再发。
floods-press-slow = 点得太快了，请稍等片刻再点。
