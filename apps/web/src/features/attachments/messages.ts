/** Strings of a record's files (photos and documents received with OpenRosa submissions), French first. */
export const fr = {
  title: 'Pièces jointes',
  count_one: '{{count}} fichier',
  count_other: '{{count}} fichiers',
  download: 'Télécharger',
  download_named: 'Télécharger « {{name}} »',
  preview: 'Afficher l’aperçu',
  photo_of: 'Photo « {{name}} »',
  stripped: 'métadonnées (GPS, appareil) retirées à la réception',
  received: 'reçu le {{at}}',
  kinds: { image: 'Image', pdf: 'Document PDF', audio: 'Enregistrement audio', video: 'Vidéo', document: 'Document', other: 'Fichier' },
  units: { B: 'o', KB: 'Ko', MB: 'Mo' },
};

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
  kinds: { image: 'Image', pdf: 'PDF document', audio: 'Audio recording', video: 'Video', document: 'Document', other: 'File' },
  units: { B: 'B', KB: 'KB', MB: 'MB' },
};
