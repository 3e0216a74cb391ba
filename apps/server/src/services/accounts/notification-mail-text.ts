/**
 * The text of a notification e-mail, in the recipient's language. With `detail: 'link'` (content classified above the
 * mail ceiling, or a reader who may no longer see the object) it says only what kind of notification waits and where:
 * no title, no reason, no place, no date.
 */
type Lang = 'fr' | 'en';

const KIND_LABELS: Record<string, Record<Lang, string>> = {
  action_assigned: { fr: 'Une action est confiée à votre État', en: 'An action was assigned to your state' },
  incident_rejected: { fr: 'Votre signalement a été rejeté', en: 'Your report was rejected' },
  incident_returned: { fr: 'Votre signalement vous est renvoyé pour complément', en: 'Your report was returned to you' },
  alert_issued: { fr: 'Alerte concernant votre État', en: 'Alert concerning your state' },
  value_returned: { fr: 'Une valeur d’indicateur vous est renvoyée', en: 'An indicator value was returned to you' },
  action_due: { fr: 'Une action arrive à échéance', en: 'An action is due soon' },
  action_overdue: { fr: 'Une action est en retard', en: 'An action is overdue' },
};
const SITREP: Record<Lang, string> = { fr: 'Nouveau rapport de situation', en: 'New situation report' };
const OTHER: Record<Lang, string> = { fr: 'Nouvelle notification', en: 'New notification' };

export function kindLabel(kind: string, lang: Lang): string {
  return KIND_LABELS[kind]?.[lang] ?? (kind.startsWith('sitrep') ? SITREP[lang] : OTHER[lang]);
}

export interface MailInput {
  kind: string;
  lang: Lang;
  /** Where the recipient reads it in Vigie (their inbox). */
  link: string;
  detail: 'full' | 'link';
  subject?: string | null;
  reason?: string | null;
  date?: string | null;
}

const T = {
  fr: { about: 'Objet', reason: 'Motif', date: 'Date', open: 'Pour la lire, ouvrez Vigie', withheld: 'Le contenu n’est pas joint à ce message (niveau de classification) : consultez-le dans Vigie.', footer: 'Vous recevez ce message selon vos préférences de notification (Mon compte).' },
  en: { about: 'Subject', reason: 'Reason', date: 'Date', open: 'To read it, open Vigie', withheld: 'The content is not included in this message (classification level): read it in Vigie.', footer: 'You receive this message according to your notification settings (My account).' },
} as const;

/** Subject line and plain text body of a notification e-mail. */
export function composeNotificationMail(m: MailInput): { subject: string; text: string } {
  const t = T[m.lang];
  const label = kindLabel(m.kind, m.lang);
  const sep = m.lang === 'fr' ? '\u00a0: ' : ': ';
  const lines = [`${label}.`, ''];
  if (m.detail === 'full') {
    if (m.subject) lines.push(`${t.about}${sep}${m.subject}`);
    if (m.date) lines.push(`${t.date}${sep}${m.date}`);
    if (m.reason) lines.push(`${t.reason}${sep}${m.reason}`);
    if (m.subject || m.date || m.reason) lines.push('');
  } else {
    lines.push(t.withheld, '');
  }
  lines.push(`${t.open}${sep}${m.link}`, '', '—', t.footer);
  return { subject: `Vigie — ${label}`, text: lines.join('\n') };
}
