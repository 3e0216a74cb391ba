import { getBriefing } from '../../api/generated';
import { loadReference } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { BRIEFING_CARDS } from './BriefingCards';
import './messages';

/** The decision maker's first page: what needs them now, one API call, readable on a phone, every link one they may open. */
export function BriefingPage() {
  const { t, lang } = useLang();
  const { session } = useSession();
  const b = useApi('briefing', (s) => getBriefing({}, s));
  const ref = useApi('ref', () => loadReference());
  const member = !!ref.data?.states.some((s) => s.code === session?.user.organisation);
  const data = b.data;

  return (
    <section aria-labelledby="briefing-title" className="briefing">
      <h1 id="briefing-title">{t('briefing.title')}</h1>
      <ErrorMessage error={b.error} />
      {!data ? <p role="status">{t('app.loading')}</p> : (
        <>
          <p className="hint">{t('briefing.generated', { date: formatDateTime(data.generated_at, lang) })}</p>
          {BRIEFING_CARDS.map((Card, i) => <Card key={i} data={data} reference={ref.data} member={member} />)}
        </>
      )}
    </section>
  );
}
