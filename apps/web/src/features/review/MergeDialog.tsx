import { useEffect, useId, useState } from 'react';
import { MERGE_FIELDS, type MergeChoices, type MergePreview } from '@vigie/domain/merge.schema';
import { ApiError } from '../../api/client';
import { postIncidentsIdMerge, postIncidentsIdMergePreview } from '../../api/generated';
import { loadReference } from '../../api/reference';
import type { Incident } from '../../api/types';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { fieldName, showMergeValue } from '../incidents/show-field';
import './messages';

type Choice = 'into' | 'this' | 'both';

/** The analyst's error in their words: a field error names the row of the comparison, not an API path. */
function MergeError({ error }: { error: unknown }) {
  const { t } = useLang();
  if (!(error instanceof ApiError) || !error.fieldErrors.length) return <ErrorMessage error={error} />;
  return (
    <div role="alert" className="error">
      <strong>{error.problem.title}</strong>
      <ul>{error.fieldErrors.map((f) => <li key={f.field}>{fieldName(t, f.field.replace(/^choices\./, ''))}{t('common.sep')}{f.message}</li>)}</ul>
    </div>
  );
}

/**
 * Merging one report into the incident it duplicates: both side by side, field by field, the analyst choosing each
 * value (tolls preset to the higher), a preview of the kept incident, and nothing written before "Confirm".
 */
export function MergeDialog({ report, intoId, onMerged, onCancel }: { report: Incident; intoId: string; onMerged(into: string): void; onCancel(): void }) {
  const { t, lang } = useLang();
  const titleId = useId();
  const ref = useApi('ref', () => loadReference());
  const [choices, setChoices] = useState<MergeChoices>({});
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(choices);

  useEffect(() => {
    let live = true;
    postIncidentsIdMergePreview({ id: report.id, body: { into: intoId, choices } }).then(
      (p) => { if (live) { setPreview(p); setError(null); } },
      (e: unknown) => { if (live) setError(e); },
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` names the choices
  }, [report.id, intoId, key]);

  const c = { t, lang, ref: ref.data };
  const chosen = (f: string): Choice => (choices[f as keyof MergeChoices] as Choice | undefined) ?? (preview?.fields.find((x) => x.field === f)?.choice as Choice) ?? 'into';
  const choose = (f: string, v: Choice) => setChoices((old) => ({ ...old, [f]: v }));

  async function confirm() {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      await postIncidentsIdMerge({ id: report.id, body: { into: intoId, version: preview.this.version, into_version: preview.into.version, choices, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
      onMerged(intoId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section role="dialog" aria-labelledby={titleId} className="card merge-dialog" data-testid="merge-dialog">
      <h3 id={titleId}>{t('review.merge_title')}</h3>
      <p className="muted">{t('review.merge_intro')}</p>
      <MergeError error={error} />
      {!preview ? <p role="status">{t('app.loading')}</p> : (
        <div className="table-wrap">
          <table className="merge-table">
            <thead><tr><th scope="col">{t('review.col_field')}</th><th scope="col">{t('review.col_this')}</th><th scope="col">{t('review.col_into')}</th><th scope="col">{t('review.col_result')}</th></tr></thead>
            <tbody>
              {preview.fields.map((f) => {
                const choosable = (MERGE_FIELDS as readonly string[]).includes(f.field);
                const name = fieldName(t, f.field);
                const cell = (side: 'this' | 'into') => {
                  const text = showMergeValue(c, f.field, f[side]);
                  const label = t(side === 'this' ? 'review.col_this' : 'review.col_into');
                  if (!choosable) return <td data-label={label}>{text}</td>;
                  return (
                    <td data-label={label}><label className="choice"><input type="radio" name={`${report.id}-${f.field}`} checked={chosen(f.field) === side} onChange={() => choose(f.field, side)} aria-label={`${name} — ${t(side === 'this' ? 'review.col_this' : 'review.col_into')}`} /> <span>{text}</span></label></td>
                  );
                };
                return (
                  <tr key={f.field} data-field={f.field}>
                    <th scope="row">{name}</th>
                    {cell('this')}
                    {cell('into')}
                    <td className="merge-result" data-label={t('review.col_result')}>
                      <output>{showMergeValue(c, f.field, f.result)}</output>
                      {f.field === 'narrative' && <label className="choice"><input type="radio" name={`${report.id}-narrative`} checked={chosen('narrative') === 'both'} onChange={() => choose('narrative', 'both')} /> {t('review.keep_both')}</label>}
                      {f.choice === 'union' && <span className="muted"> ({t('review.united')})</span>}
                      {f.choice === 'stricter' && <span className="muted"> ({t('review.stricter')})</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <label>{t('review.comment')}<textarea value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} /></label>
      <div className="actions">
        <button type="button" className="primary" disabled={!preview || busy} onClick={() => void confirm()}>{t('review.confirm')}</button>
        <button type="button" onClick={onCancel}>{t('review.cancel')}</button>
      </div>
    </section>
  );
}
