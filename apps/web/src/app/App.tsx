import i18next from 'i18next';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from './router';
import { FEATURES } from '../features/registry';
import { LoginPage } from '../features/auth/LoginPage';
import { FailedAttemptsNotice } from '../features/account/FailedAttemptsNotice';
import { changeLanguage, registerFeatureEnglish, useLang } from '../i18n';
import { useSession } from './session';
import { useApi } from './use-api';
import { loadReference, orgName } from '../api/reference';
import { ErrorBoundary } from '../ui/ErrorBoundary';

// Pages that only a first sign-in or a reset shows load on demand, not with every first view.
const TotpEnrollPage = lazy(() => import('../features/auth/TotpEnrollPage').then((m) => ({ default: m.TotpEnrollPage })));
const ForcedPasswordPage = lazy(() => import('../features/account/AccountPage').then((m) => ({ default: m.ForcedPasswordPage })));

// Features bring their own strings: the French ones the shell shows merged once under their id (their pages' strings
// come with their pages' code, i18n/feature-strings.ts). Not at module load: i18next has no store before main.tsx calls
// initI18n(), which runs after this module is imported. The English ones come with the
// English catalogue, when a reader chooses English (registered here, at import, before initI18n runs).
registerFeatureEnglish(async () => Object.fromEntries(
  await Promise.all(FEATURES.flatMap((f) => (f.messages ? [f.messages.en().then((en) => [f.id, en] as const)] : []))),
));
let featureMessagesMerged = false;
const LANDED_KEY = 'vigie.landed';
function mergeFeatureMessages(): void {
  if (featureMessagesMerged) return;
  featureMessagesMerged = true;
  for (const f of FEATURES) {
    if (!f.messages?.shell) continue;
    i18next.addResourceBundle('fr', 'translation', { [f.id]: f.messages.shell }, true, false);
  }
}

function LanguageSwitch() {
  const { lang, t } = useLang();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.switch')}>
      {(['fr', 'en'] as const).map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => void changeLanguage(l)}>
          <span className="lang-long">{t(`lang.${l}`)}</span><span className="lang-short">{` ${l.toUpperCase()}`}</span>
        </button>
      ))}
    </div>
  );
}

function Header() {
  const { t, lang } = useLang();
  const { session, signOut, can } = useSession();
  // The reader's organisation by its name (the reference data most pages load anyway, once per page load).
  const ref = useApi(session?.user ? 'ref' : null, () => loadReference());
  const [open, setOpen] = useState(false);
  const nav = FEATURES.flatMap((f) => (f.nav ? [f.nav] : []))
    .filter((n) => (!n.permission || can(n.permission)) && (!n.when || (!!session && n.when(session))))
    .sort((a, b) => a.order - b.order);
  const user = session?.user;
  // The most specific entry whose path starts the current one is the current page (/incidents/new is not /incidents).
  const { pathname } = useLocation();
  const active = nav.map((n) => n.path).filter((p) => (p === '/' ? pathname === '/' : pathname === p || pathname.startsWith(`${p}/`))).sort((a, b) => b.length - a.length)[0];
  return (
    <header className={`app-header${open ? ' menu-open' : ''}`}>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <div className="brand"><span aria-hidden="true">◈</span> {t('app.name')}</div>
      {user && <div className="header-items">{FEATURES.flatMap((f) => (f.headerItem ? [<f.headerItem key={f.id} />] : []))}</div>}
      {user && (
        <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰ </span>{t('app.menu')}
        </button>
      )}
      {user && (
        <nav id="main-nav" aria-label={t('nav.main')} className={open ? 'open' : ''}>
          <ul>
            {nav.map((n) => (
              <li key={n.path}>
                <Link to={n.path} className={n.path === active ? 'active' : undefined} aria-current={n.path === active ? 'page' : undefined} onClick={() => setOpen(false)}>{t(n.labelKey)}{n.badge && <> <n.badge /></>}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="header-tools">
        <LanguageSwitch />
        {user && (
          <>
            <span className="who" data-testid="who">
              {t('auth.signed_in_as', { name: user.display_name ?? user.login, org: orgName(ref.data, user.organisation, lang, true), role: t(`roles.${user.role}`) })}
            </span>
            <Link to="/account" className="account-link" aria-current={pathname === '/account' ? 'page' : undefined} onClick={() => setOpen(false)}>{t('account.link')}</Link>
            <button type="button" onClick={() => void signOut()}>{t('auth.logout')}</button>
          </>
        )}
      </div>
    </header>
  );
}

/** The application shell: header with navigation, then the page of the current route. */
export function App() {
  mergeFeatureMessages();
  const { t } = useLang();
  const { session, expired, can } = useSession();
  const { pathname } = useLocation();
  // A role without the dashboard (an admin) lands on the first page it may open.
  // A role may land on another page than the dashboard (the decision maker on the briefing): once per tab and user, so
  // that the dashboard stays one click away afterwards.
  const login = session?.user?.login;
  const landingPath = FEATURES.find((f) => session?.user && f.landingFor?.includes(session.user.role as never) && f.nav)?.nav?.path;
  const landing = landingPath && login && sessionStorage.getItem(LANDED_KEY) !== login ? landingPath : undefined;
  useEffect(() => {
    if (login && pathname !== '/') sessionStorage.setItem(LANDED_KEY, login);
  }, [login, pathname]);
  const firstAllowed = FEATURES.flatMap((f) => (f.nav ? [f.nav] : [])).sort((a, b) => a.order - b.order).find((n) => n.path !== '/' && (!n.permission || can(n.permission)))?.path;
  let body;
  if (session === undefined) body = <p role="status">{t('app.loading')}</p>;
  else if (session === null) body = <LoginPage expired={expired} />;
  else if (session.password_change_required) body = <Suspense fallback={<p role="status">{t('app.loading')}</p>}><ForcedPasswordPage /></Suspense>;
  else if (session.totp_enrollment_required) body = <Suspense fallback={<p role="status">{t('app.loading')}</p>}><TotpEnrollPage /></Suspense>;
  else {
    body = (
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <Routes>
          {FEATURES.flatMap((f) => f.routes).map(({ path, component: Page, permission }) => (
            <Route key={path} path={path} element={path === '/' && landing ? <Navigate to={landing} replace /> : !permission || can(permission) ? <Page /> : path === '/' && firstAllowed ? <Navigate to={firstAllowed} replace /> : <p role="alert">{t('errors.forbidden')}</p>} />
          ))}
          <Route path="*" element={<p role="alert">{t('errors.not_found')}</p>} />
        </Routes>
      </Suspense>
    );
  }
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        <ErrorBoundary>{session && <FailedAttemptsNotice />}{body}</ErrorBoundary>
      </main>
    </>
  );
}
