import { describe, expect, it } from 'vitest';
import type { Permission } from '../../../shared/domain/access';
import { formatRoute, homeRoute, parseHash, routePermission, type Route } from './router';

const ID = '0123abcd-0000-4000-8000-00000000002a';
const ID2 = '0123abcd-0000-4000-8000-00000000002b';

describe('hash router', () => {
  it('round-trips every route', () => {
    const routes: Route[] = [
      { name: 'search', q: '' },
      { name: 'search', q: 'anna ö' },
      { name: 'persons' },
      { name: 'persons', role: 'child', status: 'active' },
      { name: 'person', id: ID },
      { name: 'personEdit', id: ID },
      { name: 'personNew' },
      { name: 'org' },
      { name: 'unit', id: ID },
      { name: 'unitEdit', id: ID },
      { name: 'unitNew' },
      { name: 'unitNew', parentId: ID },
      { name: 'group', id: ID },
      { name: 'group', id: ID, date: '2025-09-01' },
      { name: 'users' },
      { name: 'userNew' },
      { name: 'userEdit', id: ID },
      { name: 'audit' },
      { name: 'queue' },
      { name: 'queue', filter: 'overdue' },
      { name: 'queue', filter: 'all', unitId: ID },
      { name: 'rollover' },
      { name: 'placementRules' },
      { name: 'lists' },
      { name: 'lists', unitId: ID },
      { name: 'lists', unitId: ID, groupId: ID2, date: '2026-08-17', kind: 'placements', contacts: true },
      { name: 'imports' },
      { name: 'importRun', id: ID },
      { name: 'csvMappings' },
      { name: 'csvMapping', mapping: 'Extens (demo)' },
      { name: 'csvMapping', mapping: 'SATS GS 2019/2020 #2 ?ä' },
      { name: 'csvMapping', mapping: 'new' },
      { name: 'csvMappingNew' },
      { name: 'worklist' },
      { name: 'worklist', state: 'dismissed', kind: 'custody' },
      { name: 'intake' },
      { name: 'intake', year: 2027, unitId: ID },
      { name: 'fees' },
      { name: 'feeRun', id: ID },
      { name: 'foi' },
      { name: 'foi', filter: 'overdue' },
      { name: 'foi', filter: 'all', mine: true },
      { name: 'foiRequest', id: ID },
      { name: 'foiSettings' },
      { name: 'foiSettings', tab: 'rules' },
      { name: 'foiSettings', tab: 'grounds' },
    ];
    for (const r of routes) expect(parseHash(formatRoute(r))).toEqual(r);
  });

  it('treats an empty hash as the search screen', () => {
    expect(parseHash('')).toEqual({ name: 'search', q: '' });
    expect(parseHash('#/')).toEqual({ name: 'search', q: '' });
    expect(parseHash('#/search?q=19850709')).toEqual({ name: 'search', q: '19850709' });
  });

  it('never throws on junk and ignores bad parameters', () => {
    expect(parseHash('#/person/not-a-uuid').name).toBe('notFound');
    expect(parseHash('#/person/%E0%A4%A').name).toBe('notFound');
    expect(parseHash('#/nowhere').name).toBe('notFound');
    expect(parseHash('#/persons?role=admin&status=x')).toEqual({ name: 'persons' });
    expect(parseHash(`#/group/${ID}?date=2025-13`)).toEqual({ name: 'group', id: ID });
    expect(parseHash(`#/new/unit?parent=x`)).toEqual({ name: 'unitNew' });
  });

  it('names a CSV mapping by its encoded name; a blank or nested name is no mapping', () => {
    expect(formatRoute({ name: 'csvMapping', mapping: 'a/b c' })).toBe('#/imports/csv-mappings/a%2Fb%20c');
    expect(parseHash('#/imports/csv-mappings/Extens%20(demo)')).toEqual({ name: 'csvMapping', mapping: 'Extens (demo)' });
    expect(parseHash('#/imports/csv-mappings/%20').name).toBe('notFound');
    expect(parseHash('#/imports/csv-mappings/a/b').name).toBe('notFound');
    expect(parseHash('#/new/csv-mapping')).toEqual({ name: 'csvMappingNew' });
    for (const r of [{ name: 'csvMappings' }, { name: 'csvMapping', mapping: 'x' }, { name: 'csvMappingNew' }] as const) expect(routePermission(r)).toBe('register.import');
  });

  it('parses the administration and audit addresses', () => {
    expect(parseHash('#/admin/users')).toEqual({ name: 'users' });
    expect(parseHash('#/admin/users/new')).toEqual({ name: 'userNew' });
    expect(parseHash(`#/admin/users/${ID}`)).toEqual({ name: 'userEdit', id: ID });
    expect(parseHash('#/admin/users/nobody').name).toBe('notFound');
    expect(parseHash('#/audit')).toEqual({ name: 'audit' });
  });

  it('starts each role on a screen it may open', () => {
    const can = (...ps: Permission[]) => (p: Permission) => ps.includes(p);
    expect(homeRoute(can('register.search', 'register.read', 'org.read'))).toEqual({ name: 'search', q: '' });
    expect(homeRoute(can('access.admin', 'org.read', 'org.write'))).toEqual({ name: 'users' });
    expect(homeRoute(can('audit.read'))).toEqual({ name: 'audit' });
    expect(homeRoute(can('org.read'))).toEqual({ name: 'org' });
    expect(routePermission({ name: 'users' })).toBe('access.admin');
    expect(routePermission({ name: 'audit' })).toBe('audit.read');
    expect(routePermission({ name: 'personNew' })).toBe('register.write');
    expect(routePermission({ name: 'notFound', path: '/x' })).toBeNull();
    expect(routePermission({ name: 'fees' })).toBe('fee.read');
    expect(routePermission({ name: 'feeRun', id: ID })).toBe('fee.read');
    expect(routePermission({ name: 'foi' })).toBe('foi.read');
    expect(routePermission({ name: 'foiRequest', id: ID })).toBe('foi.read');
    expect(parseHash('#/fees/not-a-run').name).toBe('notFound');
  });

  it('opens the FOI settings at #/foi/settings (the grounds as a tab in the address) for anyone who reads FOI requests', () => {
    expect(formatRoute({ name: 'foiSettings' })).toBe('#/foi/settings');
    expect(formatRoute({ name: 'foiSettings', tab: 'grounds' })).toBe('#/foi/settings?tab=grounds');
    expect(parseHash('#/foi/settings')).toEqual({ name: 'foiSettings' });
    expect(parseHash('#/foi/settings?tab=grounds')).toEqual({ name: 'foiSettings', tab: 'grounds' });
    // An unknown tab falls back to the first; the settings are no request, and nothing lives below them.
    expect(parseHash('#/foi/settings?tab=holidays')).toEqual({ name: 'foiSettings' });
    expect(parseHash('#/foi/settings/grounds').name).toBe('notFound');
    expect(parseHash('#/foi/setting').name).toBe('notFound');
    expect(parseHash(`#/foi/${ID}`)).toEqual({ name: 'foiRequest', id: ID });
    expect(routePermission({ name: 'foiSettings' })).toBe('foi.read');
    expect(routePermission({ name: 'foiSettings', tab: 'grounds' })).toBe('foi.read');
  });

  it('keeps the parameters of the office screens in the address, dropping what is not valid', () => {
    expect(parseHash(`#/queue?filter=overdue&unitId=${ID}`)).toEqual({ name: 'queue', filter: 'overdue', unitId: ID });
    expect(parseHash('#/queue?filter=late&unitId=x')).toEqual({ name: 'queue' });
    expect(parseHash(`#/lists?unitId=${ID}&groupId=${ID2}&date=2026-08-17&kind=placements&contacts=1`)).toEqual({
      name: 'lists',
      unitId: ID,
      groupId: ID2,
      date: '2026-08-17',
      kind: 'placements',
      contacts: true,
    });
    // A group without its unit, a malformed date or kind, and contacts=yes are ignored.
    expect(parseHash(`#/lists?groupId=${ID2}&date=17.8.2026&kind=pupils&contacts=yes`)).toEqual({ name: 'lists' });
    expect(formatRoute({ name: 'lists', unitId: ID, contacts: false })).toBe(`#/lists?unitId=${ID}`);
    expect(parseHash('#/rollover/now').name).toBe('notFound');
  });

  it('opens the queue and lists with placement.read and the rollover only with placement.rollover', () => {
    expect(routePermission({ name: 'queue' })).toBe('placement.read');
    expect(routePermission({ name: 'lists' })).toBe('placement.read');
    expect(routePermission({ name: 'rollover' })).toBe('placement.rollover');
  });

  it('opens the placement rules at #/settings/placement-rules for anyone who reads placements', () => {
    expect(formatRoute({ name: 'placementRules' })).toBe('#/settings/placement-rules');
    expect(parseHash('#/settings/placement-rules')).toEqual({ name: 'placementRules' });
    expect(parseHash('#/settings').name).toBe('notFound');
    expect(parseHash('#/settings/placement-rules/edit').name).toBe('notFound');
    expect(routePermission({ name: 'placementRules' })).toBe('placement.read');
  });

  it('keeps the folkbokföring screens’ filters in the address and asks for their permissions', () => {
    expect(parseHash(`#/imports/${ID}`)).toEqual({ name: 'importRun', id: ID });
    expect(parseHash('#/imports/not-a-run').name).toBe('notFound');
    expect(parseHash('#/worklist?state=closed&kind=moved_out')).toEqual({ name: 'worklist', kind: 'moved_out' });
    expect(parseHash('#/intake?year=27&unitId=nope')).toEqual({ name: 'intake' });
    expect(parseHash('#/intake?year=2027')).toEqual({ name: 'intake', year: 2027 });
    expect(routePermission({ name: 'imports' })).toBe('register.import');
    expect(routePermission({ name: 'importRun', id: ID })).toBe('register.import');
    expect(routePermission({ name: 'intake' })).toBe('register.import');
    expect(routePermission({ name: 'worklist' })).toBe('worklist.handle');
  });
});
