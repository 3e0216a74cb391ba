exec(open('/tmp/fc17/feat.py').read())
exec(open('/tmp/fc17/hurdle.py').read())
mon = np.array([(start + o) % 12 for o in range(W+1)])
feats['sin'] = np.tile(np.sin(2*np.pi*mon/12), (A,1)); feats['cos'] = np.tile(np.cos(2*np.pi*mon/12), (A,1))
NAMES = list(feats); X = np.stack([feats[n] for n in NAMES], -1)
sel = ['lvl0.5','lvl0.8','lvl0.95','ilvl0.5','ilvl0.8','ilvl0.95','lag1','nb_lvl','wd_lvl','st_lvl','st_trend','type0','type1','type2','since','max12','sin','cos']
cur = ['lvl0.8','lag1','nb_lvl','st_trend','type0','type1','type2','since']
report('ridge sel', rolling(sel, lam=10))
report('hurdle cur (like shipped)', rolling(cur, fitter=hurdle_fitter()))
report('hurdle sel', rolling(sel, fitter=hurdle_fitter()))
report('hurdle sel lam10', rolling(sel, fitter=hurdle_fitter(10,10)))
report('hurdle sel nofloor', rolling(sel, fitter=hurdle_fitter(10,10,floor=False)))
