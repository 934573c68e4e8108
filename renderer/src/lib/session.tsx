/** The signed-in user, their permissions, the municipality's country and the core's "today". */
import { createContext, useContext, type ReactNode } from 'react';
import type { Permission } from '../../../shared/api/contract';
import type { Country, SessionInfo } from './domain';

export interface Session extends SessionInfo {
  country: Country;
  can: (p: Permission) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function makeSession(info: SessionInfo): Session {
  const perms = new Set(info.permissions);
  return { ...info, country: info.municipality?.country ?? 'SE', can: (p) => perms.has(p) };
}

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
