import { useState, type FormEvent } from 'react';
import { getStrategiesId, postAxesIdObjectives, postObjectivesIdIndicators, postStrategies, postStrategiesIdAxes, postStrategiesIdRevise, type PostObjectivesIdIndicatorsBody } from '../../api/generated';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { splitCodes } from './strategy-format';
import type { Strategy } from './types';
import './messages';

type IndicatorBody = PostObjectivesIdIndicatorsBody;

const text = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

/** Builds the filter of a measure from the form's comma lists (empty lists are left out). */
function filterOf(f: FormData, prefix = '') {
  const out: Record<string, string[]> = {};
  for (const k of ['states', 'admin1', 'event_types', 'sub_event_types']) {
    const v = splitCodes(text(f, `${prefix}${k}`));
    if (v.length) out[k] = v;
  }
  return out;
}

/** Confederation staff build the strategy: a new strategy, then axes, objectives and indicators (hand-entered or computed). */
export function StrategyBuilder({ strategy, onChange }: { strategy?: Strategy; onChange(): void }) {
  const { t, lang } = useLang();
  const tree = useApi(strategy ? `tree-${strategy.id}-${strategy.version}` : null, (s) => getStrategiesId({ id: strategy!.id }, s));
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [source, setSource] = useState<'manual' | 'computed'>('computed');
  const [measure, setMeasure] = useState('incidents');
  const name = (x: { name_fr: string; name_en: string }) => (lang === 'fr' ? x.name_fr : x.name_en);
  const submit = (call: (f: FormData) => Promise<unknown>) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(null);
    call(new FormData(form)).then(() => { form.reset(); setDone(form.getAttribute('aria-label') ?? '✓'); tree.reload(); onChange(); }, setError);
  };
  const objectives = (tree.data?.axes ?? []).flatMap((a) => a.objectives);
  return (
    <details className="card stack" data-testid="strategy-builder">
      <summary><strong>{t('strategy.builder')}</strong></summary>
      <ErrorMessage error={error} />
      {done && !error && <p role="status" className="muted">✓</p>}
      <form className="stack" aria-label={t('strategy.new_strategy')} onSubmit={submit((f) => postStrategies({ body: {
        code: text(f, 'code'), title_fr: text(f, 'title_fr'), title_en: text(f, 'title_en'), valid_from: text(f, 'valid_from'), valid_to: text(f, 'valid_to'),
      } }))}>
        <h3>{t('strategy.new_strategy')}</h3>
        <div className="filter-grid">
          <label className="field">{t('strategy.code')}<input name="code" required /></label>
          <label className="field">{t('strategy.name_fr')}<input name="title_fr" required /></label>
          <label className="field">{t('strategy.name_en')}<input name="title_en" required /></label>
          <label className="field">{t('strategy.valid_from')}<input name="valid_from" type="date" required /></label>
          <label className="field">{t('strategy.valid_to')}<input name="valid_to" type="date" required /></label>
        </div>
        <div className="actions"><button type="submit">{t('strategy.create')}</button></div>
      </form>
      {strategy && (
        <>
          <form className="stack" aria-label={t('strategy.revise')} onSubmit={submit((f) => postStrategiesIdRevise({ id: strategy.id, body: {
            code: text(f, 'code'), valid_from: text(f, 'valid_from'), valid_to: text(f, 'valid_to'),
          } }))}>
            <h3>{t('strategy.revise')}</h3>
            <p className="muted">{t('strategy.revise_hint')}</p>
            <div className="filter-grid">
              <label className="field">{t('strategy.code')}<input name="code" required /></label>
              <label className="field">{t('strategy.valid_from')}<input name="valid_from" type="date" required /></label>
              <label className="field">{t('strategy.valid_to')}<input name="valid_to" type="date" required /></label>
            </div>
            <div className="actions"><button type="submit">{t('strategy.revise')}</button></div>
          </form>
          <form className="stack" aria-label={t('strategy.add_axis')} onSubmit={submit((f) => postStrategiesIdAxes({ id: strategy.id, body: {
            code: text(f, 'code'), name_fr: text(f, 'name_fr'), name_en: text(f, 'name_en'), civilian_protection: f.get('civilian') === 'on',
          } }))}>
            <h3>{t('strategy.add_axis')}</h3>
            <div className="filter-grid">
              <label className="field">{t('strategy.code')}<input name="code" required /></label>
              <label className="field">{t('strategy.name_fr')}<input name="name_fr" required /></label>
              <label className="field">{t('strategy.name_en')}<input name="name_en" required /></label>
              <label className="check"><input type="checkbox" name="civilian" /> {t('strategy.civilian_axis')}</label>
            </div>
            <div className="actions"><button type="submit">{t('strategy.add_axis')}</button></div>
          </form>
          <form className="stack" aria-label={t('strategy.add_objective')} onSubmit={submit((f) => postAxesIdObjectives({ id: text(f, 'axis'), body: {
            code: text(f, 'code'), name_fr: text(f, 'name_fr'), name_en: text(f, 'name_en'),
          } }))}>
            <h3>{t('strategy.add_objective')}</h3>
            <div className="filter-grid">
              <label className="field">{t('strategy.axis')}<select name="axis" required>{(tree.data?.axes ?? []).map((a) => <option key={a.id} value={a.id}>{a.code} — {name(a)}</option>)}</select></label>
              <label className="field">{t('strategy.code')}<input name="code" required /></label>
              <label className="field">{t('strategy.name_fr')}<input name="name_fr" required /></label>
              <label className="field">{t('strategy.name_en')}<input name="name_en" required /></label>
            </div>
            <div className="actions"><button type="submit">{t('strategy.add_objective')}</button></div>
          </form>
          <form className="stack" aria-label={t('strategy.add_indicator')} onSubmit={submit((f) => postObjectivesIdIndicators({ id: text(f, 'objective'), body: {
            code: text(f, 'code'), name_fr: text(f, 'name_fr'), name_en: text(f, 'name_en'), unit: text(f, 'unit') as IndicatorBody['unit'], direction: text(f, 'direction') as IndicatorBody['direction'],
            frequency: text(f, 'frequency') as IndicatorBody['frequency'], source, civilian_harm: f.get('civilian_harm') === 'on',
            ...(text(f, 'baseline') ? { baseline_value: Number(text(f, 'baseline')) } : {}),
            definition: (source === 'manual' ? null : measure === 'ratio'
              ? { measure: 'ratio', filter: filterOf(f), numerator: { measure: text(f, 'num'), filter: {} }, denominator: { measure: text(f, 'den'), filter: {} }, scale: Number(text(f, 'scale') || 1) }
              : { measure, filter: filterOf(f) }) as IndicatorBody['definition'],
          } }))}>
            <h3>{t('strategy.add_indicator')}</h3>
            <div className="filter-grid">
              <label className="field">{t('strategy.objective')}<select name="objective" required>{objectives.map((o) => <option key={o.id} value={o.id}>{o.code} — {name(o)}</option>)}</select></label>
              <label className="field">{t('strategy.code')}<input name="code" required /></label>
              <label className="field">{t('strategy.name_fr')}<input name="name_fr" required /></label>
              <label className="field">{t('strategy.name_en')}<input name="name_en" required /></label>
              <label className="field">{t('strategy.unit')}<select name="unit">{['count', 'percent', 'ratio', 'days', 'number'].map((u) => <option key={u}>{u}</option>)}</select></label>
              <label className="field">{t('strategy.direction')}<select name="direction"><option value="decrease">{t('strategy.decrease')}</option><option value="increase">{t('strategy.increase')}</option></select></label>
              <label className="field">{t('strategy.frequency')}<select name="frequency" defaultValue="quarter">{(['month', 'quarter', 'year'] as const).map((q) => <option key={q} value={q}>{t(`strategy.freq.${q}`)}</option>)}</select></label>
              <label className="field">{t('strategy.baseline')}<input name="baseline" type="number" step="any" /></label>
              <label className="field">{t('strategy.source')}<select value={source} onChange={(e) => setSource(e.target.value as 'manual' | 'computed')}><option value="computed">{t('strategy.computed')}</option><option value="manual">{t('strategy.manual')}</option></select></label>
              <label className="check"><input type="checkbox" name="civilian_harm" /> {t('strategy.civilian_harm')}</label>
            </div>
            {source === 'computed' && (
              <div className="filter-grid">
                <label className="field">{t('strategy.measure')}<select value={measure} onChange={(e) => setMeasure(e.target.value)}>{(['incidents', 'fatalities', 'civilian_fatalities', 'ratio'] as const).map((m) => <option key={m} value={m}>{t(`strategy.measures.${m}`)}</option>)}</select></label>
                {measure === 'ratio' && (
                  <>
                    <label className="field">{t('strategy.numerator')}<select name="num">{(['civilian_fatalities', 'fatalities', 'incidents'] as const).map((m) => <option key={m} value={m}>{t(`strategy.measures.${m}`)}</option>)}</select></label>
                    <label className="field">{t('strategy.denominator')}<select name="den" defaultValue="fatalities">{(['fatalities', 'incidents', 'civilian_fatalities'] as const).map((m) => <option key={m} value={m}>{t(`strategy.measures.${m}`)}</option>)}</select></label>
                    <label className="field">×<input name="scale" type="number" defaultValue={100} /></label>
                  </>
                )}
                <label className="field">{t('strategy.states_filter')}<input name="states" /></label>
                <label className="field">{t('strategy.areas')}<input name="admin1" /></label>
                <label className="field">{t('strategy.event_types')}<input name="event_types" /></label>
                <label className="field">{t('strategy.sub_event_types')}<input name="sub_event_types" /></label>
              </div>
            )}
            <div className="actions"><button type="submit">{t('strategy.add_indicator')}</button></div>
          </form>
        </>
      )}
    </details>
  );
}
