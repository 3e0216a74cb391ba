import { getFederationStatus } from '../../api/generated';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { DeadLetters } from './DeadLetters';
import './messages';

const LEVELS = ['public', 'restricted', 'confidential', 'secret'] as const;

/** Per peer: last sequence sent or received, lag, backlog, link state, last error; then the key registry. */
export function FederationPage() {
  const { t, lang } = useLang();
  const status = useApi('federation-status', (s) => getFederationStatus({}, s));
  const data = status.data;
  const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : formatNumber(n, lang));
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang) : '—');

  return (
    <section aria-labelledby="federation-title">
      <h1 id="federation-title">{t('federation.title')}</h1>
      <p className="muted">{t('federation.intro')}</p>
      <ErrorMessage error={status.error} />
      {!data ? (!status.error && <p role="status">{t('app.loading')}</p>) : !data.node ? (
        <p className="card" data-testid="federation-single">{t('federation.single')}</p>
      ) : (
        <>
          <dl className="card" data-testid="federation-node">
            <dt>{t('federation.node')}</dt><dd>{data.node}</dd>
            <dt>{t('federation.role')}</dt><dd>{data.role ? t(`federation.roles.${data.role}`) : '—'}</dd>
            <dt>{t('federation.ceiling')}</dt><dd>{data.ceiling === null ? t('federation.ceiling_none') : t(`classification.${LEVELS[data.ceiling] ?? 'secret'}`)}</dd>
          </dl>
          <h2>{t('federation.peers')}</h2>
          {data.peers.length === 0 ? <p>{t('federation.no_peers')}</p> : (
            <div className="table-wrap">
              <table data-testid="federation-peers">
                <thead>
                  <tr>
                    <th scope="col">{t('federation.col_peer')}</th><th scope="col">{t('federation.col_direction')}</th>
                    <th scope="col">{t('federation.col_link')}</th><th scope="col">{t('federation.col_seq')}</th>
                    <th scope="col">{t('federation.col_at')}</th><th scope="col">{t('federation.col_lag')}</th>
                    <th scope="col">{t('federation.col_backlog')}</th><th scope="col">{t('federation.col_objects')}</th>
                    <th scope="col">{t('federation.col_error')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.peers.map((p) => (
                    <tr key={`${p.peer}-${p.direction}`}>
                      <th scope="row">{p.peer}</th>
                      <td>{t(`federation.direction.${p.direction}`)}</td>
                      <td><span className={`badge${p.link === 'down' ? ' warn' : ''}`}>{t(`federation.link.${p.link}`)}</span></td>
                      <td>{num(p.last_seq)}</td>
                      <td>{when(p.last_at)}</td>
                      <td>{num(p.lag)}</td>
                      <td>{num(p.backlog)}</td>
                      <td>{num(p.objects)}</td>
                      <td>{p.last_error ? `${p.last_error} (${when(p.last_error_at)})` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{t('federation.keys')}</h2>
          {data.keys.length === 0 ? <p>{t('federation.no_keys')}</p> : (
            <div className="table-wrap">
              <table data-testid="federation-keys">
                <thead>
                  <tr>
                    <th scope="col">{t('federation.col_key_node')}</th><th scope="col">{t('federation.col_key')}</th>
                    <th scope="col">{t('federation.col_status')}</th><th scope="col">{t('federation.col_created')}</th>
                    <th scope="col">{t('federation.col_revoked')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.keys.map((k) => (
                    <tr key={`${k.node_id}-${k.key_id}`}>
                      <th scope="row">{k.node_id}</th>
                      <td><code>{k.key_id}</code></td>
                      <td>{t(`federation.key_status.${k.status === 'revoked' ? 'revoked' : 'active'}`)}</td>
                      <td>{when(k.created_at)}</td>
                      <td>{when(k.revoked_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <DeadLetters />
          <p className="hint">{t('federation.cli_hint')}</p>
        </>
      )}
    </section>
  );
}
