exec(open('/tmp/fc17/feat.py').read())
exec(open('/tmp/fc17/hurdle.py').read())
mon = np.array([(start + o) % 12 for o in range(W+1)])
feats['sin'] = np.tile(np.sin(2*np.pi*mon/12), (A,1)); feats['cos'] = np.tile(np.cos(2*np.pi*mon/12), (A,1))
ev = json.load(open('/tmp/fc17/events.json'))
late = np.zeros((A, W)); latei = np.zeros((A, W)); big = np.zeros((A,W))
for d, a, f, ty in ev:
    y, m, day = int(d[:4]), int(d[5:7]), int(d[8:10]); t = y*12+m-1-start
    if t >= W: continue
    if day >= 16: late[a,t] += f; latei[a,t] += 1
    if f >= 10: big[a,t] += 1
feats['late'] = lagged(np.log1p(late), 1); feats['latei'] = lagged(np.log1p(latei), 1)
feats['big'] = ewm(np.log1p(big), 0.8)
feats['nb_late'] = Wd @ feats['late']
NAMES = list(feats); X = np.stack([feats[n] for n in NAMES], -1)
sel = ['lvl0.5','lvl0.8','lvl0.95','ilvl0.5','ilvl0.8','ilvl0.95','lag1','nb_lvl','wd_lvl','st_lvl','st_trend','type0','type1','type2','since','max12','sin','cos']
report('ewm', ewm(L,0.8)[:, :W])
report('ridge sel', rolling(sel, lam=10))
report('ridge +late', rolling(sel+['late','latei'], lam=10))
report('ridge +big', rolling(sel+['big'], lam=10))
report('ridge +late+nb', rolling(sel+['late','latei','nb_late'], lam=10))
report('hurdle +late', rolling(sel+['late','latei'], fitter=hurdle_fitter(10,10)))
