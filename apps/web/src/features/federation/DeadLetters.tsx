import { useState } from 'react';
import type { DeadLetterView } from '@vigie/domain/federation.schema';
import { getFederationDeadLetters, postFederationDeadLettersIdDiscard, postFederationDeadLettersIdRetry } from '../../api/generated';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './messages';

/** Received messages that could not be applied, parked after bounded retries: the administrator retries or discards each. */
export function DeadLetters() {
  const { t, lang } = useLang();
  const letters = useApi('federation-dead-letters', (s) => getFederationDeadLetters({}, s));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const act = (d: DeadLetterView, verb: 'retry' | 'discard') => {
    setBusy(d.id);
    setError(null);
    setNote(null);
    (verb === 'retry' ? postFederationDeadLettersIdRetry : postFederationDeadLettersIdDiscard)({ id: d.id }).then((after) => {
      setNote(t(`federation.dead_${verb === 'discard' ? 'discarded' : after.status === 'applied' ? 'applied' : 'failed'}`, { subject: d.subject }));
      letters.reload();
    }, setError).finally(() => setBusy(null));
  };
  const items = letters.data?.items ?? [];
  return (
    <section aria-labelledby="federation-dead">
      <h2 id="federation-dead">{t('federation.dead_title')}</h2>
      <p className="muted">{t('federation.dead_intro')}</p>
      <ErrorMessage error={letters.error ?? error} />
      {note && <p role="status">{note}</p>}
      {!letters.data ? null : items.length === 0 ? <p data-testid="federation-dead-none">{t('federation.dead_none')}</p> : (
        <div className="table-wrap">
          <table data-testid="federation-dead-letters">
            <thead>
              <tr>
                <th scope="col">{t('federation.dead_col_subject')}</th><th scope="col">{t('federation.dead_col_actions')}</th>
                <th scope="col">{t('federation.dead_col_error')}</th><th scope="col">{t('federation.col_peer')}</th>
                <th scope="col">{t('federation.dead_col_attempts')}</th><th scope="col">{t('federation.dead_col_parked')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <th scope="row"><code>{d.subject}</code></th>
                  <td className="actions">
                    <button type="button" disabled={busy === d.id} onClick={() => act(d, 'retry')} aria-label={t('federation.dead_retry_label', { subject: d.subject })}>{t('federation.dead_retry')}</button>
                    <button type="button" disabled={busy === d.id} onClick={() => act(d, 'discard')} aria-label={t('federation.dead_discard_label', { subject: d.subject })}>{t('federation.dead_discard')}</button>
                  </td>
                  <td data-code={d.code}>
                    {t(`federation.dead_error.${d.code}`)}
                    <details><summary>{t('federation.dead_detail')}</summary><code className="muted">{d.error}</code></details>
                  </td>
                  <td>{d.origin_node ?? '—'}</td>
                  <td>{formatNumber(d.attempts, lang)}</td>
                  <td>{formatDateTime(d.parked_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
