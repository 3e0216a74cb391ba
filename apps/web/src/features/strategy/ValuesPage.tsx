import { useState } from 'react';
import { getStrategies, getStrategiesId, getStrategiesIdValues, postIndicatorValuesIdApprove, postIndicatorValuesIdReturn, postIndicatorValuesIdSubmit } from '../../api/generated';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { indicatorsById, indicatorText, periodText, valueText } from './strategy-format';
import './messages';

/** A state's values: analysts submit drafts and returned ones, the focal point approves or returns submitted ones. */
export function ValuesPage() {
  const { t, lang } = useLang();
  const { session, can } = useSession();
  const org = session?.user.organisation ?? '';
  const list = useApi('strategies', (s) => getStrategies({}, s));
  const current = list.data?.items.find((s) => s.status === 'active') ?? list.data?.items[0];
  const values = useApi(current ? `values-${current.id}-${org}` : null, (s) => getStrategiesIdValues({ id: current!.id, query: { state: org } }, s));
  const tree = useApi(current ? `tree-${current.id}-${current.version}` : null, (s) => getStrategiesId({ id: current!.id }, s));
  const byId = indicatorsById(tree.data);
  const [error, setError] = useState<unknown>(null);
  const act = (call: Promise<unknown>) => { setError(null); call.then(() => values.reload(), setError); };
  const pending = (values.data?.items ?? []).filter((v) => v.status !== 'approved');
  return (
    <section>
      <h1>{t('strategy.values_title')} — {org}</h1>
      <ErrorMessage error={list.error ?? values.error} />
      <ErrorMessage error={error} />
      <div className="table-wrap">
        <table data-testid="values-table">
          <thead><tr><th scope="col">{t('strategy.indicator')}</th><th scope="col">{t('strategy.period')}</th><th scope="col" className="num">{t('strategy.value')}</th><th scope="col">{t('strategy.comment')}</th><th scope="col">{t('strategy.status_col')}</th><th scope="col" /></tr></thead>
          <tbody>
            {pending.map((v) => (
              <tr key={v.id}>
                <td data-testid="value-indicator">{indicatorText(v.indicator_id, byId, lang)}</td>
                <td>{periodText(v.period, lang)}</td>
                <td className="num">{valueText(v.value, v.unit ?? '', lang)}</td>
                <td>{v.comment}{v.return_reason ? <><br /><em>{t('strategy.return_reason')}{lang === 'fr' ? ' : ' : ': '}{v.return_reason}</em></> : null}</td>
                <td>{t(`strategy.value_status.${v.status}`)}</td>
                <td className="actions">
                  {(v.status === 'draft' || v.status === 'returned') && can('indicator_value.enter') && <button type="button" onClick={() => act(postIndicatorValuesIdSubmit({ id: v.id }))}>{t('strategy.submit')}</button>}
                  {v.status === 'submitted' && can('indicator_value.approve') && (
                    <>
                      <button type="button" onClick={() => act(postIndicatorValuesIdApprove({ id: v.id }))}>{t('strategy.approve')}</button>
                      <button type="button" onClick={() => { const reason = window.prompt(t('strategy.return_reason')); if (reason) act(postIndicatorValuesIdReturn({ id: v.id, body: { reason } })); }}>{t('strategy.return')}</button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
