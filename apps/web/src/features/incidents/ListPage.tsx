import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from '../../app/router';
import { EVENT_TYPES, taxonomyLabel, type SubEventType } from '@vigie/domain/taxonomy';
import { INCIDENT_STATUSES } from '@vigie/domain/classification';
import { getIncidents } from '../../api/generated';
import { prefetchedOr } from '../../api/prefetch';
import { loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate, formatNumber } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { CheckGroup, MultiSelect } from '../../ui/MultiSelect';
import { PlaceSearch } from '../../map/places/PlaceSearch';
import { listFilterFor } from '../../map/places/places';
import { ExportMenu } from './ExportMenu';
import { emptyFilters, filtersFromSearch, filtersToQuery, filtersToSearch, type IncidentFilterState } from './filters';

const SORTS = ['-occurred_start', 'occurred_start', '-updated_at', 'updated_at', '-fatalities_best'] as const;

/** The incident list: filters kept in the URL, sorting, cursor pagination. */
export function ListPage() {
  const { t, lang } = useLang();
  const [params, setParams] = useSearchParams();
  const applied = filtersFromSearch(params);
  const [draft, setDraft] = useState<IncidentFilterState>(applied);
  const key = params.toString();
  // The first page may already be on its way (boot.ts asks for it with "who am I").
  const page = useApi(key, (signal) => prefetchedOr(getIncidents, { query: filtersToQuery(applied) }, signal));
  const ref = useApi('ref', () => loadReference());

  const set = <K extends keyof IncidentFilterState>(k: K, v: IncidentFilterState[K]) => setDraft((d) => ({ ...d, [k]: v }));
  function apply(e: FormEvent) {
    e.preventDefault();
    setParams(filtersToSearch({ ...draft, cursor: undefined }));
  }
  const subTypes = EVENT_TYPES.filter((et) => !draft.event_types.length || draft.event_types.includes(et.slug)).flatMap((et): readonly SubEventType[] => et.subTypes);
  const areas = (ref.data?.admin_areas ?? []).filter((a) => a.level === 1 && (!draft.states.length || draft.states.includes(a.state)));
  const areas2 = (ref.data?.admin_areas ?? []).filter((a) => a.level === 2 && (draft.admin1.length ? draft.admin1.includes(a.parent_code ?? '') : !draft.states.length || draft.states.includes(a.state)));

  return (
    <section aria-labelledby="list-title">
      <div className="page-head"><h1 id="list-title">{t('incidents.title')}</h1><ExportMenu filters={applied} /></div>
      <details className="filters card" open={typeof window !== 'undefined' && window.innerWidth > 700}>
        <summary>{t('incidents.filters')}</summary>
        <form onSubmit={apply} className="filter-grid" aria-label={t('incidents.filters')}>
          <div className="field"><label htmlFor="f-q">{t('incidents.q')}</label>
            <input id="f-q" name="q" type="search" minLength={2} value={draft.q ?? ''} onChange={(e) => set('q', e.target.value)} aria-describedby="f-q-hint" />
            <span id="f-q-hint" className="hint">{t('incidents.q_hint')}</span></div>
          <PlaceSearch label={t('places.search')} hint={t('places.list_hint')} testId="list-place-search" onPick={(place) => {
            const next = { ...draft, admin1: [], admin2: [], ...listFilterFor(place), cursor: undefined };
            setDraft(next);
            setParams(filtersToSearch(next));
          }} />
          <div className="field"><label htmlFor="f-from">{t('common.from')}</label>
            <input id="f-from" name="from" type="date" value={draft.from ?? ''} onChange={(e) => set('from', e.target.value)} /></div>
          <div className="field"><label htmlFor="f-to">{t('common.to')}</label>
            <input id="f-to" name="to" type="date" value={draft.to ?? ''} onChange={(e) => set('to', e.target.value)} /></div>
          <div className="field"><label htmlFor="f-sort">{t('incidents.sort')}</label>
            <select id="f-sort" name="sort" value={draft.sort ?? '-occurred_start'} onChange={(e) => set('sort', e.target.value)}>
              {SORTS.map((s) => <option key={s} value={s}>{t(`incidents.sort_opts.${s}`)}</option>)}
            </select></div>
          <CheckGroup name="states" legend={t('incidents.states')} value={draft.states} onChange={(v) => set('states', v)}
            options={(ref.data?.states ?? []).map((s) => ({ value: s.code, label: lang === 'fr' ? s.name_fr : s.name_en }))} />
          <CheckGroup name="status" legend={t('incidents.status')} value={draft.status} onChange={(v) => set('status', v)}
            options={INCIDENT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          <MultiSelect name="event_types" label={t('incidents.event_types')} value={draft.event_types} onChange={(v) => set('event_types', v)}
            options={EVENT_TYPES.map((e) => ({ value: e.slug, label: e.label[lang] }))} />
          <MultiSelect name="sub_event_types" label={t('incidents.sub_event_types')} value={draft.sub_event_types} onChange={(v) => set('sub_event_types', v)}
            options={subTypes.map((s) => ({ value: s.slug, label: s.label[lang] }))} />
          <MultiSelect name="admin1" label={t('incidents.admin1')} value={draft.admin1} onChange={(v) => set('admin1', v)}
            options={areas.map((a) => ({ value: a.code, label: lang === 'fr' ? a.name_fr : a.name_en }))} />
          {areas2.length > 0 && (
            <MultiSelect name="admin2" label={t('incidents.admin2')} value={draft.admin2} onChange={(v) => set('admin2', v)}
              options={areas2.map((a) => ({ value: a.code, label: lang === 'fr' ? a.name_fr : a.name_en }))} />
          )}
          <MultiSelect name="actors" label={t('incidents.actors')} value={draft.actors} onChange={(v) => set('actors', v)}
            options={(ref.data?.actors ?? []).map((a) => ({ value: a.code, label: a.name }))} />
          <div className="actions">
            <button type="submit" className="primary">{t('common.apply')}</button>
            <button type="button" onClick={() => { setDraft(emptyFilters()); setParams(new URLSearchParams()); }}>{t('common.reset')}</button>
          </div>
        </form>
        <p className="hint">{t('incidents.share_hint')}</p>
      </details>
      <ErrorMessage error={page.error} />
      {page.loading && <p role="status">{t('app.loading')}</p>}
      {page.data && (
        <>
          <p role="status" className="muted">{t('incidents.count', { count: page.data.items.length })}</p>
          {page.data.items.length === 0 ? <p>{t('common.empty')}</p> : (
            <div className="table-wrap">
              <table className="incidents" data-testid="incident-table">
                <thead><tr>
                  <th scope="col">{t('incidents.col_date')}</th><th scope="col">{t('incidents.col_type')}</th><th scope="col">{t('incidents.col_place')}</th>
                  <th scope="col">{t('incidents.col_state')}</th><th scope="col">{t('incidents.col_status')}</th><th scope="col" className="num">{t('incidents.col_fat')}</th>
                </tr></thead>
                <tbody>
                  {page.data.items.map((i) => (
                    <tr key={i.id}>
                      <td><Link to={`/incidents/${i.id}`}>{formatDate(i.occurred_start, lang)}</Link></td>
                      <td>{taxonomyLabel(i.sub_event_type, lang)}</td>
                      <td>{i.place_name ?? placeName(ref.data, i.admin2_code ?? i.admin1_code, lang)}</td>
                      <td>{placeName(ref.data, i.reporting_state, lang)}</td>
                      <td><span className={`badge ${i.status}`}>{t(`status.${i.status}`)}</span></td>
                      <td className="num">{formatNumber(i.fatalities_best, lang)} ({formatNumber(i.civilian_fatalities, lang)})</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager" aria-label={t('common.pagination')}>
            {applied.cursor && <button type="button" onClick={() => setParams(filtersToSearch({ ...applied, cursor: undefined }))}>{t('common.first')}</button>}
            {page.data.next_cursor && <button type="button" onClick={() => setParams(filtersToSearch({ ...applied, cursor: page.data?.next_cursor ?? undefined }))}>{t('common.next')}</button>}
          </nav>
        </>
      )}
    </section>
  );
}
