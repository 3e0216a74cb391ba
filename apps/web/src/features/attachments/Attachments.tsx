/**
 * The files of a record (photos, documents received with OpenRosa submissions) on the incident page, for whoever may
 * read the record: name, kind, size, a download link, and a thumbnail for photos. A photo larger than THUMB_MAX_BYTES
 * shows its thumbnail on request only: on a field post's link a page must not pull megabytes by itself.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiUrl, postFile } from '../../api/client';
import { getIncidentsIdAttachments } from '../../api/generated';
import { prefetchedOr } from '../../api/prefetch';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber, type Lang } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import './messages';

export interface Attachment {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  metadata_stripped: boolean;
  created_at: string;
  /** pending (being cleaned) and held (a format Vigie cannot clean) files are listed but not served. */
  clean_state?: 'pending' | 'clean' | 'held' | 'released';
}

export const THUMB_MAX_BYTES = 256 * 1024;
/** Raster images only: an SVG (or anything else a collector calls an image) is never drawn in Vigie's page. */
const RASTER = /^image\/(jpeg|png|webp|gif)$/;

export function kindOf(contentType: string): 'image' | 'pdf' | 'audio' | 'video' | 'document' | 'other' {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType === 'application/pdf') return 'pdf';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  if (/^(text\/|application\/(msword|vnd\.|rtf))/.test(contentType)) return 'document';
  return 'other';
}

/** 1,2 Mo / 1.2 MB: the unit of the reader's language. */
export function sizeText(bytes: number, lang: Lang, units: { B: string; KB: string; MB: string }): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} ${units.B}`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, lang, bytes < 10 * 1024 ? 1 : 0)} ${units.KB}`;
  return `${formatNumber(bytes / 1024 / 1024, lang, 1)} ${units.MB}`;
}

function Thumbnail({ href, file, size }: { href: string; file: Attachment; size: string }) {
  const { t } = useLang();
  const [asked, setAsked] = useState(false);
  if (!RASTER.test(file.content_type)) return null;
  if (file.size_bytes > THUMB_MAX_BYTES && !asked) {
    return <button type="button" className="attachment-preview" onClick={() => setAsked(true)}>{t('attachments.preview')} ({size})</button>;
  }
  return <img className="attachment-thumb" src={href} alt={t('attachments.photo_of', { name: file.file_name })} loading="lazy" width={160} height={120} />;
}

/** The types the server accepts (it checks the content itself; this only narrows the picker). */
const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf';

/** Attaching a file: the accepted formats said up front; a refusal shown with the server's reason, in the reader's language. */
function AttachForm({ incidentId, onAdded }: { incidentId: string; onAdded: () => void }) {
  const { t } = useLang();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true; name: string } | { ok: false; name: string; error: unknown } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      await postFile(`incidents/${incidentId}/attachments`, 'file', file);
      setOutcome({ ok: true, name: file.name });
      setFile(null);
      (e.target as HTMLFormElement).reset();
      onAdded();
    } catch (error) {
      setOutcome({ ok: false, name: file.name, error });
    } finally {
      setBusy(false);
    }
  }
  const reasons = outcome && !outcome.ok && outcome.error instanceof ApiError ? outcome.error.fieldErrors.map((f) => f.message) : [];
  return (
    <form className="attach-form" onSubmit={(e) => void submit(e)} data-testid="attach-form">
      <h3>{t('attachments.upload.title')}</h3>
      <label htmlFor={`attach-${incidentId}`}>{t('attachments.upload.label')}</label>
      <input id={`attach-${incidentId}`} type="file" accept={ACCEPT} aria-describedby={`attach-hint-${incidentId}`} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <p id={`attach-hint-${incidentId}`} className="muted">{t('attachments.upload.hint')}</p>
      <button type="submit" disabled={!file || busy}>{busy ? t('attachments.upload.sending') : t('attachments.upload.send')}</button>
      {outcome?.ok && <p role="status" className="notice">{t('attachments.upload.done', { name: outcome.name })}</p>}
      {outcome && !outcome.ok && (reasons.length
        ? <div role="alert" className="error" data-testid="attach-refused"><strong>{t('attachments.upload.refused', { name: outcome.name })}</strong><ul>{reasons.map((r) => <li key={r}>{r}</li>)}</ul></div>
        : <ErrorMessage error={outcome.error} />)}
    </form>
  );
}

/** A record's files; `canAdd` when the reader may attach more (its reporter on a draft, a reviewer of its state). */
export function Attachments({ incidentId, canAdd = false }: { incidentId: string; canAdd?: boolean }) {
  const { t, lang } = useLang();
  const files = useApi(`attachments-${incidentId}`, (s) => prefetchedOr(getIncidentsIdAttachments, { id: incidentId }, s));
  const items = files.data?.items ?? [];
  if (files.error) return <ErrorMessage error={files.error} />;
  const form = canAdd ? <AttachForm incidentId={incidentId} onAdded={() => files.reload()} /> : null;
  if (!items.length && !form) return null;
  const units = { B: t('attachments.units.B'), KB: t('attachments.units.KB'), MB: t('attachments.units.MB') };
  return (
    <section aria-labelledby="attachments-title" data-testid="attachments">
      <h2 id="attachments-title">{t('attachments.title')}{files.data && <> <span className="muted">({t('attachments.count', { count: items.length })})</span></>}</h2>
      {items.length > 0 && <ul className="attachments">
        {items.map((f) => {
          const href = apiUrl(`incidents/${incidentId}/attachments/${f.id}`);
          const size = sizeText(f.size_bytes, lang, units);
          const waiting = f.clean_state === 'pending' || f.clean_state === 'held';
          return (
            <li key={f.id} data-testid="attachment" data-state={f.clean_state}>
              {!waiting && <Thumbnail href={href} file={f} size={size} />}
              <div className="attachment-text">
                {waiting ? <strong>{f.file_name}</strong> : <a href={href} download={f.file_name} aria-label={t('attachments.download_named', { name: f.file_name })}>{f.file_name}</a>}
                <p className="muted">
                  {t(`attachments.kinds.${kindOf(f.content_type)}`)} · {size} · {t('attachments.received', { at: formatDateTime(f.created_at, lang) })}
                  {f.metadata_stripped && <> · {t('attachments.stripped')}</>}
                </p>
                {f.clean_state && f.clean_state !== 'clean' && <p className={f.clean_state === 'held' ? 'attachment-held' : 'muted'} data-testid="attachment-state">{t(`attachments.${f.clean_state}`)}</p>}
              </div>
            </li>
          );
        })}
      </ul>}
      {form}
    </section>
  );
}
