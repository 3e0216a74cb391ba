import { loadReference, placeName } from '../../api/reference';
import { Link } from '../../app/router';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { LevelBadge } from '../../ui/ReclassifyControl';
import type { Action } from './types';
import './messages';

/** Actions with owner, due date, status and progress; overdue ones flagged. */
export function ActionsTable({ items, testId, showMeeting = true }: { items: Action[]; testId?: string; showMeeting?: boolean }) {
  const { t, lang } = useLang();
  const ref = useApi('ref', () => loadReference());
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead><tr>
          <th scope="col">{t('coordination.action')}</th><th scope="col">{t('coordination.owner')}</th><th scope="col">{t('coordination.due')}</th>
          <th scope="col">{t('coordination.status_col')}</th><th scope="col" className="num">{t('coordination.progress')}</th>
        </tr></thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>{a.title} <LevelBadge level={a.classification} />{a.alert_id ? <> · <Link to={`/alerts/${a.alert_id}`}>{t('coordination.alert')}</Link></> : null}{showMeeting && a.meeting_id ? <><br /><Link className="muted" to={`/coordination/meetings/${a.meeting_id}`}>{a.meeting_title} ({a.decision_code})</Link></> : null}</td>
              <td>{a.owner_state ? placeName(ref.data, a.owner_state, lang) : a.owner_body}</td>
              <td>{formatDate(a.due_date, lang)} {a.overdue && <span className="badge rejected">{t('coordination.late')}</span>}</td>
              <td>{t(`coordination.status.${a.status}`)}</td>
              <td className="num">{a.progress} %</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
