def logistic_fit(Xr, y, lam=1.0, iters=50):
    Xc = np.hstack([np.ones((len(Xr),1)), Xr]); k = Xc.shape[1]
    w = np.zeros(k); s = y.mean(); w[0] = np.log((s+1e-3)/(1-s+1e-3))
    R = lam*np.eye(k); R[0,0] = 0
    def ll(w):
        z = Xc@w
        return np.sum(np.where(y>0, -np.logaddexp(0,-z), -np.logaddexp(0,z))) - 0.5*w@R@w
    cur = ll(w)
    for _ in range(iters):
        p = 1/(1+np.exp(-(Xc@w)))
        g = Xc.T@(y-p) - R@w; H = Xc.T@(Xc*np.maximum(p*(1-p),1e-9)[:,None]) + R
        step = np.linalg.solve(H, g); sc = 1.0
        for _ in range(12):
            c = w + sc*step; v = ll(c)
            if v >= cur: break
            sc /= 2
        else: break
        gain = v-cur; w = c; cur = v
        if gain < 1e-7*(1+abs(cur)): break
    return w
def hurdle_fitter(lam_l=1.0, lam_s=1.0, floor=True, point='mix'):
    def f(xr, yr, xte):
        pos = yr > 0
        wl = logistic_fit(xr, pos.astype(float), lam_l)
        b = ridge(xr[pos], yr[pos], lam_s)
        res = np.sort(yr[pos] - predict(b, xr[pos]))
        p = 1/(1+np.exp(-(wl[0] + xte@wl[1:])))
        mu = predict(b, xte)
        if point == 'mix':
            v = mu[:,None] + res[None,:]
            if floor: v = np.maximum(np.log(2), v)
            return p * v.mean(1)
        return p*mu
    return f
