/** The files waiting with a report in the outbox: each one's state, and a refused one's reason with a way to drop it. */
import { VALIDATION_MESSAGES } from '@vigie/domain/messages';
import { useLang } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import type { OutboxItem } from './outbox-state';
import '../attachments/messages';
import './messages';

/** The server's reason, kept in the language of the moment it answered, shown in the reader's language now. */
function inLang(message: string, lang: 'fr' | 'en'): string {
  const known = Object.values(VALIDATION_MESSAGES).find((m) => m.fr === message || m.en === message);
  return known ? known[lang] : message;
}

export function ItemFiles({ item, onDiscard }: { item: OutboxItem; onDiscard: (fileId: string) => void }) {
  const { t, lang } = useLang();
  const files = item.files ?? [];
  if (!files.length) return null;
  const size = (b: number) => (b < 1024 * 1024 ? `${formatNumber(Math.max(1, Math.round(b / 1024)), lang)} ${t('attachments.units.KB')}` : `${formatNumber(b / 1024 / 1024, lang, 1)} ${t('attachments.units.MB')}`);
  return (
    <ul className="outbox-file-list" data-testid="outbox-item-files">
      {files.map((f) => (
        <li key={f.id} data-testid="outbox-file" data-state={f.state}>
          <span>{f.name} <span className="muted">({size(f.size)})</span></span>{' '}
          <span className={`badge outbox-${f.state === 'sent' ? 'sent' : f.state}`}>{t(`outbox.files.state.${f.state}`)}</span>
          {(f.state === 'rejected' || f.state === 'conflict') && (
            <div className="inbox-reason" data-testid="outbox-file-reason">
              {f.state === 'conflict' ? <p>{t('outbox.files.conflict')}</p>
                : <p><strong>{t('outbox.reason')}</strong>{t('common.sep')}{f.lastError?.fields?.map((e) => inLang(e.message, lang)).join(' ') || f.lastError?.message || t('outbox.server_error', { status: f.lastError?.status ?? '' })}</p>}
              <button type="button" className="link" onClick={() => { if (window.confirm(t('outbox.files.discard_confirm'))) onDiscard(f.id); }}>{t('outbox.files.discard')}</button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
