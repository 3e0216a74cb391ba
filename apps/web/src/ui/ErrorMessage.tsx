import { ApiError } from '../api/client';
import { useLang } from '../i18n';

/**
 * A field path of a problem (« sources.0.source_name », « latitude », « (body) ») as the reader knows it: the form's
 * label when the catalogue has one, the request as a whole for « (body) », else the path itself.
 */
export function problemFieldLabel(t: (k: string) => string, field: string): string {
  if (field.startsWith('(')) return t('errors.request');
  const parts = field.split('.').filter((p) => !/^\d+$/.test(p));
  for (const key of [`form.${parts.join('_')}`, `form.${parts[parts.length - 1] ?? ''}`]) {
    const label = t(key);
    if (label !== key) return label;
  }
  return field;
}

/** An API or network error as a readable alert, with the server's field messages when there are some. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useLang();
  if (!error) return null;
  if (error instanceof ApiError) {
    // A 404's detail is the server's note for developers (« no incident … », in one language): the reader gets the
    // catalogue's sentence, which also says no more than « missing or not yours » about a record they may not see.
    const detail = error.status === 404 ? t('errors.missing') : error.problem.detail;
    return (
      <div role="alert" className="error">
        <strong>{error.problem.title}</strong>
        {detail && !error.fieldErrors.length && <span> — {detail}</span>}
        {error.fieldErrors.length > 0 && (
          <ul>{error.fieldErrors.map((f) => <li key={f.field}>{problemFieldLabel(t, f.field)}{t('common.sep')}{f.message}</li>)}</ul>
        )}
      </div>
    );
  }
  return <div role="alert" className="error">{error instanceof TypeError ? t('errors.network') : String((error as Error).message ?? error)}</div>;
}
