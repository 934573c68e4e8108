/**
 * What the signed-in app may ask of the session gate: the current sign-in status, lock now, sign out,
 * and store a status an auth call returned (change password, enrol two-step verification).
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { AuthStatus } from './auth';
import type { Store } from './store';

export interface AuthActions {
  status: Store<AuthStatus | null>;
  /** Hide everything now and lock the session in the core (Ctrl+L, idle, OS lock). */
  lock(): void;
  /** Sign out (asks first when a form has unsaved changes). */
  signOut(): void;
  /** Store the status an auth.* call returned. */
  setStatus(s: AuthStatus): void;
  /** The minimum password length of the policy in force. */
  passwordMinLength: number;
}

const AuthContext = createContext<AuthActions | null>(null);

export function AuthProvider({ value, children }: { value: AuthActions; children: ReactNode }) {
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthActions {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
