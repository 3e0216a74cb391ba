import { useState } from 'react';
import { Link, useSearchParams } from '../../app/router';
import { EVENT_TYPES, taxonomyLabel } from '@vigie/domain/taxonomy';
import { deleteIncidentsIdAssign, getIncidents, getIncidentsIdDuplicates, postIncidentsIdAssign, postIncidentsIdUnmerge, postIncidentsIdValidate } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import type { Incident } from '../../api/types';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber, formatPercent } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { MergeDialog } from './MergeDialog';
import './messages';

const SORTS = ['occurred_start', '-occurred_start', 'updated_at', '-updated_at', '-fatalities_best'] as const;
const PAGE_SIZE = 25;

function Summary({ i, title }: { i: Incident; title: string }) {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  return (
    <div className="card compare-col">
      <h3>{title}</h3>
      <dl className="details">
        <div><dt>{t('incidents.col_date')}</dt><dd>{formatDateTime(i.occurred_start, lang)}</dd></div>
        <div><dt>{t('incidents.col_type')}</dt><dd>{taxonomyLabel(i.sub_event_type, lang)}</dd></div>
        <div><dt>{t('incidents.col_place')}</dt><dd>{i.place_name ?? placeName(ref.data, i.admin1_code, lang)}</dd></div>
        <div><dt>{t('incidents.col_status')}</dt><dd>{t(`status.${i.status}`)}</dd></div>
        <div><dt>{t('measures.fatalities')}</dt><dd>{formatNumber(i.fatalities_best, lang)} ({t('measures.civilian_fatalities')}{t('common.sep')}{formatNumber(i.civilian_fatalities, lang)})</dd></div>
        <div><dt>{t('measures.abducted')}</dt><dd>{formatNumber(i.abducted, lang)}</dd></div>
        <div><dt>{t('form.narrative')}</dt><dd>{i.narrative}</dd></div>
      </dl>
      <Link to={`/incidents/${i.id}`}>{t('review.open')}</Link>
    </div>
  );
}

/** Likely duplicates of one report, side by side with why each was proposed; merging goes through the comparison. */
function Duplicates({ report, onMerged }: { report: Incident; onMerged(into: string): void }) {
  const { t, lang } = useLang();
  const dups = useApi(`dups-${report.id}`, (s) => getIncidentsIdDuplicates({ id: report.id }, s));
  const [comparing, setComparing] = useState<string | null>(null);
  if (dups.loading) return <p role="status">{t('app.loading')}</p>;
  if (dups.error) return <ErrorMessage error={dups.error} />;
  const items = dups.data?.items ?? [];
  if (!items.length) return <p className="muted">{t('review.no_duplicates')}</p>;
  return (
    <div>
      {items.map((d) => (
        <div key={d.incident.id} className="duplicate">
          <div className="compare">
            <Summary i={report} title={t('review.this_report')} />
            <Summary i={d.incident} title={`${t('review.candidate')} — ${t('review.distance', { km: formatNumber(d.distance_km, lang, 1), days: formatNumber(d.days_apart, lang, 1), count: d.days_apart })}`} />
          </div>
          <p className="why" data-testid="duplicate-why">
            <strong>{t('review.likelihood', { pct: formatPercent(d.score, lang) })}</strong> — {t('review.why')} {d.reasons.map((r) => t(`review.reasons.${r}`)).join(', ')}
          </p>
          {comparing === d.incident.id
            ? <MergeDialog report={report} intoId={d.incident.id} onMerged={onMerged} onCancel={() => setComparing(null)} />
            : <button type="button" onClick={() => setComparing(d.incident.id)}>{t('review.compare_merge')}</button>}
        </div>
      ))}
    </div>
  );
}

/** The analysts' review queue: submitted reports of their state, counted, sorted, filtered and paged; "take it", duplicates, merge and validation. */
export function ReviewPage() {
  const { t, lang } = useLang();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const sort = (SORTS as readonly string[]).includes(params.get('sort') ?? '') ? params.get('sort')! : 'occurred_start';
  const sub = params.get('sub') ?? '';
  const taken = params.get('taken') ?? '';
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [cursors, setCursors] = useState<string[]>([]);
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [merged, setMerged] = useState<{ id: string; into: string } | null>(null);
  const [undone, setUndone] = useState(false);
  const cursor = cursors.at(-1);
  const query = {
    status: 'submitted', sort, limit: PAGE_SIZE, with_total: 'true',
    ...(sub ? { sub_event_types: sub } : {}), ...(taken ? { assigned_to: taken } : {}), ...(q.length >= 2 ? { q } : {}), ...(cursor ? { cursor } : {}),
  };
  const queue = useApi(`queue-${JSON.stringify(query)}-${tick}`, (s) => getIncidents({ query }, s));
  const ref = useApi('ref', () => loadReference());
  const me = session?.user.id;
  const refresh = () => setTick((n) => n + 1);
  const run = (p: Promise<unknown>) => p.then(refresh, (e: unknown) => { setError(e); refresh(); });
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
    setCursors([]);
  };
  const total = queue.data?.total ?? 0;
  const first = cursors.length * PAGE_SIZE;
  const shown = queue.data?.items.length ?? 0;

  async function undo(id: string) {
    try {
      await postIncidentsIdUnmerge({ id, body: {} });
      setMerged(null);
      setUndone(true);
      refresh();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <p className="muted">{t('review.intro')}</p>
      <form className="card grid queue-filters" role="search" onSubmit={(e) => { e.preventDefault(); setFilter('q', text.trim()); }}>
        <label>{t('review.sort')}
          <select value={sort} onChange={(e) => setFilter('sort', e.target.value)}>
            {SORTS.map((s) => <option key={s} value={s}>{t(`review.sort_opts.${s}`)}</option>)}
          </select>
        </label>
        <label>{t('review.filter_type')}
          <select value={sub} onChange={(e) => setFilter('sub', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {EVENT_TYPES.map((et) => (
              <optgroup key={et.slug} label={et.label[lang]}>
                {[...et.subTypes].sort((a, b) => a.label[lang].localeCompare(b.label[lang], lang)).map((s) => <option key={s.slug} value={s.slug}>{s.label[lang]}</option>)}
              </optgroup>
            ))}
          </select>
        </label>
        <label>{t('review.filter_taken')}
          <select value={taken} onChange={(e) => setFilter('taken', e.target.value)}>
            <option value="">{t('review.taken_all')}</option>
            <option value="me">{t('review.taken_me')}</option>
            <option value="none">{t('review.taken_none')}</option>
          </select>
        </label>
        <label>{t('review.filter_q')}<input type="search" value={text} onChange={(e) => setText(e.target.value)} onBlur={() => setFilter('q', text.trim())} /></label>
        <button type="submit">{t('common.apply')}</button>
      </form>
      {merged && (
        <p role="status" className="notice">
          {t('review.merged_notice')} <Link to={`/incidents/${merged.into}`}>{t('review.open_kept')}</Link>{' '}
          <button type="button" onClick={() => void undo(merged.id)}>{t('review.undo')}</button>
        </p>
      )}
      {undone && <p role="status" className="notice">{t('review.undone_notice')}</p>}
      <ErrorMessage error={error ?? queue.error} />
      {queue.data && <p data-testid="review-total"><strong>{t('review.total', { count: total })}</strong>{total > 0 && <> — {t('review.range', { from: formatNumber(first + 1, lang), to: formatNumber(first + shown, lang), total: formatNumber(total, lang) })}</>}</p>}
      <ul className="queue" data-testid="review-queue">
        {queue.data?.items.map((i) => {
          const mine = i.assigned_to === me;
          return (
            <li key={i.id} className="card">
              <div className="queue-head">
                <Link to={`/incidents/${i.id}`}><strong>{taxonomyLabel(i.sub_event_type, lang)}</strong> — {i.place_name ?? placeName(ref.data, i.admin1_code, lang)}</Link>
                <span className="muted">{formatDateTime(i.occurred_start, lang)} · {t('measures.fatalities')}{t('common.sep')}{formatNumber(i.fatalities_best, lang)} ({t('measures.civilian_fatalities')}{t('common.sep')}{formatNumber(i.civilian_fatalities, lang)}){i.abducted > 0 && <> · {t('measures.abducted')}{t('common.sep')}{formatNumber(i.abducted, lang)}</>}</span>
                <span className={`badge ${i.assigned_to ? (mine ? 'mine' : 'taken') : 'free'}`}>
                  {i.assigned_to ? (mine ? t('review.taken_by_me') : t('review.taken_by_other')) : t('review.free')}
                </span>
              </div>
              <div className="actions">
                {!i.assigned_to && <button type="button" onClick={() => void run(postIncidentsIdAssign({ id: i.id }))}>{t('review.take')}</button>}
                {mine && <button type="button" onClick={() => void run(deleteIncidentsIdAssign({ id: i.id }))}>{t('review.release')}</button>}
                {(!i.assigned_to || mine) && <button type="button" className="primary" onClick={() => void run(postIncidentsIdValidate({ id: i.id, body: { version: i.version } }))}>{t('review.validate')}</button>}
                <button type="button" aria-expanded={open === i.id} onClick={() => setOpen(open === i.id ? null : i.id)}>{t('review.duplicates')}</button>
              </div>
              {open === i.id && <Duplicates report={i} onMerged={(into) => { setMerged({ id: i.id, into }); setUndone(false); setOpen(null); refresh(); }} />}
            </li>
          );
        })}
      </ul>
      <nav className="pager" aria-label={t('review.range', { from: first + 1, to: first + shown, total })}>
        <button type="button" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>{t('review.previous')}</button>
        <button type="button" disabled={!queue.data?.next_cursor} onClick={() => { const n = queue.data?.next_cursor; if (n) setCursors((c) => [...c, n]); }}>{t('review.next')}</button>
      </nav>
    </section>
  );
}
