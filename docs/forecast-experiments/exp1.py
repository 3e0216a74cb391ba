exec(open('/tmp/fc17/base.py').read())
for d in [0.5,0.6,0.7,0.8,0.85,0.9,0.95]:
    E = ewm(L, d)[:, :W]  # prediction for col t = ewm at origin t
    report(f'ewm {d}', E)
# mean3 in log, zero
report('zero', np.zeros_like(L))
