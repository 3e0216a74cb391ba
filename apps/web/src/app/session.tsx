import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthenticated, setCsrfToken } from '../api/client';
import { getAuthMe, postAuthLogout } from '../api/generated';
import { prefetchedOr } from '../api/prefetch';
import type { SessionInfo } from '../api/types';
import type { Permission } from '@vigie/domain/permissions';

interface SessionState {
  /** undefined while loading, null when signed out. */
  session: SessionInfo | null | undefined;
  expired: boolean;
  signedIn(info: SessionInfo): void;
  signOut(): Promise<void>;
  can(permission: Permission): boolean;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * The last signed-in user, kept so that with no network the app opens on their pages and their outbox (a reporter at a
 * post without a link). Never the CSRF token; removed at sign-out, so a signed-out device shows the sign-in page.
 */
const OFFLINE_SESSION_KEY = 'vigie.session.offline';
function rememberSession(info: SessionInfo | null): void {
  try {
    if (info) localStorage.setItem(OFFLINE_SESSION_KEY, JSON.stringify({ ...info, csrf_token: '' }));
    else localStorage.removeItem(OFFLINE_SESSION_KEY);
  } catch { /* storage refused: offline opening is not available */ }
}
function rememberedSession(): SessionInfo | null {
  try {
    const text = localStorage.getItem(OFFLINE_SESSION_KEY);
    return text ? (JSON.parse(text) as SessionInfo) : null;
  } catch { return null; }
}

/** Loads who is signed in (GET /auth/me), keeps the CSRF token for writes, and notices expiry. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  const signedIn = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrf_token);
    setExpired(false);
    setSession(info);
    rememberSession(info);
  }, []);

  useEffect(() => {
    // No answer at all (no network, not a 401): open offline as the last user of this browser.
    // The first answer may already be on its way (boot.ts asks at once on the dashboard and the map).
    prefetchedOr(getAuthMe, {}).then(signedIn, (e: unknown) => setSession(e instanceof ApiError ? null : rememberedSession()));
    // Back online: ask again, for a fresh CSRF token (the outbox sends with it) or to learn that the session expired.
    const recheck = () => void getAuthMe().then(signedIn, () => undefined);
    window.addEventListener('online', recheck);
    const off = onUnauthenticated((_err) => {
      setCsrfToken(null);
      setSession((prev) => {
        if (prev) setExpired(true);
        return null;
      });
    });
    return () => { off(); window.removeEventListener('online', recheck); };
  }, [signedIn]);

  const value = useMemo<SessionState>(() => ({
    session,
    expired,
    signedIn,
    async signOut() {
      await postAuthLogout().catch(() => undefined);
      rememberSession(null);
      setCsrfToken(null);
      setSession(null);
    },
    can: (p) => !!session?.permissions.includes(p),
  }), [session, expired, signedIn]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
