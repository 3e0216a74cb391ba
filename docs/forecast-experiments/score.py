def crps_s(x, y):
    x = np.sort(x); n = len(x); i = np.arange(1, n+1)
    return np.abs(x-y).mean() - ((2*i-n-1)*x).sum()/(n*n)
def pit_s(x, y, level=0.9):
    tail=(1-level)/2; r = np.round(x); t = round(y)
    lo = (r < t).mean(); hi = lo + (r == t).mean()
    if hi == lo: return 1.0 if tail <= lo <= 1-tail else 0.0
    return max(0, min(hi, 1-tail) - max(lo, tail))/(hi-lo)
def dist_report(name, dists):
    # dists: dict (a,t) -> samples (counts), for t in evalT
    out=[]
    Fp = np.zeros(A)
    for (a0,a1) in years + [(evalT[0], evalT[-1])]:
        c=[]; cb=[]; p=[]; se=[]; sp=[]
        for t in range(a0,a1+1):
            for a in range(A):
                x = dists[(a,t)]; y = F[a,t]
                c.append(crps_s(x,y)); p.append(pit_s(x,y))
                b = F[a, max(0,t-12):t]; cb.append(crps_s(b if len(b) else np.zeros(1), y))
                se.append((np.log1p(x).mean()-L[a,t])**2); sp.append((L[a,t-1]-L[a,t])**2)
        out.append((np.mean(c)/np.mean(cb), np.mean(p), np.sqrt(np.mean(se)/np.mean(sp))))
    print(f"{name:24s} all: rmsle/p {out[-1][2]:.3f} crps/boot {out[-1][0]:.3f} pit90 {out[-1][1]:.3f}")
    print('   rmsle/p ', ' '.join(f"{o[2]:.3f}" for o in out[:-1]))
    print('   crps/bt ', ' '.join(f"{o[0]:.3f}" for o in out[:-1]))
    print('   pit90   ', ' '.join(f"{o[1]:.3f}" for o in out[:-1]))
