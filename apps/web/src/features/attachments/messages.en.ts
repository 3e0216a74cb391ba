import type { fr } from './messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof fr = {
  title: 'Attachments',
  count_one: '{{count}} file',
  count_other: '{{count}} files',
  download: 'Download',
  download_named: 'Download “{{name}}”',
  preview: 'Show preview',
  photo_of: 'Photo “{{name}}”',
  stripped: 'metadata (GPS, device) removed on receipt',
  received: 'received {{at}}',
  pending: 'Being cleaned of its metadata: downloadable in a few minutes',
  held: 'Held: received before metadata cleaning, in a format Vigie cannot clean; kept as evidence, not downloadable until an administrator decides',
  released: 'Released by an administrator: served as it is, metadata included',
  kinds: { image: 'Image', pdf: 'PDF document', audio: 'Audio recording', video: 'Video', document: 'Document', other: 'File' },
  units: { B: 'B', KB: 'KB', MB: 'MB' },
  upload: {
    title: 'Attach a file',
    label: 'Photo or document',
    hint: 'JPEG, PNG or WebP photos, PDF documents; 10 MB at most. The GPS position, device and author are removed before it is stored. HEIC photos, videos and office documents are refused.',
    send: 'Attach',
    sending: 'Sending…',
    done: 'File “{{name}}” attached, metadata removed.',
    refused: 'File “{{name}}” refused',
  },
};
