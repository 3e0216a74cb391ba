/**
 * Photos and documents picked with a new report: they wait on the device with it (IndexedDB, outbox-state's
 * OutboxFile) and are sent after the server has confirmed the report, with or without a network now. A file that is
 * too large or of a kind the server refuses is said at once; the server still decides (it recognises the content).
 */
import { useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { useLang } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import type { OutboxFile } from './outbox-state';
import '../attachments/messages';
import './messages';

/** The most the server accepts per file. */
const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf';
const KNOWN = /^(image\/(jpeg|png|webp)|application\/pdf)$/;
const KNOWN_EXT = /\.(jpe?g|png|webp|pdf)$/i;

/** The picked files as outbox files (read once, each with its own UUIDv7). */
export async function toOutboxFiles(files: readonly File[]): Promise<OutboxFile[]> {
  return Promise.all(files.map(async (f) => ({ id: uuidv7(), name: f.name, type: f.type || 'application/octet-stream', size: f.size, data: await f.arrayBuffer(), state: 'queued' as const, lastError: null })));
}

export function OutboxFilesField({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t, lang } = useLang();
  const [refused, setRefused] = useState<string[]>([]);
  const size = (b: number) => (b < 1024 * 1024 ? `${formatNumber(Math.max(1, Math.round(b / 1024)), lang)} ${t('attachments.units.KB')}` : `${formatNumber(b / 1024 / 1024, lang, 1)} ${t('attachments.units.MB')}`);
  function pick(list: FileList | null) {
    const picked = [...(list ?? [])];
    const bad: string[] = [];
    const ok = picked.filter((f) => {
      if (f.size > MAX_BYTES) { bad.push(t('outbox.files.too_large', { name: f.name })); return false; }
      if (!KNOWN.test(f.type) && !KNOWN_EXT.test(f.name)) { bad.push(t('outbox.files.kind', { name: f.name })); return false; }
      return true;
    });
    setRefused(bad);
    onChange([...files, ...ok]);
  }
  return (
    <fieldset className="outbox-files" data-testid="outbox-files">
      <legend>{t('outbox.files.title')}</legend>
      {/* The browser's own file button speaks the browser's language: a button of the page's language instead. */}
      <label className="button">{t('outbox.files.label')}
        <input type="file" multiple accept={ACCEPT} className="sr-only" aria-describedby="report-files-hint" onChange={(e) => { pick(e.currentTarget.files); e.currentTarget.value = ''; }} data-testid="report-files" />
      </label>
      <p id="report-files-hint" className="hint">{t('outbox.files.hint')}</p>
      {refused.length > 0 && <div role="alert" className="error">{refused.map((r) => <p key={r}>{r}</p>)}</div>}
      {files.length > 0 && (
        <ul className="outbox-file-list" aria-live="polite">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span>{f.name} <span className="muted">({size(f.size)})</span></span>{' '}
              <button type="button" className="link" onClick={() => onChange(files.filter((_, j) => j !== i))} aria-label={t('outbox.files.remove_named', { name: f.name })}>{t('outbox.files.remove')}</button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
