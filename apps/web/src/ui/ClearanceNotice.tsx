import { CLASSIFICATIONS } from '@vigie/domain/classification';
import { loadReference, orgName } from '../api/reference';
import { useSession } from '../app/session';
import { useApi } from '../app/use-api';
import { useLang } from '../i18n';

/**
 * Says whose view live figures are: the reader's organisation and clearance. Totals differ between accounts (who sees
 * what applies to every figure), and without this line nothing tells a reader why. `messageKey` takes {{org}} and {{level}}.
 */
export function ClearanceNotice({ messageKey }: { messageKey: string }) {
  const { t, lang } = useLang();
  const { session } = useSession();
  const ref = useApi('ref', () => loadReference());
  const user = session?.user;
  if (!user) return null;
  const org = orgName(ref.data, user.organisation, lang);
  const level = t(`classification.${CLASSIFICATIONS[user.clearance] ?? 'secret'}`);
  return <p className="muted clearance-notice" data-testid="clearance-notice">{t(messageKey, { org, level })}</p>;
}
