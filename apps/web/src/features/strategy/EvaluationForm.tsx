import { useState } from 'react';
import { useNavigate } from '../../app/router';
import { CLASSIFICATIONS, CONFEDERATION_ORG } from '@vigie/domain/classification';
import { postStrategiesIdEvaluations, type PostStrategiesIdEvaluationsBody } from '../../api/generated';
import { loadReference } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { orgName } from '../../api/reference';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { periodText } from './strategy-format';
import type { Progress } from './types';
import './messages';

type Body = PostStrategiesIdEvaluationsBody;
type Rating = NonNullable<Body['ratings']>[number]['rating'];

/** The experts evaluate the shown period: for each objective keep the derived status or set another with a justification. */
export function EvaluationForm({ progress, onDone }: { progress: Progress; onDone(): void }) {
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const { session } = useSession();
  const ref = useApi('ref', () => loadReference());
  const org = session?.user.organisation ?? CONFEDERATION_ORG;
  const clearance = session?.user.clearance ?? 0;
  const objectives = progress.axes.flatMap((a) => a.objectives);
  return (
    <form
      className="card stack"
      aria-label={t('strategy.new_evaluation')}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const ratings = objectives.map((o) => ({ objective_id: o.id, rating: (String(f.get(`r-${o.id}`) ?? '') || null) as Rating, justification: String(f.get(`j-${o.id}`) ?? '') }))
          .filter((r) => r.rating !== null);
        setError(null);
        postStrategiesIdEvaluations({ id: progress.strategy.id, body: {
          period: progress.period, audience: String(f.get('audience') ?? 'CONF'), ceiling: String(f.get('ceiling') ?? 'restricted') as Body['ceiling'], narrative: String(f.get('narrative') ?? ''), ratings,
        } })
          .then((ev) => { onDone(); navigate(`/strategy/evaluations/${ev.id}`); }, setError);
      }}
    >
      <h3>{t('strategy.new_evaluation')} — {periodText(progress.period, lang)}</h3>
      <ErrorMessage error={error} />
      <div className="filter-grid">
        <label className="field">{t('strategy.audience_field')}
          <select name="audience" defaultValue={CONFEDERATION_ORG}>
            {[...new Set([CONFEDERATION_ORG, org])].map((o) => <option key={o} value={o}>{orgName(ref.data, o, lang)}</option>)}
          </select>
        </label>
        <label className="field">{t('strategy.ceiling_field')}
          <select name="ceiling" defaultValue="restricted">
            {CLASSIFICATIONS.filter((_, k) => k <= clearance).map((c) => <option key={c} value={c}>{t(`classification.${c}`)}</option>)}
          </select>
        </label>
      </div>
      <label className="field">{t('strategy.narrative')}<textarea name="narrative" rows={5} /></label>
      {objectives.map((o) => (
        <fieldset key={o.id} className="filter-grid">
          <legend>{o.code} — {lang === 'fr' ? o.name_fr : o.name_en} ({t('strategy.derived')}{t('common.sep')}{t(`strategy.rating.${o.status ?? 'none'}`)})</legend>
          <label className="field">{t('strategy.override')}
            <select name={`r-${o.id}`} defaultValue=""><option value="">{t('strategy.derived')}</option>{(['on_track', 'at_risk', 'off_track'] as const).map((r) => <option key={r} value={r}>{t(`strategy.rating.${r}`)}</option>)}</select>
          </label>
          <label className="field">{t('strategy.justification')}<input name={`j-${o.id}`} /></label>
        </fieldset>
      ))}
      <div className="actions"><button type="submit">{t('strategy.create')}</button></div>
    </form>
  );
}
