/**
 * The files of a record (photos, documents received with OpenRosa submissions) on the incident page, for whoever may
 * read the record: name, kind, size, a download link, and a thumbnail for photos. A photo larger than THUMB_MAX_BYTES
 * shows its thumbnail on request only: on a field post's link a page must not pull megabytes by itself.
 */
import { useState } from 'react';
import { apiUrl } from '../../api/client';
import { getIncidentsIdAttachments } from '../../api/generated';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime, formatNumber, type Lang } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';

export interface Attachment {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  metadata_stripped: boolean;
  created_at: string;
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

export function Attachments({ incidentId }: { incidentId: string }) {
  const { t, lang } = useLang();
  const files = useApi(`attachments-${incidentId}`, (s) => getIncidentsIdAttachments({ id: incidentId }, s));
  const items = files.data?.items ?? [];
  if (files.error) return <ErrorMessage error={files.error} />;
  if (!items.length) return null;
  const units = { B: t('attachments.units.B'), KB: t('attachments.units.KB'), MB: t('attachments.units.MB') };
  return (
    <section aria-labelledby="attachments-title" data-testid="attachments">
      <h2 id="attachments-title">{t('attachments.title')} <span className="muted">({t('attachments.count', { count: items.length })})</span></h2>
      <ul className="attachments">
        {items.map((f) => {
          const href = apiUrl(`incidents/${incidentId}/attachments/${f.id}`);
          const size = sizeText(f.size_bytes, lang, units);
          return (
            <li key={f.id} data-testid="attachment">
              <Thumbnail href={href} file={f} size={size} />
              <div className="attachment-text">
                <a href={href} download={f.file_name} aria-label={t('attachments.download_named', { name: f.file_name })}>{f.file_name}</a>
                <p className="muted">
                  {t(`attachments.kinds.${kindOf(f.content_type)}`)} · {size} · {t('attachments.received', { at: formatDateTime(f.created_at, lang) })}
                  {f.metadata_stripped && <> · {t('attachments.stripped')}</>}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
