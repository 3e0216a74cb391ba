import json, numpy as np
P = json.load(open('/tmp/fc17/panel.json'))
start = P['start']; W = P['width']; A = len(P['areas'])
F = np.array(P['fat']); I = np.array(P['inc']); T3 = np.array(P['type'])  # 3,A,W
L = np.log1p(F); LI = np.log1p(I); LT = np.log1p(T3)
first = np.array(P['firstEvent']); nb = P['neighbours']; states = P['states']
def col(y, m): return y*12 + m - 1 - start
years = [(col(y-1,12), col(y,11)) for y in range(2012, 2023)]
evalT = np.arange(years[0][0], years[-1][1]+1)
def ewm(X, d):
    # out[...,o] = weighted mean of X[..., <o]
    out = np.zeros(X.shape[:-1] + (X.shape[-1]+1,)); s = np.zeros(X.shape[:-1]); w = 0
    for o in range(X.shape[-1]+1):
        out[..., o] = s / w if w > 0 else 0
        if o < X.shape[-1]:
            s = d*s + X[..., o]; w = d*w + 1
    return out
def report(name, pred, ref=None):
    # pred[a, t] predicted log1p for target col t (for t in evalT)
    persist = np.zeros_like(L); persist[:,1:] = L[:,:-1]
    rows = []
    for (a0, a1) in years:
        e = (pred[:, a0:a1+1] - L[:, a0:a1+1])**2
        p = (persist[:, a0:a1+1] - L[:, a0:a1+1])**2
        rows.append(np.sqrt(e.mean()/p.mean()))
    e = (pred[:, evalT] - L[:, evalT])**2; p = (persist[:, evalT] - L[:, evalT])**2
    tot = np.sqrt(e.mean()/p.mean())
    print(f"{name:28s} all {tot:.3f} rmsle {np.sqrt(e.mean()):.3f} | " + ' '.join(f"{r:.3f}" for r in rows) + f" | max15+ {max(rows[3:]):.3f}")
    return rows
