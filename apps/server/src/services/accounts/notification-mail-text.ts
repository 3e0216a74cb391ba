/**
 * The text of a notification e-mail, in the recipient's language, as plain text and as a simple HTML part (the same
 * words, escaped; no image, no script, no remote resource). With `detail: 'link'` (content classified above the
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

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Subject line, plain text body and HTML body of a notification e-mail (the HTML says exactly what the text says). */
export function composeNotificationMail(m: MailInput): { subject: string; text: string; html: string } {
  const t = T[m.lang];
  const label = kindLabel(m.kind, m.lang);
  const sep = m.lang === 'fr' ? '\u00a0: ' : ': ';
  const details: [string, string][] = [];
  if (m.detail === 'full') {
    if (m.subject) details.push([t.about, m.subject]);
    if (m.date) details.push([t.date, m.date]);
    if (m.reason) details.push([t.reason, m.reason]);
  }
  const lines = [`${label}.`, ''];
  if (m.detail === 'full') {
    for (const [k, v] of details) lines.push(`${k}${sep}${v}`);
    if (details.length) lines.push('');
  } else {
    lines.push(t.withheld, '');
  }
  lines.push(`${t.open}${sep}${m.link}`, '', '—', t.footer);

  const p = 'margin:0 0 12px';
  const html = [
    `<!doctype html><html lang="${m.lang}"><head><meta charset="utf-8"><title>${esc(`Vigie — ${label}`)}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,\'Segoe UI\',sans-serif;font-size:15px;line-height:1.45;color:#1f2933;max-width:36em">',
    `<p style="${p};font-size:17px"><strong>${esc(label)}.</strong></p>`,
    m.detail === 'full'
      ? (details.length ? `<table role="presentation" style="${p};border-collapse:collapse">${details.map(([k, v]) => `<tr><th scope="row" style="text-align:left;padding:2px 12px 2px 0;vertical-align:top;color:#52606d">${esc(k)}</th><td style="padding:2px 0">${esc(v)}</td></tr>`).join('')}</table>` : '')
      : `<p style="${p}">${esc(t.withheld)}</p>`,
    `<p style="${p}">${esc(t.open)}${esc(sep)}<a href="${esc(m.link)}">${esc(m.link)}</a></p>`,
    `<p style="margin:24px 0 0;font-size:13px;color:#52606d">${esc(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: `Vigie — ${label}`, text: lines.join('\n'), html };
}
