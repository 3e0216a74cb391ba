import { useState } from 'react';
import { getAlerts } from '../../api/generated';
import { loadReference } from '../../api/reference';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { applyLive, badgeCount, type Alert } from './alerts-data';
import { useAlertStream } from './live';

/** Number of alerts awaiting the reader (their state's acknowledgement, or still issued), kept live. */
export function AlertsBadge() {
  const { t } = useLang();
  const { session, can } = useSession();
  const allowed = can('alert.read');
  const [tick, setTick] = useState(0);
  const open = useApi(allowed ? `alerts-badge-${tick}` : null, (s) => getAlerts({ query: { open: 'true', limit: 200 } }, s));
  const ref = useApi('ref', () => loadReference());
  const [live, setLive] = useState<Alert[] | null>(null);
  useAlertStream((change) => setLive((prev) => applyLive(prev ?? open.data?.items ?? [], change)), allowed);
  const org = session?.user.organisation ?? '';
  const items = (live ?? open.data?.items ?? []).filter((a) => a.status !== 'closed');
  const n = badgeCount(items, org, !!ref.data?.states.some((s) => s.code === org));
  if (!allowed || n === 0) return null;
  return (
    <span className="badge" data-testid="alerts-badge" aria-label={t('alerts.badge', { count: n })} onClick={() => { setLive(null); setTick((x) => x + 1); }}>
      {n}
    </span>
  );
}
