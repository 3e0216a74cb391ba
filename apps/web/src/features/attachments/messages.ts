import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of a record's files (photos and documents received with OpenRosa submissions or attached on the page), French first. */
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
  pending: 'En cours de nettoyage des métadonnées : téléchargeable dans quelques minutes',
  held: 'Retenu : reçu avant le nettoyage des métadonnées, dans un format que Vigie ne sait pas nettoyer ; conservé comme preuve, non téléchargeable tant qu’un administrateur n’a pas décidé',
  released: 'Libéré par un administrateur : servi tel quel, métadonnées comprises',
  kinds: { image: 'Image', pdf: 'Document PDF', audio: 'Enregistrement audio', video: 'Vidéo', document: 'Document', other: 'Fichier' },
  units: { B: 'o', KB: 'Ko', MB: 'Mo' },
  upload: {
    title: 'Joindre un fichier',
    label: 'Photo ou document',
    hint: 'Photos JPEG, PNG ou WebP, documents PDF ; 10 Mo au plus. La position GPS, l’appareil et l’auteur sont retirés avant l’enregistrement. Les photos HEIC, les vidéos et les documents bureautiques sont refusés.',
    send: 'Joindre',
    sending: 'Envoi…',
    done: 'Fichier « {{name}} » joint, métadonnées retirées.',
    refused: 'Fichier « {{name}} » refusé',
  },
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('attachments', fr);
