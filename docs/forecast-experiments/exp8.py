exec(open('/tmp/fc17/feat.py').read())
for k in [1,2,3,6]:
    P2 = np.zeros_like(L)
    for t in range(W):
        idx = [s for s in range(t-k, t+k+1) if s != t and 0 <= s < W]
        P2[:, t] = L[:, idx].mean(1)
    report(f'CLAIRVOYANT ±{k} (excl t)', P2)
# two-sided ewm both directions
for d in [0.6, 0.8]:
    fw = ewm(L, d)[:, :W]; bw = ewm(L[:, ::-1], d)[:, :W][:, ::-1]
    report(f'CLAIRVOYANT 2-sided ewm {d}', (fw+bw)/2)
