/**
 * A tiny hash router: the screen lives in `location.hash`, so a reload (or a bookmark in the browser
 * host) returns to the same record. Hash routing needs no server rewrites under app:// or loopback.
 *
 * Leaving a screen with unsaved changes is guarded: `setLeaveGuard` lets a form intercept every
 * navigation (our own `navigate`, a link, or the Back button) and continue it after the user confirms.
 */
import { useSyncExternalStore, type MouseEvent } from 'react';
import type { Permission } from '../../../shared/domain/access';
import { APPLICATION_FILTERS, LIST_KINDS } from '../../../shared/domain/care';
import { FOI_FILTERS, type FoiFilter } from '../../../shared/domain/foi';
import { WORK_KINDS, WORK_STATES, type WorkKind, type WorkState } from '../../../shared/domain/imports';
import { PERSON_ROLES, PERSON_STATUSES } from '../../../shared/domain/register';
import type { PersonRole, PersonStatus } from './domain';
import type { ListKind, QueueFilter } from './office';

/** The FOI settings screen's two parts: the deadline rules (the default) and the legal grounds. */
export const FOI_SETTINGS_TABS = ['rules', 'grounds'] as const;
export type FoiSettingsTab = (typeof FOI_SETTINGS_TABS)[number];

export type Route =
  | { name: 'search'; q: string }
  | { name: 'persons'; role?: PersonRole; status?: PersonStatus }
  | { name: 'person'; id: string }
  | { name: 'personEdit'; id: string }
  | { name: 'personNew' }
  | { name: 'org' }
  | { name: 'unit'; id: string }
  | { name: 'unitEdit'; id: string }
  | { name: 'unitNew'; parentId?: string }
  | { name: 'group'; id: string; date?: string }
  | { name: 'users' }
  | { name: 'userNew' }
  | { name: 'userEdit'; id: string }
  | { name: 'audit' }
  | { name: 'queue'; filter?: QueueFilter; unitId?: string }
  | { name: 'rollover' }
  | { name: 'placementRules' }
  | { name: 'lists'; unitId?: string; groupId?: string; date?: string; kind?: ListKind; contacts?: boolean }
  | { name: 'imports' }
  | { name: 'importRun'; id: string }
  | { name: 'csvMappings' }
  | { name: 'csvMapping'; mapping: string }
  | { name: 'csvMappingNew' }
  | { name: 'worklist'; state?: WorkState; kind?: WorkKind }
  | { name: 'intake'; year?: number; unitId?: string }
  | { name: 'sync' }
  | { name: 'fees' }
  | { name: 'feeRun'; id: string }
  | { name: 'feeRules' }
  | { name: 'foi'; filter?: FoiFilter; mine?: boolean }
  | { name: 'foiRequest'; id: string }
  | { name: 'foiSettings'; tab?: FoiSettingsTab }
  | { name: 'notFound'; path: string };

export type RouteName = Route['name'];

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;

/** `#/person/<id>?x=y` → a Route. Anything unknown is `notFound` (never an exception). */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const qIndex = raw.indexOf('?');
  const pathPart = qIndex >= 0 ? raw.slice(0, qIndex) : raw;
  const params = new URLSearchParams(qIndex >= 0 ? raw.slice(qIndex + 1) : '');
  const parts = pathPart.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const [a, b, c] = parts;
  const idOk = (s: string | undefined): s is string => s !== undefined && ID.test(s);

  if (parts.length === 0) return { name: 'search', q: params.get('q') ?? '' };
  if (a === 'search' && parts.length === 1) return { name: 'search', q: params.get('q') ?? '' };
  if (a === 'persons' && parts.length === 1) {
    const r: Route = { name: 'persons' };
    const role = oneOf(PERSON_ROLES, params.get('role'));
    const status = oneOf(PERSON_STATUSES, params.get('status'));
    if (role) r.role = role;
    if (status) r.status = status;
    return r;
  }
  if (a === 'person' && idOk(b)) {
    if (parts.length === 2) return { name: 'person', id: b };
    if (parts.length === 3 && c === 'edit') return { name: 'personEdit', id: b };
  }
  if (a === 'new' && parts.length === 2) {
    if (b === 'person') return { name: 'personNew' };
    if (b === 'csv-mapping') return { name: 'csvMappingNew' };
    if (b === 'unit') {
      const parent = params.get('parent');
      return parent && ID.test(parent) ? { name: 'unitNew', parentId: parent } : { name: 'unitNew' };
    }
  }
  if (a === 'org' && parts.length === 1) return { name: 'org' };
  if (a === 'unit' && idOk(b)) {
    if (parts.length === 2) return { name: 'unit', id: b };
    if (parts.length === 3 && c === 'edit') return { name: 'unitEdit', id: b };
  }
  if (a === 'group' && idOk(b) && parts.length === 2) {
    const date = params.get('date');
    return date && DATE.test(date) ? { name: 'group', id: b, date } : { name: 'group', id: b };
  }
  if (a === 'admin' && b === 'users') {
    if (parts.length === 2) return { name: 'users' };
    if (parts.length === 3 && c === 'new') return { name: 'userNew' };
    if (parts.length === 3 && idOk(c)) return { name: 'userEdit', id: c };
  }
  if (a === 'audit' && parts.length === 1) return { name: 'audit' };
  if (a === 'queue' && parts.length === 1) {
    const r: Route = { name: 'queue' };
    const filter = oneOf(APPLICATION_FILTERS, params.get('filter'));
    const unitId = params.get('unitId');
    if (filter) r.filter = filter;
    if (unitId && ID.test(unitId)) r.unitId = unitId;
    return r;
  }
  if (a === 'rollover' && parts.length === 1) return { name: 'rollover' };
  if (a === 'settings' && b === 'placement-rules' && parts.length === 2) return { name: 'placementRules' };
  if (a === 'lists' && parts.length === 1) {
    const r: Route = { name: 'lists' };
    const unitId = params.get('unitId');
    const groupId = params.get('groupId');
    const date = params.get('date');
    const kind = oneOf(LIST_KINDS, params.get('kind'));
    // A group only means something inside its unit.
    if (unitId && ID.test(unitId)) {
      r.unitId = unitId;
      if (groupId && ID.test(groupId)) r.groupId = groupId;
    }
    if (date && DATE.test(date)) r.date = date;
    if (kind) r.kind = kind;
    if (params.get('contacts') === '1') r.contacts = true;
    return r;
  }
  if (a === 'imports') {
    if (parts.length === 1) return { name: 'imports' };
    if (parts.length === 2 && idOk(b)) return { name: 'importRun', id: b };
    // A mapping is named by the clerk (any text up to 80 characters): its name is the last part, encoded.
    if (b === 'csv-mappings' && parts.length === 2) return { name: 'csvMappings' };
    if (b === 'csv-mappings' && parts.length === 3 && c!.trim()) return { name: 'csvMapping', mapping: c! };
  }
  if (a === 'worklist' && parts.length === 1) {
    const r: Route = { name: 'worklist' };
    const state = oneOf(WORK_STATES, params.get('state'));
    const kind = oneOf(WORK_KINDS, params.get('kind'));
    if (state) r.state = state;
    if (kind) r.kind = kind;
    return r;
  }
  if (a === 'intake' && parts.length === 1) {
    const r: Route = { name: 'intake' };
    const year = params.get('year');
    const unitId = params.get('unitId');
    // The contract's range: a mistyped year in a bookmark falls back to the default, not to an error.
    if (year && /^\d{4}$/.test(year) && Number(year) >= 2000 && Number(year) <= 2100) r.year = Number(year);
    if (unitId && ID.test(unitId)) r.unitId = unitId;
    return r;
  }
  if (a === 'sync' && parts.length === 1) return { name: 'sync' };
  if (a === 'fees') {
    if (parts.length === 1) return { name: 'fees' };
    if (parts.length === 2 && b === 'rules') return { name: 'feeRules' };
    if (parts.length === 2 && idOk(b)) return { name: 'feeRun', id: b };
  }
  if (a === 'foi') {
    if (parts.length === 1) {
      const r: Route = { name: 'foi' };
      const filter = oneOf(FOI_FILTERS, params.get('filter'));
      if (filter) r.filter = filter;
      if (params.get('mine') === '1') r.mine = true;
      return r;
    }
    if (parts.length === 2 && idOk(b)) return { name: 'foiRequest', id: b };
    if (parts.length === 2 && b === 'settings') {
      const tab = oneOf(FOI_SETTINGS_TABS, params.get('tab'));
      return tab ? { name: 'foiSettings', tab } : { name: 'foiSettings' };
    }
  }
  return { name: 'notFound', path: pathPart };
}

/** The inverse of parseHash: a Route → `#/…`. */
export function formatRoute(r: Route): string {
  const qs = (o: Record<string, string | undefined>): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) if (v) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  switch (r.name) {
    case 'search':
      return `#/search${qs({ q: r.q })}`;
    case 'persons':
      return `#/persons${qs({ role: r.role, status: r.status })}`;
    case 'person':
      return `#/person/${r.id}`;
    case 'personEdit':
      return `#/person/${r.id}/edit`;
    case 'personNew':
      return '#/new/person';
    case 'org':
      return '#/org';
    case 'unit':
      return `#/unit/${r.id}`;
    case 'unitEdit':
      return `#/unit/${r.id}/edit`;
    case 'unitNew':
      return `#/new/unit${qs({ parent: r.parentId })}`;
    case 'group':
      return `#/group/${r.id}${qs({ date: r.date })}`;
    case 'users':
      return '#/admin/users';
    case 'userNew':
      return '#/admin/users/new';
    case 'userEdit':
      return `#/admin/users/${r.id}`;
    case 'audit':
      return '#/audit';
    case 'queue':
      return `#/queue${qs({ filter: r.filter, unitId: r.unitId })}`;
    case 'rollover':
      return '#/rollover';
    case 'placementRules':
      return '#/settings/placement-rules';
    case 'lists':
      return `#/lists${qs({ unitId: r.unitId, groupId: r.groupId, date: r.date, kind: r.kind, contacts: r.contacts ? '1' : undefined })}`;
    case 'imports':
      return '#/imports';
    case 'importRun':
      return `#/imports/${r.id}`;
    case 'csvMappings':
      return '#/imports/csv-mappings';
    case 'csvMapping':
      return `#/imports/csv-mappings/${encodeURIComponent(r.mapping)}`;
    case 'csvMappingNew':
      return '#/new/csv-mapping';
    case 'worklist':
      return `#/worklist${qs({ state: r.state, kind: r.kind })}`;
    case 'intake':
      return `#/intake${qs({ year: r.year === undefined ? undefined : String(r.year), unitId: r.unitId })}`;
    case 'sync':
      return '#/sync';
    case 'fees':
      return '#/fees';
    case 'feeRun':
      return `#/fees/${r.id}`;
    case 'feeRules':
      return '#/fees/rules';
    case 'foi':
      return `#/foi${qs({ filter: r.filter, mine: r.mine ? '1' : undefined })}`;
    case 'foiRequest':
      return `#/foi/${r.id}`;
    case 'foiSettings':
      return `#/foi/settings${qs({ tab: r.tab })}`;
    case 'notFound':
      return `#${r.path}`;
  }
}

/** The permission a route needs (the core refuses the calls anyway; this keeps the UI from offering them). */
export function routePermission(r: Route): Permission | null {
  switch (r.name) {
    case 'search':
      return 'register.search';
    case 'persons':
    case 'person':
      return 'register.read';
    case 'personEdit':
    case 'personNew':
      return 'register.write';
    case 'org':
    case 'unit':
    case 'group':
      return 'org.read';
    case 'unitEdit':
    case 'unitNew':
      return 'org.write';
    case 'users':
    case 'userNew':
    case 'userEdit':
      return 'access.admin';
    case 'audit':
      return 'audit.read';
    // Everyone who works with placements may read the rules they follow; saving needs municipality-wide org.write.
    case 'queue':
    case 'lists':
    case 'placementRules':
      return 'placement.read';
    case 'rollover':
      return 'placement.rollover';
    case 'imports':
    case 'importRun':
    case 'csvMappings':
    case 'csvMapping':
    case 'csvMappingNew':
    case 'intake':
      return 'register.import';
    case 'worklist':
      return 'worklist.handle';
    // Fees and incomes: the fee administrators' (municipality-wide by nature).
    case 'fees':
    case 'feeRun':
    case 'feeRules':
      return 'fee.read';
    // The request register, its deadline rules and legal grounds: the FOI officers' (municipality-wide by
    // nature); the settings are read with foi.read and changed with foi.write.
    case 'foi':
    case 'foiRequest':
    case 'foiSettings':
      return 'foi.read';
    // Every signed-in user sees their own changes (the core answers only with the caller's).
    case 'sync':
    case 'notFound':
      return null;
  }
}

/** Where a user starts: the search for register users, else the first screen their roles open. */
export function homeRoute(can: (p: Permission) => boolean): Route {
  if (can('register.search')) return { name: 'search', q: '' };
  if (can('access.admin')) return { name: 'users' };
  if (can('audit.read')) return { name: 'audit' };
  if (can('org.read')) return { name: 'org' };
  return { name: 'search', q: '' };
}

// ---------------------------------------------------------------------------------------------
// The live store (browser only)
// ---------------------------------------------------------------------------------------------

/**
 * A guard returns true to block the navigation; it must then call `proceed()` itself once the user
 * confirms (for example from a "discard changes?" dialog), or never to stay.
 */
export type LeaveGuard = (proceed: () => void) => boolean;

let guard: LeaveGuard | null = null;
let currentHash = typeof window === 'undefined' ? '' : window.location.hash;
const listeners = new Set<() => void>();
const parsed = new Map<string, Route>();

export function setLeaveGuard(g: LeaveGuard | null): void {
  guard = g;
}

function emit(): void {
  currentHash = window.location.hash;
  for (const l of listeners) l();
}

function commit(hash: string, replace: boolean): void {
  if (hash === window.location.hash) return;
  if (replace) window.history.replaceState(window.history.state, '', hash);
  else window.history.pushState(null, '', hash);
  emit();
}

/**
 * Runs `go` once leaving the current screen is allowed: at once, or after the user confirmed
 * discarding unsaved changes (signing out from a half-filled form asks first).
 */
export function whenLeaveAllowed(go: () => void): void {
  const proceed = (): void => {
    guard = null;
    go();
  };
  if (guard && guard(proceed)) return;
  proceed();
}

/** Goes to a route, asking the leave guard first. */
export function navigate(to: Route | string, opts: { replace?: boolean; force?: boolean } = {}): void {
  const hash = typeof to === 'string' ? to : formatRoute(to);
  const go = (): void => {
    guard = null;
    commit(hash, opts.replace ?? false);
  };
  if (!opts.force && guard && hash !== window.location.hash && guard(go)) return;
  go();
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const next = window.location.hash;
    if (guard && next !== currentHash) {
      // Back button or a plain link: put the guarded screen back, then ask.
      const target = next;
      window.history.pushState(null, '', currentHash);
      const blocked = guard(() => {
        guard = null;
        commit(target, false);
      });
      if (!blocked) {
        guard = null;
        commit(target, false);
      }
      return;
    }
    emit();
  });
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function snapshot(): Route {
  let r = parsed.get(currentHash);
  if (!r) {
    r = parseHash(currentHash);
    parsed.set(currentHash, r);
  }
  return r;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Props for an <a> that navigates through the router (keeps the guard, middle-click still works). */
export function linkProps(to: Route): { href: string; onClick: (e: MouseEvent) => void } {
  const href = formatRoute(to);
  return {
    href,
    onClick: (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(href);
    },
  };
}
