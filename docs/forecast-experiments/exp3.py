exec(open('/tmp/fc17/feat.py').read())
exec(open('/tmp/fc17/gbm.py').read())
import sys
sel = ['lvl0.5','lvl0.8','lvl0.95','ilvl0.5','ilvl0.8','ilvl0.95','lag1','nb_lvl','wd_lvl','st_lvl','st_trend','type0','type1','type2','since','max12']
report('ridge sel lam10', rolling(sel, lam=10))
report('gbm all 100x.05 d3', rolling(NAMES, fitter=lambda a,b,c: gbm_fitpred(a,b,c)))
report('gbm sel 100x.05 d2', rolling(sel, fitter=lambda a,b,c: gbm_fitpred(a,b,c,depth=2)))
