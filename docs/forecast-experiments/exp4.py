exec(open('/tmp/fc17/feat.py').read())
mon = np.array([(start + o) % 12 for o in range(W+1)])  # calendar month of target col o (h=1: origin o forecasts col o)
feats['sin'] = np.tile(np.sin(2*np.pi*mon/12), (A,1)); feats['cos'] = np.tile(np.cos(2*np.pi*mon/12), (A,1))
# deadly events level: need events with fatalities>0 — not in panel; use fatalities per incident
fpi = np.where(I>0, L - LI, 0); feats['fpi'] = ewm(fpi, 0.8)
feats['ilvl0.3'] = ewm(LI, 0.3); feats['lvl0.3'] = ewm(L, 0.3)
feats['nb_ilag1'] = Nb @ lagged(LI,1); feats['wd_ilvl'] = Wd @ feats['ilvl0.8']
feats['lvlxsince'] = feats['lvl0.8'] * feats['since']
NAMES = list(feats); X = np.stack([feats[n] for n in NAMES], -1)
sel = ['lvl0.5','lvl0.8','lvl0.95','ilvl0.5','ilvl0.8','ilvl0.95','lag1','nb_lvl','wd_lvl','st_lvl','st_trend','type0','type1','type2','since','max12']
base = rolling(sel, lam=10); report('ridge sel lam10', base)
report('+season', rolling(sel+['sin','cos'], lam=10))
report('+fpi', rolling(sel+['fpi'], lam=10))
report('+fast', rolling(sel+['ilvl0.3','lvl0.3','ilag1'], lam=10))
report('+nb inc', rolling(sel+['nb_ilag1','wd_ilvl','nb_ilvl'], lam=10))
report('+lvlxsince', rolling(sel+['lvlxsince'], lam=10))
small = ['lvl0.5','lvl0.95','ilvl0.5','ilvl0.95','wd_lvl','st_trend']
report('small', rolling(small, lam=10))
for lam in [1, 30, 100, 300]: report(f'sel lam{lam}', rolling(sel, lam=lam))
e = ewm(L,0.8)[:, :W]
report('avg(ridge, ewm)', (base+e)/2)
