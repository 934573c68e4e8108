/**
 * Local user accounts and their role assignments. Passwords are kept only as Argon2id hashes; TOTP
 * secrets only sealed with the workstation key. The administrator's view of an account never carries
 * either.
 *
 * Accounts and role assignments are records: created and changed through the one write path
 * (core/write/records.ts), whose change log masks the hash and the secret. The account's version also
 * moves when only its roles change, because a session re-reads its permissions when the version moved
 * (core/access/auth.ts `refresh`).
 *
 * The sign-in bookkeeping is not (failed_attempts, locked_until, last_sign_in_at, totp_last_step, written
 * by `setSignInState`): it is this workstation's operational state, changed on every sign-in attempt,
 * and not a fact of the register. A change record per attempt would flood the sync outbox with noise
 * (and a version bump per sign-in would make every open account form conflict). The audit log records
 * the sign-in events themselves; resets of that state that go with an administrator's action (a new
 * password clears the lockout) are written beside the action's record, the same way.
 */
import type Database from 'better-sqlite3';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLE_PERMISSIONS, UNIT_SCOPED, type Permission, type Role } from '../../shared/domain/access';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import type { Actor } from '../context';
import { insertRecord, softDeleteRecord, updateRecord, type Row, type Writer } from '../write/records';
import { checkPasswordPolicy, hashPassword } from './password';

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: number;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
  failed_attempts: number;
  locked_until: string | null;
  last_sign_in_at: string | null;
  disabled_at: string | null;
  version: number;
}

type RoleGrant = { role: Role; unitId: string | null };
type UserView = MethodOutput<'user.list'>['items'][number];

export const ACCOUNT_COLUMNS = `id, username, display_name, password_hash, must_change_password, totp_secret, totp_enabled_at, totp_last_step,
  failed_attempts, locked_until, last_sign_in_at, disabled_at, version`;

/** Failed attempts allowed before the back-off starts; then 30 s, doubling per failure, at most 15 minutes. */
export const FREE_ATTEMPTS = 5;
export function lockoutSeconds(failedAttempts: number): number {
  if (failedAttempts < FREE_ATTEMPTS) return 0;
  return Math.min(30 * 2 ** (failedAttempts - FREE_ATTEMPTS), 15 * 60);
}

export function accountCount(sqlite: Database.Database): number {
  return (sqlite.prepare('SELECT count(*) AS n FROM user_account').get() as { n: number }).n;
}

export function accountByUsername(sqlite: Database.Database, username: string): AccountRow | undefined {
  return sqlite.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM user_account WHERE username = ?`).get(username.trim().toLowerCase()) as AccountRow | undefined;
}

export function accountById(sqlite: Database.Database, id: string): AccountRow | undefined {
  return sqlite.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM user_account WHERE id = ?`).get(id) as AccountRow | undefined;
}

export function rolesOf(sqlite: Database.Database, userId: string): { role: Role; unitId: string | null; unitName: string | null }[] {
  return sqlite
    .prepare(
      `SELECT r.role, r.unit_id AS unitId, u.name AS unitName FROM role_assignment r LEFT JOIN org_unit u ON u.id = r.unit_id
       WHERE r.user_id = ? AND r.deleted_at IS NULL ORDER BY r.role, u.name`,
    )
    .all(userId) as { role: Role; unitId: string | null; unitName: string | null }[];
}

/**
 * The actor a signed-in user acts as: the union of their roles' permissions; a permission granted only
 * for units is limited to those units and every unit below them (an administration's schools).
 */
export function actorFor(sqlite: Database.Database, account: Pick<AccountRow, 'id' | 'display_name'>): Actor {
  const roles = rolesOf(sqlite, account.id);
  const wide = new Set<Permission>();
  const perUnit = new Map<Permission, Set<string>>();
  for (const r of roles) {
    for (const p of ROLE_PERMISSIONS[r.role]) {
      if (r.unitId === null || !UNIT_SCOPED.has(p)) wide.add(p);
      else {
        let s = perUnit.get(p);
        if (!s) perUnit.set(p, (s = new Set()));
        s.add(r.unitId);
      }
    }
  }
  const unitScope = new Map<Permission, ReadonlySet<string>>();
  const descendants = sqlite.prepare(
    `WITH RECURSIVE d(id) AS (SELECT value FROM json_each(?) UNION SELECT u.id FROM org_unit u JOIN d ON u.parent_id = d.id WHERE u.deleted_at IS NULL)
     SELECT id FROM d`,
  );
  for (const [p, units] of perUnit) {
    if (wide.has(p)) continue;
    unitScope.set(p, new Set(descendants.pluck().all(JSON.stringify([...units])) as string[]));
  }
  // Every signed-in user may manage their own session, password and second factor.
  const permissions = new Set<Permission>([...wide, ...unitScope.keys(), 'session']);
  return { id: account.id, name: account.display_name, permissions, unitScope };
}

export function passwordProblem(password: string, ctx: { username?: string; displayName?: string }, field: string): DomainError | null {
  const r = checkPasswordPolicy(password, { ...ctx, minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
  if (r.ok) return null;
  return new DomainError('validation', r.message, field, [{ field, code: r.code, message: r.message }]);
}

function validateRoles(sqlite: Database.Database, roles: RoleGrant[]): void {
  const unitExists = sqlite.prepare(`SELECT 1 FROM org_unit WHERE id = ? AND deleted_at IS NULL`).pluck();
  const seen = new Set<string>();
  roles.forEach((r, i) => {
    const key = `${r.role}|${r.unitId ?? ''}`;
    if (seen.has(key)) throw new DomainError('validation', `Role ${r.role} is listed twice for the same scope`, `roles.${i}`, [{ field: `roles.${i}`, code: 'duplicate_role', message: 'listed twice' }]);
    seen.add(key);
    if (r.unitId !== null && !unitExists.get(r.unitId)) {
      throw new DomainError('validation', `Unknown unit for role ${r.role}`, `roles.${i}.unitId`, [{ field: `roles.${i}.unitId`, code: 'unknown_unit', message: 'no such unit' }]);
    }
    if (r.unitId !== null && (r.role === 'sysadmin' || r.role === 'auditor')) {
      throw new DomainError('validation', `Role ${r.role} is held for the whole municipality only`, `roles.${i}.unitId`, [
        { field: `roles.${i}.unitId`, code: 'municipality_only', message: 'whole municipality only' },
      ]);
    }
  });
}

/**
 * Brings the user's live role assignments in line with `roles`: one kept as it is, a removed one ended
 * with a tombstone, a new one added (each one change record). Returns whether anything changed.
 */
function writeRoles(w: Writer, userId: string, roles: RoleGrant[]): boolean {
  const key = (role: string, unitId: string | null) => `${role}|${unitId ?? ''}`;
  const wanted = new Set(roles.map((r) => key(r.role, r.unitId)));
  const held = w.ctx.sqlite.prepare(`SELECT * FROM role_assignment WHERE user_id = ? AND deleted_at IS NULL`).all(userId) as Row[];
  const kept = new Set<string>();
  let changed = false;
  for (const r of held) {
    const k = key(r.role as string, r.unit_id as string | null);
    if (wanted.has(k) && !kept.has(k)) kept.add(k);
    else {
      softDeleteRecord(w, 'role_assignment', r.id as string, { current: r });
      changed = true;
    }
  }
  for (const r of roles) {
    if (kept.has(key(r.role, r.unitId))) continue;
    insertRecord(w, 'role_assignment', { user_id: userId, role: r.role, unit_id: r.unitId });
    changed = true;
  }
  return changed;
}

/** Sign-in bookkeeping only (see the header): written directly, no version, no change record. */
export function setSignInState(
  sqlite: Database.Database,
  id: string,
  state: { failed_attempts?: number; locked_until?: string | null; last_sign_in_at?: string; totp_last_step?: number | null },
): void {
  const cols = (Object.keys(state) as (keyof typeof state)[]).filter((c) => state[c] !== undefined);
  if (!cols.length) return;
  sqlite.prepare(`UPDATE user_account SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...cols.map((c) => state[c]), id);
}

export function createAccount(
  w: Writer,
  input: { username: string; displayName: string; password: string; roles: RoleGrant[]; mustChangePassword: boolean },
): { id: string; version: number } {
  const { sqlite } = w.ctx;
  const problem = passwordProblem(input.password, { username: input.username, displayName: input.displayName }, 'password');
  if (problem) throw problem;
  if (accountByUsername(sqlite, input.username)) throw new DomainError('duplicate', `The user name ${input.username} is taken`, 'username');
  validateRoles(sqlite, input.roles);
  const { id } = insertRecord(w, 'user_account', {
    username: input.username,
    display_name: input.displayName,
    password_hash: hashPassword(input.password),
    password_changed_at: w.now,
    must_change_password: input.mustChangePassword ? 1 : 0,
  });
  writeRoles(w, id, input.roles);
  return { id, version: 1 };
}

export function userView(sqlite: Database.Database, a: AccountRow): UserView {
  return {
    id: a.id,
    version: a.version,
    username: a.username,
    displayName: a.display_name,
    roles: rolesOf(sqlite, a.id),
    totpEnabled: a.totp_enabled_at !== null,
    mustChangePassword: a.must_change_password === 1,
    disabled: a.disabled_at !== null,
    lockedUntil: a.locked_until,
    lastSignInAt: a.last_sign_in_at,
  };
}

export function listAccounts(sqlite: Database.Database): UserView[] {
  return (sqlite.prepare(`SELECT ${ACCOUNT_COLUMNS} FROM user_account ORDER BY username`).all() as AccountRow[]).map((a) => userView(sqlite, a));
}

function requireAccount(sqlite: Database.Database, id: string): AccountRow {
  const a = accountById(sqlite, id);
  if (!a) throw new DomainError('not_found', 'No such user', 'id');
  return a;
}

/** At least one enabled system administrator must remain, or nobody could manage accounts again. */
function assertAdminRemains(sqlite: Database.Database): void {
  const n = sqlite
    .prepare(
      `SELECT count(DISTINCT a.id) FROM user_account a JOIN role_assignment r ON r.user_id = a.id
       WHERE r.role = 'sysadmin' AND r.deleted_at IS NULL AND a.disabled_at IS NULL`,
    )
    .pluck()
    .get() as number;
  if (n === 0) throw new DomainError('validation', 'At least one enabled system administrator must remain', 'roles', [{ field: 'roles', code: 'last_admin', message: 'last administrator' }]);
}

export function updateAccount(w: Writer, input: MethodParsedInput<'user.update'>): { id: string; version: number } {
  const { sqlite } = w.ctx;
  const a = requireAccount(sqlite, input.id);
  if (a.version !== input.version) throw new DomainError('conflict', 'The account was changed by someone else; reload it');
  validateRoles(sqlite, input.roles);
  const rolesChanged = writeRoles(w, a.id, input.roles);
  const r = updateRecord(
    w,
    'user_account',
    a.id,
    { display_name: input.displayName, disabled_at: input.disabled ? (a.disabled_at ?? w.now) : null },
    { current: a as unknown as Row, touch: rolesChanged },
  );
  assertAdminRemains(sqlite);
  return { id: a.id, version: r.version };
}

export function resetPassword(w: Writer, input: { id: string; password: string }): { id: string; version: number } {
  const a = requireAccount(w.ctx.sqlite, input.id);
  const problem = passwordProblem(input.password, { username: a.username, displayName: a.display_name }, 'password');
  if (problem) throw problem;
  const r = updateRecord(w, 'user_account', a.id, { password_hash: hashPassword(input.password), password_changed_at: w.now, must_change_password: 1 }, { current: a as unknown as Row });
  // The user can sign in with the new password at once, whatever the old one's failures locked.
  setSignInState(w.ctx.sqlite, a.id, { failed_attempts: 0, locked_until: null });
  return { id: a.id, version: r.version };
}

export function resetTotp(w: Writer, id: string): { id: string; version: number } {
  const a = requireAccount(w.ctx.sqlite, id);
  const r = updateRecord(w, 'user_account', a.id, { totp_secret: null, totp_enabled_at: null }, { current: a as unknown as Row });
  setSignInState(w.ctx.sqlite, a.id, { totp_last_step: null });
  return { id: a.id, version: r.version };
}
