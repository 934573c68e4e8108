/** Test helpers for the engine: signing in a server-side session the way a workstation does. */
import { DEMO_PASSWORD } from '../../core/access/auth';
import { base32Decode, totpAt } from '../../core/access/totp';
import type { Connection } from '../../core/app';
import type { Engine } from '../engine/engine';

/**
 * Signs a demo account in through the engine (so what sign-in writes reaches PostgreSQL), enrolling the
 * second factor when the account's role requires it. Throws unless the session ends signed in.
 */
export async function signInOn(engine: Engine, username: string, workstation = `ws-${username}`): Promise<Connection> {
  const conn = engine.core.connect(workstation);
  const r = await engine.call(conn, 'auth.signIn', { username, password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(`sign-in of ${username} failed: ${JSON.stringify(r.error)}`);
  if (conn.session.state === 'enrol_totp') {
    const b = await engine.call(conn, 'auth.totpBegin', {});
    if (!b.ok) throw new Error(JSON.stringify(b.error));
    const secret = (b.data as { secret: string }).secret;
    const c = await engine.call(conn, 'auth.totpConfirm', { code: totpAt(base32Decode(secret), Date.now()) });
    if (!c.ok) throw new Error(JSON.stringify(c.error));
  }
  if (conn.session.state !== 'signed_in') throw new Error(`${username} is ${conn.session.state} after sign-in`);
  return conn;
}
