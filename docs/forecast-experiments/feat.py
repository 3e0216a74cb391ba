exec(open('/tmp/fc17/base.py').read())
def lagged(X, k):
    out = np.zeros(X.shape[:-1] + (X.shape[-1]+1,))
    out[..., k:] = X[..., :X.shape[-1]+1-k]
    return out
cent = P['cent']
def dist(a,b):
    import math
    if a is None or b is None: return 1e9
    r=math.pi/180; dl=(b['lat']-a['lat'])*r; dn=(b['lon']-a['lon'])*r
    h=math.sin(dl/2)**2+math.cos(a['lat']*r)*math.cos(b['lat']*r)*math.sin(dn/2)**2
    return 2*6371*math.asin(min(1,math.sqrt(h)))
D = np.array([[dist(cent[a],cent[b]) for b in range(A)] for a in range(A)])
Wd = np.exp(-D/150); np.fill_diagonal(Wd, 0); Wd = Wd/np.maximum(1e-12, Wd.sum(1, keepdims=True))
Nb = np.zeros((A,A))
for a in range(A):
    for b in nb[a]: Nb[a,b] = 1
Nb = Nb / np.maximum(1, Nb.sum(1, keepdims=True))
S = sorted(set(states)); Sm = np.array([[1.0 if states[b]==s else 0 for b in range(A)] for s in S]); 
Smean = Sm / Sm.sum(1, keepdims=True)
sidx = np.array([S.index(s) for s in states])
feats = {}
for d in [0.5, 0.8, 0.95]:
    feats[f'lvl{d}'] = ewm(L, d)
    feats[f'ilvl{d}'] = ewm(LI, d)
for k in [1,2,3]: feats[f'lag{k}'] = lagged(L, k)
feats['ilag1'] = lagged(LI, 1)
for j in range(3): feats[f'type{j}'] = ewm(LT[j], 0.8)
feats['nb_lvl'] = Nb @ feats['lvl0.8']; feats['nb_lag1'] = Nb @ feats['lag1']
feats['wd_lvl'] = Wd @ feats['lvl0.8']; feats['wd_lag1'] = Wd @ feats['lag1']
feats['nb_ilvl'] = Nb @ feats['ilvl0.8']
st_lag1 = Smean @ feats['lag1']; feats['st_lag1'] = st_lag1[sidx]
st_lvl = Smean @ feats['lvl0.8']; feats['st_lvl'] = st_lvl[sidx]
feats['st_trend'] = (Smean @ (feats['lvl0.5'] - feats['lvl0.95']))[sidx]
feats['all_lag1'] = np.tile(feats['lag1'].mean(0), (A,1))
# months since last event
mse = np.zeros((A, W+1)); last = -np.ones(A)*999
for o in range(W+1):
    mse[:, o] = np.log1p(np.minimum(36, o-1-last))
    if o < W: last = np.where(I[:, o] > 0, o, last)
feats['since'] = mse
# max last 12
mx = np.zeros((A, W+1))
for o in range(1, W+1): mx[:, o] = L[:, max(0,o-12):o].max(1)
feats['max12'] = mx
feats['longrun'] = ewm(L, 0.99)
known = np.zeros((A, W+1))
for a in range(A): known[a, first[a]+1:] = 1
NAMES = list(feats)
X = np.stack([feats[n] for n in NAMES], -1)  # A, W+1, K
def ridge(Xr, y, lam, w=None):
    Xc = np.hstack([np.ones((len(Xr),1)), Xr])
    R = lam*np.eye(Xc.shape[1]); R[0,0]=0
    if w is None: w = np.ones(len(y))
    return np.linalg.solve(Xc.T @ (Xc*w[:,None]) + R, Xc.T @ (y*w))
def predict(beta, Xr): return beta[0] + Xr @ beta[1:]
def rows(names, t0, t1, h=1):
    # training rows: targets t in [t0,t1], origin o = t-h+1, known areas at origin
    idx = [NAMES.index(n) for n in names]
    xs=[]; ys=[]
    for t in range(max(t0,h), t1+1):
        o = t-h+1
        m = known[:, o] > 0
        xs.append(X[m, o][:, idx]); ys.append(L[m, t])
    return np.vstack(xs), np.concatenate(ys)
def rolling(names, lam=1.0, train=120, h=1, fitter=None):
    idx = [NAMES.index(n) for n in names]
    pred = np.zeros_like(L)
    for t in evalT:
        o = t-h+1
        xr, yr = rows(names, o-1-train+1, o-1, h)
        if fitter: pred[:, t] = fitter(xr, yr, X[:, o][:, idx])
        else:
            b = ridge(xr, yr, lam); pred[:, t] = predict(b, X[:, o][:, idx])
    return pred
