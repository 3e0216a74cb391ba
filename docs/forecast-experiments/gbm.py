import numpy as np
def fit_tree(X, g, depth, min_leaf, bins):
    # X binned (ints), g residuals; returns list of nodes. greedy squared-error tree
    n, k = X.shape
    nodes = []
    def build(idx, d):
        val = g[idx].mean()
        if d == depth or len(idx) < 2*min_leaf:
            nodes.append(('leaf', val)); return len(nodes)-1
        best = (0, None, None)
        gi = g[idx]; tot = gi.sum(); cnt = len(idx)
        for j in range(k):
            xj = X[idx, j]
            s = np.bincount(xj, weights=gi, minlength=bins); c = np.bincount(xj, minlength=bins)
            cs = np.cumsum(s)[:-1]; cc = np.cumsum(c)[:-1]
            ok = (cc >= min_leaf) & (cnt-cc >= min_leaf)
            if not ok.any(): continue
            gain = np.where(ok, cs**2/np.maximum(cc,1) + (tot-cs)**2/np.maximum(cnt-cc,1) - tot**2/cnt, -1)
            b = gain.argmax()
            if gain[b] > best[0]: best = (gain[b], j, b)
        if best[1] is None:
            nodes.append(('leaf', val)); return len(nodes)-1
        j, b = best[1], best[2]
        me = len(nodes); nodes.append(None)
        l = build(idx[X[idx,j] <= b], d+1); r = build(idx[X[idx,j] > b], d+1)
        nodes[me] = ('split', j, b, l, r); return me
    build(np.arange(n), 0)
    return nodes
def tree_pred(nodes, X):
    out = np.zeros(len(X))
    for i in range(len(X)):
        nd = nodes[0]
        while nd[0] == 'split':
            nd = nodes[nd[3]] if X[i, nd[1]] <= nd[2] else nodes[nd[4]]
        out[i] = nd[1]
    return out
def gbm_fitpred(Xtr, y, Xte, trees=100, lr=0.05, depth=3, min_leaf=20, bins=32, subsample=1.0):
    qs = [np.unique(np.quantile(Xtr[:, j], np.linspace(0,1,bins+1)[1:-1])) for j in range(Xtr.shape[1])]
    B = lambda Z: np.stack([np.searchsorted(qs[j], Z[:, j], side='left') for j in range(Z.shape[1])], 1)
    Btr = B(Xtr); Bte = B(Xte)
    f0 = y.mean(); ftr = np.full(len(y), f0); fte = np.full(len(Xte), f0)
    for _ in range(trees):
        nodes = fit_tree(Btr, y - ftr, depth, min_leaf, bins+1)
        ftr += lr*tree_pred(nodes, Btr); fte += lr*tree_pred(nodes, Bte)
    return fte
