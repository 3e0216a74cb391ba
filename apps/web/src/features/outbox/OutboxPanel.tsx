import { useEffect, useState, type ChangeEvent } from 'react';
import { Link } from '../../app/router';
import { PROBLEMS, type ProblemCode } from '@vigie/domain/problems';
import { useSession } from '../../app/session';
import { useLang } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { problemFieldLabel } from '../../ui/ErrorMessage';
import { loadReference } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { diffRecords } from '../incidents/diff';
import { fieldName, showField } from '../incidents/show-field';
import { v7 as uuidv7 } from 'uuid';
import { exportOutbox, itemsToImport, parseOutboxFile } from './outbox-file';
import type { OutboxError, OutboxItem } from './outbox-state';
import { addItems, putReport, removeFile, removeItem, sendOutbox, startOutbox } from './outbox-runner';
import { ItemFiles } from './ItemFiles';
import { useOutbox } from './use-outbox';
import './messages';

/** The last error as the reader's words: the problem's title in their language, else what kind of failure it was. */
function errorText(t: (k: string, o?: Record<string, unknown>) => string, lang: 'fr' | 'en', e: OutboxError): string {
  if (e.status === null) return t(e.code === 'timeout' ? 'outbox.timeout_error' : 'outbox.network_error');
  const known = PROBLEMS[e.code as ProblemCode];
  if (known) return known.title[lang];
  return t('outbox.server_error', { status: e.status });
}

function ItemCard({ item }: { item: OutboxItem }) {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  const show = { t, lang, ref: ref.data };
  const p = item.payload as { occurred_start?: string; place_name?: string | null; narrative?: string };
  const when = p.occurred_start ? formatDate(p.occurred_start, lang) : t('outbox.untitled');
  const diff = item.state === 'conflict' && item.server ? diffRecords(item.server, item.payload).filter((d) => d.field in item.payload && d.field !== 'status') : [];
  return (
    <li className={`card outbox-item ${item.state}`} data-testid="outbox-item" data-state={item.state}>
      <p className="report-head">
        <strong>{when}{p.place_name ? ` — ${p.place_name}` : ''}</strong>{' '}
        <span className={`badge outbox-${item.state}`}>{t(item.reportSent && item.state !== 'sent' && item.state !== 'draft' ? `outbox.files.item_state.${item.state}` : `outbox.state.${item.state}`)}</span>
      </p>
      {p.narrative && <p className="hint outbox-narrative">{p.narrative.slice(0, 140)}</p>}
      {item.reportSent && <p className="hint" data-testid="outbox-report-received">{t('outbox.files.report_received')}</p>}
      <ItemFiles item={item} onDiscard={(fileId) => void removeFile(item.id, fileId)} />
      {item.state === 'queued' && item.lastError && (
        <p className="hint">{t('outbox.attempts', { count: item.attempts })}{' · '}{t('outbox.last_error')}{t('common.sep')}{errorText(t, lang, item.lastError)}</p>
      )}
      {item.state === 'rejected' && item.lastError && !item.reportSent && (
        <div className="inbox-reason" data-testid="outbox-reason">
          <p><strong>{t('outbox.reason')}</strong>{t('common.sep')}{errorText(t, lang, item.lastError)}</p>
          {item.lastError.fields?.length ? <ul>{item.lastError.fields.map((f) => <li key={f.field}>{problemFieldLabel(t, f.field)}{t('common.sep')}{f.message}</li>)}</ul> : null}
        </div>
      )}
      {item.state === 'conflict' && !item.reportSent && (
        <div data-testid="outbox-conflict">
          <p>{item.server ? t('outbox.conflict_intro') : t('outbox.conflict_hidden')}</p>
          {diff.length > 0 && (
            <div className="table-wrap"><table>
              <thead><tr><th scope="col">{t('outbox.field')}</th><th scope="col">{t('outbox.server_value')}</th><th scope="col">{t('outbox.mine')}</th></tr></thead>
              <tbody>{diff.map((d) => <tr key={d.field}><th scope="row">{fieldName(t, d.field)}</th><td>{showField(show, d.field, d.before)}</td><td>{showField(show, d.field, d.after)}</td></tr>)}</tbody>
            </table></div>
          )}
        </div>
      )}
      <div className="actions">
        {!item.reportSent && (item.state === 'rejected' || item.state === 'draft') && <Link to={`/incidents/new?outbox=${item.id}`}>{t('outbox.edit')}</Link>}
        {item.state === 'conflict' && !item.reportSent && (
          <button type="button" onClick={() => void (async () => {
            const { id: _old, ...rest } = item.payload;
            // Its files go with it, under new ids (the old ones may be the other report's).
            await putReport(uuidv7(), rest, 'queued', (item.files ?? []).filter((f) => f.state !== 'sent').map((f) => ({ ...f, id: uuidv7(), state: 'queued', lastError: null })));
            await removeItem(item.id);
            await sendOutbox({ force: true });
          })()}>{t('outbox.send_as_new')}</button>
        )}
        {item.state === 'conflict' && !item.reportSent && <button type="button" onClick={() => void removeItem(item.id)}>{t('outbox.keep_server')}</button>}
        {!item.reportSent && (item.state === 'rejected' || item.state === 'draft') && (
          <button type="button" className="link" onClick={() => { if (window.confirm(t('outbox.discard_confirm'))) void removeItem(item.id); }}>{t('outbox.discard')}</button>
        )}
      </div>
    </li>
  );
}

/** "Sur cet appareil": the reports not yet received by the server, what happened to each, and the send-now button. */
export default function OutboxPanel() {
  const { t } = useLang();
  const { session } = useSession();
  const { items, loaded, counts, last } = useOutbox();
  const userId = session?.user.id;
  useEffect(() => { if (userId) startOutbox(userId); }, [userId]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const user = session?.user;
  if (!user || !loaded) return null;
  const unsent = items.filter((i) => i.state !== 'sent').sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  async function sendNow() {
    setBusy(true);
    setMessage(null);
    try {
      const res = await sendOutbox({ force: true });
      if (res?.sent) setMessage(t('outbox.sent', { count: res.sent }));
    } finally { setBusy(false); }
  }

  function download() {
    const file = exportOutbox(unsent, { id: user!.id, login: user!.login }, Date.now());
    const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `vigie-file-attente-${user!.login}-${new Date().toISOString().slice(0, 10)}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    try {
      const fresh = itemsToImport(parseOutboxFile(await f.text()), items, Date.now());
      await addItems(fresh);
      setMessage(t('outbox.imported', { count: fresh.length }));
      void sendOutbox({ force: true });
    } catch {
      setMessage(t('outbox.import_error'));
    }
  }

  return (
    <section aria-labelledby="outbox-title" className="outbox card" data-testid="outbox">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      <p className="hint">{t('outbox.intro')}</p>
      <p className="outbox-count" data-testid="outbox-count" role="status">
        {counts.pending ? t('outbox.pending', { count: counts.pending }) : t('outbox.pending_none')}
      </p>
      {counts.files > 0 && <p className="outbox-count" data-testid="outbox-files-count">{t('outbox.files.pending', { count: counts.files })}</p>}
      {counts.filesRefused > 0 && <p className="error" data-testid="outbox-files-refused">{t('outbox.files.refused', { count: counts.filesRefused })}</p>}
      {counts.rejected > 0 && <p className="error">{t('outbox.rejected', { count: counts.rejected })}</p>}
      {counts.conflict > 0 && <p className="error">{t('outbox.conflict', { count: counts.conflict })}</p>}
      {counts.draft > 0 && <p>{t('outbox.drafts', { count: counts.draft })}</p>}
      {last?.offline && counts.pending + counts.fileItems > 0 && <p className="notice">{t('outbox.offline')}</p>}
      {last?.unauthenticated && counts.pending > 0 && <p className="notice">{t('outbox.signed_out')}</p>}
      {message && <p className="notice" role="status">{message}</p>}
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !(counts.pending + counts.fileItems)} onClick={() => void sendNow()} data-testid="outbox-send">{busy ? t('outbox.sending') : t('outbox.send_now')}</button>
        <button type="button" disabled={!unsent.length} onClick={download} data-testid="outbox-export">{t('outbox.export')}</button>
        <label className="button">{t('outbox.import')}<input type="file" accept="application/json,.json" className="sr-only" onChange={(e) => void upload(e)} data-testid="outbox-import" /></label>
      </div>
      <p className="hint">{t('outbox.export_hint')}</p>
      {unsent.length > 0 && <ul className="report-list" data-testid="outbox-items">{unsent.map((i) => <ItemCard key={i.id} item={i} />)}</ul>}
    </section>
  );
}
