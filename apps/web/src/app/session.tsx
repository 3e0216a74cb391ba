import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, onUnauthenticated, post, setCsrfToken, type ApiError } from '../api/client';
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

/** Loads who is signed in (GET /auth/me), keeps the CSRF token for writes, and notices expiry. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  const signedIn = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrf_token);
    setExpired(false);
    setSession(info);
  }, []);

  useEffect(() => {
    get<SessionInfo>('auth/me').then(signedIn, () => setSession(null));
    return onUnauthenticated((_err: ApiError) => {
      setCsrfToken(null);
      setSession((prev) => {
        if (prev) setExpired(true);
        return null;
      });
    });
  }, [signedIn]);

  const value = useMemo<SessionState>(() => ({
    session,
    expired,
    signedIn,
    async signOut() {
      await post('auth/logout').catch(() => undefined);
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
