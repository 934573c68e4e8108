/**
 * Synthetic accounts for demo databases, one per role, so a visitor (and the end-to-end tests) can try
 * each role. They exist only in databases the demo generator made; the sign-in screen lists them there.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../../shared/domain/access';
import { DEMO_PASSWORD } from '../access/auth';
import { hashPassword } from '../access/password';
import type { CoreContext } from '../context';

export const DEMO_ACCOUNTS: { username: string; name: string; roles: { role: Role; unit: 'first' | null }[] }[] = [
  { username: 'admin', name: 'Alva Admin (demo)', roles: [{ role: 'sysadmin', unit: null }] },
  { username: 'clerk', name: 'Kim Kanslist (demo)', roles: [{ role: 'clerk', unit: 'first' }] },
  { username: 'clerk.all', name: 'Kari Kanslist (demo)', roles: [{ role: 'clerk', unit: null }] },
  { username: 'protected', name: 'Pia Behörig (demo)', roles: [{ role: 'clerk', unit: null }, { role: 'protected_handler', unit: null }] },
  { username: 'fee', name: 'Frej Avgift (demo)', roles: [{ role: 'fee_admin', unit: null }] },
  { username: 'foi', name: 'Fia Insyn (demo)', roles: [{ role: 'foi_officer', unit: null }] },
  { username: 'beslut', name: 'Bo Beslut (demo)', roles: [{ role: 'foi_decider', unit: null }] },
  { username: 'registrar', name: 'Rut Registrator (demo)', roles: [{ role: 'registrar', unit: null }] },
  { username: 'auditor', name: 'Ada Granskare (demo)', roles: [{ role: 'auditor', unit: null }] },
];

export function seedDemoAccounts(ctx: CoreContext): void {
  const s = ctx.sqlite;
  const firstUnit = s.prepare(`SELECT id FROM org_unit WHERE kind = 'school_unit' AND deleted_at IS NULL ORDER BY sort_key, name_norm, id LIMIT 1`).pluck().get() as string | undefined;
  const now = ctx.clock.now();
  const insUser = s.prepare(
    `INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, created_at, created_by, updated_at, updated_by)
     VALUES (?,?,?,?,?,?,'demo-seed',?,'demo-seed')`,
  );
  const insRole = s.prepare(
    `INSERT INTO role_assignment (id, user_id, role, unit_id, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,'demo-seed',?,'demo-seed')`,
  );
  s.transaction(() => {
    for (const a of DEMO_ACCOUNTS) {
      const id = randomUUID();
      insUser.run(id, a.username, a.name, hashPassword(DEMO_PASSWORD), now, now, now);
      for (const r of a.roles) insRole.run(randomUUID(), id, r.role, r.unit === 'first' ? (firstUnit ?? null) : null, now, now);
    }
  })();
}
