/**
 * A change against a base, the one way Vigie shows it on a page (period comparison, briefing): an arrow for its
 * direction, the signed difference and, when there is a base, the signed per cent — « ▲ +2 (+20 %) », « ▼ −3 », « 0 ».
 */
import { useLang } from '../../i18n';
import { changeText } from './compare-format';

export function Change({ current, base }: { current: number; base: number }) {
  const { lang } = useLang();
  const c = changeText(current, base, lang);
  return (
    <span className={`trend trend-${c.direction}`}>{c.direction === 'up' ? '▲ ' : c.direction === 'down' ? '▼ ' : ''}{c.text}</span>
  );
}
