/**
 * The account form's logic (Users screen): values, validation, the contract input, the mapping of the
 * core's refusals to fields (on the form kit's mapping), and how an account's state reads in the table.
 * No JSX; unit-tested in users.test.ts.
 */
import { sortByText } from '../../../shared/collation';
import { PASSWORD_MAX_LENGTH, ROLE_PERMISSIONS, ROLES, UNIT_SCOPED, USERNAME_RE, type Role } from '../../../shared/domain/access';
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import { passwordIssueMessage } from './auth';
import type { OrgTree } from './domain';
import type { TKey } from './i18n';
import { newKey } from './personForm';
import { mapApiError, type FieldErrors, type MappedError } from '../kit/errors';
import type { ApiError } from '../../../shared/api/transport';

export type UserView = MethodOutput<'user.list'>['items'][number];
export type RoleGrantView = UserView['roles'][number];
export { ROLES, type Role };

/** Stands for "the whole municipality" in the unit picker (a grant without a unit). */
export const WHOLE_MUNICIPALITY = 'municipality';

export interface RoleRow {
  key: string;
  role: Role | '';
  /** A school unit's id, or WHOLE_MUNICIPALITY. */
  unitId: string;
}

export interface UserFormValues {
  username: string;
  displayName: string;
  /** New accounts only: the initial password the administrator hands over. */
  password: string;
  roles: RoleRow[];
  disabled: boolean;
}

/** A role can be limited to units when at least one of its permissions can (an auditor's cannot). */
export function roleTakesUnit(role: Role | ''): boolean {
  if (!role) return true;
  return ROLE_PERMISSIONS[role].some((p) => UNIT_SCOPED.has(p));
}

export function emptyRoleRow(): RoleRow {
  return { key: newKey(), role: '', unitId: WHOLE_MUNICIPALITY };
}

export function emptyUserValues(): UserFormValues {
  return { username: '', displayName: '', password: '', roles: [emptyRoleRow()], disabled: false };
}

export function userValuesFrom(u: UserView): UserFormValues {
  return {
    username: u.username,
    displayName: u.displayName,
    password: '',
    roles: u.roles.map((r) => ({ key: newKey(), role: r.role, unitId: r.unitId ?? WHOLE_MUNICIPALITY })),
    disabled: u.disabled,
  };
}

/** What the form checks before asking the core (the core checks again, including the password policy). */
export function validateUser(v: UserFormValues, opts: { editing: boolean; passwordMinLength: number }): FieldErrors {
  const e: FieldErrors = {};
  if (!opts.editing) {
    const u = v.username.trim().toLowerCase();
    if (!u) e.username = { key: 'validation.required' };
    else if (!USERNAME_RE.test(u)) e.username = { key: 'validation.username_format' };
    if (!v.password) e.password = { key: 'validation.required' };
    else if (v.password.length < opts.passwordMinLength) e.password = { key: 'password.error.too_short', vars: { min: opts.passwordMinLength } };
    else if (v.password.length > PASSWORD_MAX_LENGTH) e.password = { key: 'password.error.too_long', vars: { max: PASSWORD_MAX_LENGTH } };
  }
  if (!v.displayName.trim()) e.displayName = { key: 'validation.required' };
  else if (v.displayName.trim().length > 120) e.displayName = { key: 'validation.too_long_max', vars: { max: 120 } };
  const seen = new Set<string>();
  v.roles.forEach((r, i) => {
    if (!r.role) {
      e[`roles.${i}.role`] = { key: 'userForm.roleRequired' };
      return;
    }
    const sig = `${r.role}|${roleTakesUnit(r.role) ? r.unitId : ''}`;
    if (seen.has(sig)) e[`roles.${i}.role`] = { key: 'userForm.roleDuplicate' };
    seen.add(sig);
  });
  return e;
}

function grants(v: UserFormValues): { role: Role; unitId: string | null }[] {
  return v.roles
    .filter((r): r is RoleRow & { role: Role } => r.role !== '')
    .map((r) => ({ role: r.role, unitId: roleTakesUnit(r.role) && r.unitId !== WHOLE_MUNICIPALITY ? r.unitId : null }));
}

export function toCreateInput(v: UserFormValues): MethodInput<'user.create'> {
  return { username: v.username.trim().toLowerCase(), displayName: v.displayName.trim(), password: v.password, roles: grants(v) };
}

export function toUpdateInput(v: UserFormValues, u: Pick<UserView, 'id' | 'version'>): MethodInput<'user.update'> {
  return { id: u.id, version: u.version, displayName: v.displayName.trim(), roles: grants(v), disabled: v.disabled };
}

/** The form's field paths (for placing the core's issues). */
export function userFieldKnown(path: string, v: UserFormValues): boolean {
  if (['username', 'displayName', 'password', 'roles', 'disabled'].includes(path)) return true;
  const m = /^roles\.(\d+)\.(role|unitId)$/.exec(path);
  return m !== null && Number(m[1]) < v.roles.length;
}

/**
 * The core's refusal of an account → the form's fields (kit/errors.ts's mapping), with the account's own
 * messages: the password policy, a taken user name, a role listed twice (said on that row's role).
 */
export function mapUserError(e: ApiError, v: UserFormValues, passwordMinLength: number): MappedError {
  // A role row's own issue ("roles.2": listed twice) belongs on that row's role picker.
  const onRow = (field: string | undefined) => (field && /^roles\.\d+$/.test(field) ? `${field}.role` : field);
  const e2: ApiError = { ...e, field: onRow(e.field), issues: e.issues?.map((i) => ({ ...i, field: onRow(i.field) ?? '' })) };
  return mapApiError(e2, (f) => userFieldKnown(f, v), {
    issue: (i, field) => {
      if (field === 'password') return passwordIssueMessage(i.code, passwordMinLength, PASSWORD_MAX_LENGTH);
      if (i.code === 'username_format') return { key: 'validation.username_format' };
      if (i.code === 'duplicate' && field === 'username') return { key: 'userForm.usernameTaken' };
      if (i.code === 'duplicate_role') return { key: 'userForm.roleDuplicate' };
      return undefined;
    },
  });
}

// ---- reading an account in the table

export type AccountState = { key: TKey; vars?: Record<string, string>; tone: 'ok' | 'warn' | 'off' };

/** Disabled beats locked-out beats must-change-password beats active. `nowIso` decides whether a lock is still on. */
export function accountState(u: Pick<UserView, 'disabled' | 'lockedUntil' | 'mustChangePassword'>, nowIso: string, fmt: (ts: string) => string): AccountState {
  if (u.disabled) return { key: 'users.status.disabled', tone: 'off' };
  if (u.lockedUntil && u.lockedUntil > nowIso) return { key: 'users.status.lockedUntil', vars: { time: fmt(u.lockedUntil) }, tone: 'warn' };
  if (u.mustChangePassword) return { key: 'users.status.mustChange', tone: 'warn' };
  return { key: 'users.status.active', tone: 'ok' };
}

/** "Skoladministratör, Björkskolan; Granskare" */
export function rolesText(roles: readonly RoleGrantView[], t: (k: TKey) => string): string {
  return roles.map((r) => `${t(`accessRole.${r.role}` as TKey)}, ${r.unitId ? (r.unitName ?? r.unitId) : t('users.wholeMunicipality')}`).join('; ');
}

/**
 * The unit picker's options: the whole municipality first, then per administration the administration
 * itself (a role there covers every unit below it, as the core applies it) and its school units.
 */
export function unitOptions(
  tree: OrgTree | null,
  wholeLabel: string,
  allUnitsOf: (administration: string) => string = (a) => a,
): ({ value: string; label: string } | { group: string; items: { value: string; label: string }[] })[] {
  const out: ({ value: string; label: string } | { group: string; items: { value: string; label: string }[] })[] = [{ value: WHOLE_MUNICIPALITY, label: wholeLabel }];
  if (!tree) return out;
  for (const a of tree.administrations) {
    // In the municipality country's alphabetical order, as the core sorts (shared/collation.ts).
    const units = a.units.filter((u) => u.kind === 'school_unit').map((u) => ({ value: u.id, label: u.name }));
    const items = sortByText(units, (u) => u.label, tree.municipality.country === 'NO' ? 'NO' : 'SE');
    if (items.length) out.push({ group: a.name, items: [{ value: a.id, label: allUnitsOf(a.name) }, ...items] });
  }
  return out;
}

/** Users sorted for the table: active accounts first, then by user name. */
export function sortUsers(list: readonly UserView[]): UserView[] {
  return [...list].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.username.localeCompare(b.username));
}
