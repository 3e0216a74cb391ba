import { ApiError } from '../api/client';
import { useLang } from '../i18n';

/** An API or network error as a readable alert, with the server's field messages when there are some. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useLang();
  if (!error) return null;
  if (error instanceof ApiError) {
    return (
      <div role="alert" className="error">
        <strong>{error.problem.title}</strong>
        {error.problem.detail && !error.fieldErrors.length && <span> — {error.problem.detail}</span>}
        {error.fieldErrors.length > 0 && (
          <ul>{error.fieldErrors.map((f) => <li key={f.field}>{f.field}{t('common.sep')}{f.message}</li>)}</ul>
        )}
      </div>
    );
  }
  return <div role="alert" className="error">{error instanceof TypeError ? t('errors.network') : String((error as Error).message ?? error)}</div>;
}
