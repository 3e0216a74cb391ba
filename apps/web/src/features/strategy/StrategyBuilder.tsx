import { useState, type FormEvent } from 'react';
import { getStrategiesId, postAxesIdObjectives, postObjectivesIdIndicators, postStrategies, postStrategiesIdAxes, postStrategiesIdRevise, type PostObjectivesIdIndicatorsBody } from '../../api/generated';
import { EVENT_TYPES, type SubEventType } from '@vigie/domain/taxonomy';
import { areaWithState, loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { CheckGroup, MultiSelect } from '../../ui/MultiSelect';
import type { Strategy } from './types';
import './messages';

type IndicatorBody = PostObjectivesIdIndicatorsBody;

const text = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

/** What a computed indicator counts: states, admin-1 areas, event types and sub-types, each chosen by name. */
interface MeasureFilter { states: string[]; admin1: string[]; event_types: string[]; sub_event_types: string[] }
const NO_FILTER: MeasureFilter = { states: [], admin1: [], event_types: [], sub_event_types: [] };

/** The filter of a measure as the API takes it: empty lists are left out. */
function filterOf(chosen: MeasureFilter) {
  return Object.fromEntries(Object.entries(chosen).filter(([, v]) => v.length));
}

/** Confederation staff build the strategy: a new strategy, then axes, objectives and indicators (hand-entered or computed). */
export function StrategyBuilder({ strategy, onChange }: { strategy?: Strategy; onChange(): void }) {
  const { t, lang } = useLang();
  const tree = useApi(strategy ? `tree-${strategy.id}-${strategy.version}` : null, (s) => getStrategiesId({ id: strategy!.id }, s));
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [source, setSource] = useState<'manual' | 'computed'>('computed');
  const [measure, setMeasure] = useState('incidents');
  const [chosen, setChosen] = useState<MeasureFilter>(NO_FILTER);
  const choose = (k: keyof MeasureFilter) => (v: string[]) => setChosen((c) => ({ ...c, [k]: v }));
  const ref = useApi('ref', () => loadReference());
  const areas = (ref.data?.admin_areas ?? []).filter((a) => a.level === 1 && (!chosen.states.length || chosen.states.includes(a.state)));
  const subTypes = EVENT_TYPES.filter((et) => !chosen.event_types.length || chosen.event_types.includes(et.slug)).flatMap((et): readonly SubEventType[] => et.subTypes);
  const name = (x: { name_fr: string; name_en: string }) => (lang === 'fr' ? x.name_fr : x.name_en);
  const submit = (call: (f: FormData) => Promise<unknown>) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(null);
    call(new FormData(form)).then(() => { form.reset(); setChosen(NO_FILTER); setDone(form.getAttribute('aria-label') ?? '✓'); tree.reload(); onChange(); }, setError);
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
              ? { measure: 'ratio', filter: filterOf(chosen), numerator: { measure: text(f, 'num'), filter: {} }, denominator: { measure: text(f, 'den'), filter: {} }, scale: Number(text(f, 'scale') || 1) }
              : { measure, filter: filterOf(chosen) }) as IndicatorBody['definition'],
          } }))}>
            <h3>{t('strategy.add_indicator')}</h3>
            <div className="filter-grid">
              <label className="field">{t('strategy.objective')}<select name="objective" required>{objectives.map((o) => <option key={o.id} value={o.id}>{o.code} — {name(o)}</option>)}</select></label>
              <label className="field">{t('strategy.code')}<input name="code" required /></label>
              <label className="field">{t('strategy.name_fr')}<input name="name_fr" required /></label>
              <label className="field">{t('strategy.name_en')}<input name="name_en" required /></label>
              <label className="field">{t('strategy.unit')}<select name="unit">{['count', 'percent', 'ratio', 'days', 'number'].map((u) => <option key={u} value={u}>{t(`strategy.units.${u}`)}</option>)}</select></label>
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
                <CheckGroup name="states" legend={t('strategy.states_filter')} value={chosen.states} onChange={choose('states')}
                  options={(ref.data?.states ?? []).map((st) => ({ value: st.code, label: placeName(ref.data, st.code, lang) }))} />
                <MultiSelect name="admin1" label={t('strategy.areas')} value={chosen.admin1} onChange={choose('admin1')}
                  options={areas.map((a) => ({ value: a.code, label: areaWithState(ref.data, a.code, lang) }))} />
                <MultiSelect name="event_types" label={t('strategy.event_types')} value={chosen.event_types} onChange={choose('event_types')}
                  options={EVENT_TYPES.map((e) => ({ value: e.slug, label: e.label[lang] }))} />
                <MultiSelect name="sub_event_types" label={t('strategy.sub_event_types')} value={chosen.sub_event_types} onChange={choose('sub_event_types')}
                  options={subTypes.map((st) => ({ value: st.slug, label: st.label[lang] }))} />
              </div>
            )}
            <div className="actions"><button type="submit">{t('strategy.add_indicator')}</button></div>
          </form>
        </>
      )}
    </details>
  );
}
