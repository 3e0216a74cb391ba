import { useState } from 'react';
import { Link, useSearchParams } from '../../app/router';
import type { AuditEvent, AuditPage as AuditPageData } from '@vigie/domain/audit.schema';
import { getAudit } from '../../api/generated';
import { loadReference, orgName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { actionCodes, fr } from './messages';
import './audit.css';

const FILTERS = ['user', 'object_type', 'object_id', 'action', 'from', 'to'] as const;
const LEVELS = ['public', 'restricted', 'confidential', 'secret'] as const;
const ACTIONS = actionCodes();
const TYPES = Object.keys(fr.types);

/** The end of an id: time-ordered UUIDs (v7) share their first characters, their last ones tell records apart. */
export const shortId = (id: string): string => (id.length > 12 ? `…${id.slice(-8)}` : id);

/** The page of a record named in the trail, where the web app has one. */
export function recordPath(type: string | null, id: string | null): string | null {
  if (!type || !id) return null;
  switch (type) {
    case 'incident': return `/incidents/${id}`;
    case 'alert': return `/alerts/${id}`;
    case 'meeting': return `/coordination/meetings/${id}`;
    case 'strategy_indicator': return `/strategy/indicators/${id}`;
    case 'evaluation': return `/strategy/evaluations/${id}`;
    default: return null;
  }
}

/** The audit trail for reviewers: filters by user, record, action and period, newest first, older pages on demand. */
export function AuditPage() {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const key = `audit-${FILTERS.map((f) => filters[f]).join('|')}`;
  const [more, setMore] = useState<{ key: string; items: AuditEvent[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const first = useApi(key, (s) => getAudit({ query: { ...filters, limit: 50 } }, s));
  const extra = more?.key === key ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : first.data?.next_cursor ?? null;
  const actionName = (code: string) => t(`audit.actions.${code}`, { defaultValue: t('audit.other_action') });
  const typeName = (type: string | null) => (type ? t(`audit.types.${type}`, { defaultValue: t('audit.col_record') }) : '');

  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('audit.intro')}</p>
      <form
        className="dash-filters"
        aria-label={t('audit.title')}
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const q = new URLSearchParams();
          for (const name of FILTERS) {
            const v = String(f.get(name) ?? '').trim();
            if (v) q.set(name, v);
          }
          setParams(q);
        }}
      >
        <label className="field">{t('audit.filter_user')}<input name="user" defaultValue={filters.user} key={`u${filters.user}`} maxLength={120} autoComplete="off" /></label>
        <label className="field">{t('audit.filter_type')}
          <select name="object_type" defaultValue={filters.object_type} key={`t${filters.object_type}`}>
            <option value="">{t('audit.all')}</option>{TYPES.map((c) => <option key={c} value={c}>{typeName(c)}</option>)}
          </select>
        </label>
        <label className="field">{t('audit.filter_record')}<input name="object_id" defaultValue={filters.object_id} key={`o${filters.object_id}`} maxLength={200} autoComplete="off" /></label>
        <label className="field">{t('audit.filter_action')}
          <select name="action" defaultValue={filters.action} key={`a${filters.action}`}>
            <option value="">{t('audit.all')}</option>{ACTIONS.map((c) => <option key={c} value={c}>{actionName(c)}</option>)}
          </select>
        </label>
        <label className="field">{t('audit.filter_from')}<input type="date" name="from" defaultValue={filters.from} key={`f${filters.from}`} /></label>
        <label className="field">{t('audit.filter_to')}<input type="date" name="to" defaultValue={filters.to} key={`e${filters.to}`} /></label>
        <div className="actions">
          <button type="submit">{t('audit.apply')}</button>
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>{t('audit.reset')}</button>
        </div>
      </form>
      <ErrorMessage error={first.error ?? moreError} />
      {first.loading && !items.length ? <p role="status">{t('app.loading')}</p> : !items.length ? <p className="muted">{t('audit.none')}</p> : (
        <div className="table-wrap">
          <table data-testid="audit-table" className="audit-table">
            <thead><tr>
              <th scope="col">{t('audit.col_at')}</th><th scope="col">{t('audit.col_user')}</th><th scope="col">{t('audit.col_action')}</th>
              <th scope="col">{t('audit.col_record')}</th><th scope="col">{t('audit.col_level')}</th>
            </tr></thead>
            <tbody>
              {items.map((e) => {
                const path = recordPath(e.object_type, e.object_id);
                return (
                  <tr key={e.seq}>
                    <td data-label={t('audit.col_at')}>{formatDateTime(e.at, lang)}</td>
                    <td data-label={t('audit.col_user')}>{e.login ? <>{e.login}{e.organisation ? <span className="muted"> · {orgName(ref.data, e.organisation, lang)}</span> : null}</> : t('audit.system')}</td>
                    <td data-label={t('audit.col_action')}>{actionName(e.action)}</td>
                    <td data-label={t('audit.col_record')}>
                      {typeName(e.object_type)}
                      {e.object_id && <>
                        {' '}{path ? <Link to={path} title={e.object_id}><code>{shortId(e.object_id)}</code></Link> : <code title={e.object_id}>{shortId(e.object_id)}</code>}
                        {' '}<Link to={`/audit?${new URLSearchParams({ object_type: e.object_type ?? '', object_id: e.object_id }).toString()}`} title={t('audit.show_record')} aria-label={`${t('audit.show_record')} ${e.object_id}`}>⌕</Link>
                      </>}
                    </td>
                    <td data-label={t('audit.col_level')}>{t(`classification.${LEVELS[e.classification_level] ?? 'secret'}`)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setMoreError(null);
              getAudit({ query: { ...filters, limit: 50, cursor: next } }).then(
                (p) => setMore({ key, items: [...(extra?.items ?? []), ...p.items], next: p.next_cursor }),
                setMoreError,
              );
            }}
          >{t('audit.more')}</button>
        </div>
      )}
    </section>
  );
}
