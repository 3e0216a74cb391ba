import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from '../../app/router';
import { CLASSIFICATIONS, CONFEDERATION_ORG } from '@vigie/domain/classification';
import type { SitrepHead } from '@vigie/domain/sitrep.schema';
import { getSitreps, postSitreps, type PostSitrepsBody } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { lastFullMonth, lastFullWeek, sitrepPeriodLabel } from './sitrep-format';
import './sitreps.css';
import './messages';

/** The archive of situation reports the reader may open, its search, and (for analysts) the generate form. */
export function SitrepsPage() {
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const navigate = useNavigate();
  const [filter, setFilter] = useState({ q: '', period: '', audience: '' });
  const list = useApi(`sitreps-${JSON.stringify(filter)}`, (s) => getSitreps({ query: { q: filter.q || undefined, period: filter.period || undefined, audience: filter.audience || undefined } }, s));
  const ref = useApi('ref', () => loadReference());
  const [kind, setKind] = useState<'week' | 'month'>('week');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const org = session?.user.organisation ?? CONFEDERATION_ORG;
  const audienceName = (code: string) => (code === CONFEDERATION_ORG && ref.data ? ref.data.alliance[lang === 'fr' ? 'name_fr' : 'name_en'] : placeName(ref.data, code, lang));

  function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setFilter({ q: String(f.get('q') ?? '').trim(), period: String(f.get('period') ?? '').trim(), audience: String(f.get('audience') ?? '') });
  }
  async function generate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const r = await postSitreps({ body: { kind, period: String(f.get('period') ?? ''), audience: String(f.get('audience') ?? CONFEDERATION_ORG), ceiling: String(f.get('ceiling') ?? 'restricted') as PostSitrepsBody['ceiling'] } });
      navigate(`/sitreps/${r.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }
  const title = (r: SitrepHead) => sitrepPeriodLabel(r, t, lang);

  return (
    <section aria-labelledby="sitreps-title" className="sitreps">
      <h1 id="sitreps-title">{t('sitreps.title')}</h1>
      <p className="hint">{t('sitreps.intro')}</p>
      <form className="toolbar sitrep-search" role="search" onSubmit={search}>
        <label className="field">{t('sitreps.search_words')}<input name="q" type="search" defaultValue={filter.q} maxLength={200} /></label>
        <label className="field">{t('sitreps.search_period')}<input name="period" defaultValue={filter.period} maxLength={8} /></label>
        <label className="field">{t('sitreps.audience_field')}
          <select name="audience" defaultValue={filter.audience}>
            <option value="">{t('sitreps.any')}</option>
            <option value={CONFEDERATION_ORG}>{audienceName(CONFEDERATION_ORG)}</option>
            {org !== CONFEDERATION_ORG && <option value={org}>{placeName(ref.data, org, lang)}</option>}
          </select>
        </label>
        <button type="submit">{t('sitreps.search')}</button>
      </form>
      <ErrorMessage error={list.error} />
      {!list.data ? <p role="status">{t('app.loading')}</p> : list.data.items.length === 0 ? <p>{t('sitreps.none')}</p> : (
        <>
          <p className="hint" data-testid="sitrep-count">{t('sitreps.count', { count: list.data.items.length })}</p>
          <ul className="sitrep-list" data-testid="sitrep-list">
            {list.data.items.map((r) => (
              <li key={r.id} className="card">
                <h2><Link to={`/sitreps/${r.id}`}>{title(r)}</Link> <span className="badge">{t(r.kind === 'week' ? 'sitreps.weekly' : 'sitreps.monthly')}</span></h2>
                <p>{lang === 'fr' ? r.headline_fr : r.headline_en}</p>
                <p className="hint">{t('sitreps.for', { audience: audienceName(r.audience), ceiling: t(`classification.${r.ceiling}`) })} · {t('sitreps.as_of', { date: formatDateTime(r.as_of, lang) })} · {r.created_by ? t('sitreps.by', { login: r.created_by }) : t('sitreps.by_schedule')}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      {can('sitrep.generate') && (
        <form className="card sitrep-generate" onSubmit={(e) => void generate(e)} aria-labelledby="sitrep-generate">
          <h2 id="sitrep-generate">{t('sitreps.generate')}</h2>
          <ErrorMessage error={error} />
          <label className="field">{t('sitreps.kind_field')}
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'week' | 'month')}>
              <option value="week">{t('sitreps.weekly')}</option>
              <option value="month">{t('sitreps.monthly')}</option>
            </select>
          </label>
          <label className="field">{t('sitreps.period_field')}<input key={kind} name="period" required defaultValue={kind === 'week' ? lastFullWeek(new Date()) : lastFullMonth(new Date())} maxLength={8} /></label>
          <label className="field">{t('sitreps.audience_field')}
            <select name="audience" defaultValue={CONFEDERATION_ORG}>
              <option value={CONFEDERATION_ORG}>{audienceName(CONFEDERATION_ORG)}</option>
              {org !== CONFEDERATION_ORG && <option value={org}>{placeName(ref.data, org, lang)}</option>}
            </select>
          </label>
          <label className="field">{t('sitreps.ceiling_field')}
            <select name="ceiling" defaultValue="restricted">
              {CLASSIFICATIONS.filter((_, i) => i <= (session?.user.clearance ?? 0)).map((c) => <option key={c} value={c}>{t(`classification.${c}`)}</option>)}
            </select>
          </label>
          <button type="submit" disabled={busy}>{busy ? t('sitreps.generating') : t('sitreps.generate_button')}</button>
        </form>
      )}
    </section>
  );
}
