import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@vigie/domain/classification';
import { userCreateSchema } from '@vigie/domain/user.schema';
import { fieldErrors } from '@vigie/domain/validation';
import { ApiError } from '../../api/client';
import { getUsers, patchUsersId, postUsers, postUsersIdResetPassword, postUsersIdUnlock } from '../../api/generated';
import { loadReference, orgName } from '../../api/reference';
import type { User } from '../../api/types';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../i18n/format';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import './messages';

const CLEARANCES = [0, 1, 2, 3] as const;

/** Users of the caller's scope (own state for focal points, all for admins): create, roles, clearance, disable, reset. */
export function UsersPage() {
  const { t, lang } = useLang();
  const { session } = useSession();
  const [tick, setTick] = useState(0);
  const users = useApi(`users-${tick}`, (s) => getUsers({}, s));
  const ref = useApi('ref', () => loadReference());
  const admin = session?.user.role === 'admin';
  const orgs = admin ? [...(ref.data?.states.map((s) => s.code) ?? []), 'CONF'] : [session?.user.organisation ?? ''];
  const [form, setForm] = useState({ login: '', display_name: '', organisation: orgs[0] ?? '', role: 'reporter' as Role, clearance: '1', password: '', locale: 'fr' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const body = {
      login: form.login, organisation: form.organisation || orgs[0], role: form.role, clearance: Number(form.clearance), locale: form.locale,
      ...(form.display_name ? { display_name: form.display_name } : {}), ...(form.password ? { password: form.password } : {}),
    };
    const parsed = userCreateSchema.safeParse(body);
    if (!parsed.success) {
      setErrors(Object.fromEntries(fieldErrors(parsed.error, lang).map((f) => [f.field, f.message])));
      return;
    }
    setErrors({});
    try {
      const res = await postUsers({ body: parsed.data });
      setNotice(res.password ? t('users.new_password', { pw: res.password }) : t('users.saved'));
      setTick((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.field, f.message])));
      setError(err);
    }
  }
  const lockedCount = users.data?.items.filter((u) => u.locked_until).length ?? 0;
  const run = (p: Promise<unknown>, msg?: (r: unknown) => string) => p.then((r) => { setNotice(msg ? msg(r) : t('users.saved')); setTick((n) => n + 1); }, setError);

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      {notice && <p role="status" className="notice" data-testid="users-notice">{notice}</p>}
      <ErrorMessage error={error ?? users.error} />
      {lockedCount > 0 && <p role="status" className="warning-banner" data-testid="locked-count">{t('users.locked_count', { count: lockedCount })}</p>}
      <div className="table-wrap"><table>
        <thead><tr>
          <th scope="col">{t('users.login')}</th><th scope="col">{t('users.organisation')}</th><th scope="col">{t('users.role')}</th><th scope="col">{t('users.clearance')}</th>
          <th scope="col">{t('users.totp')}</th><th scope="col">{t('users.last_login')}</th><th scope="col">{t('detail.actions')}</th>
        </tr></thead>
        <tbody>{users.data?.items.map((u) => (
          <tr key={u.id} className={u.disabled ? 'disabled' : ''}>
            <th scope="row">{u.login}{u.display_name ? <span className="muted"> — {u.display_name}</span> : null}{u.disabled ? <span className="badge rejected"> {t('users.disabled')}</span> : null}
              {u.locked_until ? <span className="badge locked" data-testid={`locked-${u.login}`}> {t('users.locked', { until: formatDateTime(u.locked_until, lang) })}</span> : null}</th>
            <td>{orgName(ref.data, u.organisation, lang)}</td>
            <td><select aria-label={`${t('users.role')} ${u.login}`} value={u.role} onChange={(e) => void run(patchUsersId({ id: u.id, body: { role: e.target.value as User['role'] } }))}>
              {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}</select></td>
            <td><select aria-label={`${t('users.clearance')} ${u.login}`} value={u.clearance} onChange={(e) => void run(patchUsersId({ id: u.id, body: { clearance: Number(e.target.value) } }))}>
              {CLEARANCES.map((c) => <option key={c} value={c}>{t(`users.clearance_levels.${c}`)}</option>)}</select></td>
            <td>{u.totp_enabled ? t('common.yes') : t('common.no')}</td>
            <td>{u.last_login_at ? formatDateTime(u.last_login_at, lang) : '—'}</td>
            <td className="actions">
              {u.locked_until && <button type="button" onClick={() => void run(postUsersIdUnlock({ id: u.id }), () => t('users.unlocked', { login: u.login }))}>{t('users.unlock')}</button>}
              <button type="button" onClick={() => void run(patchUsersId({ id: u.id, body: { disabled: !u.disabled } }))}>{u.disabled ? t('users.enable') : t('users.disable')}</button>
              <button type="button" onClick={() => void run(postUsersIdResetPassword({ id: u.id, body: {} }), (r) => t('users.new_password', { pw: (r as { password: string }).password }))}>{t('users.reset')}</button>
            </td>
          </tr>
        ))}</tbody>
      </table></div>

      <form className="card" onSubmit={create} noValidate aria-labelledby="create-user">
        <h2 id="create-user">{t('users.create')}</h2>
        <div className="grid">
          <Field name="login" label={t('users.login')} error={errors.login}>{(p) => <input {...p} autoComplete="off" value={form.login} onChange={(e) => setForm({ ...form, login: e.target.value })} />}</Field>
          <Field name="display_name" label={t('users.display_name')} error={errors.display_name}>{(p) => <input {...p} value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />}</Field>
          <Field name="organisation" label={t('users.organisation')} error={errors.organisation}>{(p) => (
            <select {...p} value={form.organisation || orgs[0]} onChange={(e) => setForm({ ...form, organisation: e.target.value })}>{orgs.map((o) => <option key={o} value={o}>{orgName(ref.data, o, lang)}</option>)}</select>)}</Field>
          <Field name="role" label={t('users.role')} error={errors.role}>{(p) => (
            <select {...p} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>{ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}</select>)}</Field>
          <Field name="clearance" label={t('users.clearance')} error={errors.clearance}>{(p) => (
            <select {...p} value={form.clearance} onChange={(e) => setForm({ ...form, clearance: e.target.value })}>{CLEARANCES.map((c) => <option key={c} value={c}>{t(`users.clearance_levels.${c}`)}</option>)}</select>)}</Field>
          <Field name="locale" label={t('users.locale')}>{(p) => (
            <select {...p} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value })}><option value="fr">{t('lang.fr')}</option><option value="en">{t('lang.en')}</option></select>)}</Field>
          <Field name="password" label={t('users.password')} error={errors.password}>{(p) => <input {...p} type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />}</Field>
        </div>
        <button type="submit" className="primary">{t('users.create')}</button>
      </form>
    </section>
  );
}
