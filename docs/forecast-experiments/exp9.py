exec(open('/tmp/fc17/feat.py').read())
exec(open('/tmp/fc17/hurdle.py').read())
mon = np.array([(start + o) % 12 for o in range(W+1)])
feats['sin'] = np.tile(np.sin(2*np.pi*mon/12), (A,1)); feats['cos'] = np.tile(np.cos(2*np.pi*mon/12), (A,1))
st_lvl = Smean @ (feats['lvl0.8']*known); feats['st_lvl_k'] = (st_lvl / np.maximum(1e-9, Smean @ known))[sidx]
NAMES = list(feats); X = np.stack([feats[n] for n in NAMES], -1)
sel = ['lvl0.5','lvl0.8','lvl0.95','lag1','ilvl0.5','ilvl0.8','ilvl0.95','nb_lvl','st_lvl_k','st_trend','type0','type1','type2','since','max12','sin','cos']
idx = [NAMES.index(n) for n in sel]
report('hurdle 17 lam10', rolling(sel, fitter=hurdle_fitter(10,10)))
report('hurdle 17 lam1', rolling(sel, fitter=hurdle_fitter(1,1)))
report('hurdle 17 lam100', rolling(sel, fitter=hurdle_fitter(100,100)))
report('ridge 17 lam10', rolling(sel, lam=10))
# nested lam for ridge: choose on 12 months before origin, fit on data before those
pred = np.zeros_like(L); ch=[]
for t in evalT:
    best=None
    for lam in [1,10,100]:
        xr, yr = rows(sel, t-12-120, t-13); b = ridge(xr, yr, lam)
        xv, yv = rows(sel, t-12, t-1); e = ((predict(b,xv)-yv)**2).mean()
        if best is None or e < best[0]: best=(e,lam)
    ch.append(best[1]); xr, yr = rows(sel, t-120, t-1); pred[:, t] = predict(ridge(xr,yr,best[1]), X[:, t][:, idx])
report('ridge 17 nested lam', pred); print(np.bincount(ch))
