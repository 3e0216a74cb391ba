exec(open('/tmp/fc17/feat.py').read())
report('ewm 0.8', ewm(L,0.8)[:, :W])
cur = ['lvl0.8','lag1','nb_lvl','st_trend','type0','type1','type2','since']
report('ridge current-ish 0.8', rolling(cur))
report('ridge lvl only', rolling(['lvl0.8']))
report('ridge lvls', rolling(['lvl0.5','lvl0.8','lvl0.95']))
report('ridge lvls+inc', rolling(['lvl0.5','lvl0.8','lvl0.95','ilvl0.5','ilvl0.8','ilvl0.95']))
report('ridge all', rolling(NAMES))
report('ridge all lam10', rolling(NAMES, lam=10))
report('ridge all train60', rolling(NAMES, train=60))
report('ridge all train240', rolling(NAMES, train=240))
# oracle: fit in-sample on each year
def oracle(names, lam=0.1):
    idx = [NAMES.index(n) for n in names]; pred = np.zeros_like(L)
    for (a0,a1) in years:
        xs = np.vstack([X[:, t][:, idx] for t in range(a0,a1+1)]); ys = np.concatenate([L[:, t] for t in range(a0,a1+1)])
        b = ridge(xs, ys, lam)
        for t in range(a0,a1+1): pred[:, t] = predict(b, X[:, t][:, idx])
    return pred
report('ORACLE in-year all', oracle(NAMES))
report('ORACLE in-year lvls', oracle(['lvl0.5','lvl0.8','lvl0.95']))
