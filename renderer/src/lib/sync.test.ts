// @vitest-environment jsdom
/**
 * The sync screens' logic: which rows a conflict shows and which the clerk chooses, the side chosen by
 * default, the person.update a choice makes (on the current card's version), the words of the header, and
 * when a status is announced.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n, setLang, type TFn } from './i18n';
import { announcement, canChoose, conflictRows, defaultSide, recordOf, resolvedUpdate, statusParts, valueText, type SyncConflict } from './sync';
import { ADDRESS_ID, cardNow, joinedStatus, PERSON_ID, personConflict, placementConflict, PROTECTED_ID, rejectedConflict } from './sync.fixtures';

let t: TFn;
beforeAll(() => {
  const i18n = initI18n();
  setLang('sv');
  t = (k, v) => i18n.t(k, v ?? {});
});

describe('conflict rows', () => {
  it('one row per field the clerk judges: derived columns and the repeated name row left out, the address rows as one list', () => {
    const rows = conflictRows(personConflict);
    expect(rows.map((r) => r.key)).toEqual(['givenName', 'familyName', 'messagesAllowed', 'addresses']);
    expect(rows.map((r) => r.choice)).toEqual(['givenName', 'familyName', 'messagesAllowed', 'addresses']);
    const addr = rows.find((r) => r.key === 'addresses')!;
    expect(addr.base).toEqual([{ street: 'Provgatan 1' }]);
    expect(addr.theirs).toEqual([{ street: 'Provgatan 5' }]);
    expect(addr.mine).toEqual([{ street: 'Provgatan 9' }]);
  });

  it('the server’s side by default where the server changed the field, else mine', () => {
    const side = Object.fromEntries(conflictRows(personConflict).map((r) => [r.key, defaultSide(r)]));
    expect(side).toEqual({ givenName: 'theirs', familyName: 'mine', messagesAllowed: 'mine', addresses: 'theirs' });
  });

  it('only a person update is chosen field by field; other methods and refusals show their fields without a choice', () => {
    expect(canChoose(personConflict, conflictRows(personConflict))).toBe(true);
    const other = conflictRows(placementConflict);
    expect(other.map((r) => [r.key, r.choice])).toEqual([['weeklyHours', null]]);
    expect(canChoose(placementConflict, other)).toBe(false);
    expect(canChoose(rejectedConflict, conflictRows(rejectedConflict))).toBe(false);
  });

  it('a field a person update did not send is shown but not chosen (it would not reach the new update)', () => {
    const c: SyncConflict = { ...personConflict, fields: [{ entity: 'person', id: PERSON_ID, field: 'registeredMunicipality', base: '0180', theirs: '0181', mine: '0180' }] };
    expect(conflictRows(c).map((r) => r.choice)).toEqual([null]);
  });

  it('the same field name from two records gets keys of its own', () => {
    const c: SyncConflict = {
      ...placementConflict,
      fields: [
        { entity: 'placement', id: 'a', field: 'validTo', base: null, theirs: '2026-12-31', mine: '2026-11-30' },
        { entity: 'placement', id: 'b', field: 'validTo', base: null, theirs: null, mine: '2027-01-01' },
      ],
    };
    expect(conflictRows(c).map((r) => r.key)).toEqual(['validTo', 'validTo-2']);
  });
});

describe('the update a choice makes', () => {
  it('starts from the input as sent, puts in the server’s values where chosen, on the current version', () => {
    const rows = conflictRows(personConflict);
    const input = resolvedUpdate(personConflict, rows, { familyName: 'theirs', givenName: 'mine' }, cardNow, { today: '2026-11-23', demo: true });
    expect(input.version).toBe(4);
    expect(input.id).toBe(PERSON_ID);
    expect(input.mode).toBe('change');
    expect(input.person.givenName).toBe('Adeline');
    expect(input.person.familyName).toBe('Testsson');
    // Not touched by the clerk: messagesAllowed keeps mine (the default where the server did not change it),
    // the address takes the server's list (the default where the server changed it).
    expect(input.person.messagesAllowed).toBe(false);
    expect(input.person.addresses).toEqual([{ id: ADDRESS_ID, kind: 'registered', careOf: null, street: 'Provgatan 5', postalCode: '123 45', city: 'Exempelby', country: 'SE' }]);
    expect(input.person.nationality).toBe('SE');
  });

  it('a protected person’s lists are withheld from the card: choosing theirs leaves them out of the update', () => {
    const rows = conflictRows(personConflict);
    const input = resolvedUpdate(personConflict, rows, {}, { ...cardNow, shielded: true, addresses: [], contacts: [] }, { today: '2026-11-23', demo: true });
    expect('addresses' in input.person).toBe(false);
  });
});

describe('words', () => {
  it('the header: online, or offline since the last sync (a time today, a date on another day), then the counts', () => {
    expect(statusParts(joinedStatus(), t, 'sv', '2026-11-23')).toEqual({
      link: 'Ansluten',
      full: 'Ansluten',
      counts: [
        { kind: 'pending', text: '1 väntar' },
        { kind: 'conflicts', text: '2 konflikter' },
        { kind: 'rejected', text: '1 avvisad' },
      ],
    });
    const off = statusParts(joinedStatus({ online: false, pending: 0, conflicts: 0, rejected: 0, lastSyncAt: '2026-11-23T13:02:00' }), t, 'sv', '2026-11-23');
    // The header shows "Offline" alone (room for the search box at 1366 px); since when is in the spoken label
    // and the tooltip, with the date on another day.
    expect(off).toEqual({ link: 'Offline', full: 'Offline sedan 13:02', counts: [] });
    const earlier = statusParts(joinedStatus({ online: false, lastSyncAt: '2026-11-20T13:02:00' }), t, 'sv', '2026-11-23');
    expect(earlier.link).toBe('Offline');
    expect(earlier.full).toMatch(/^Offline sedan 2026-11-20.*13:02/);
    expect(statusParts(joinedStatus({ online: false, lastSyncAt: null }), t, 'sv', '2026-11-23')).toMatchObject({ link: 'Offline', full: 'Offline' });
  });

  it('values: empty, yes/no for stored flags, dates the local way, records as text', () => {
    expect(valueText(null, t, 'sv')).toBe('tomt');
    expect(valueText(0, t, 'sv', 'messagesAllowed')).toBe('Nej');
    expect(valueText(30, t, 'sv', 'weeklyHours')).toBe('30');
    expect(valueText('2026-12-01', t, 'nb')).toBe('01.12.2026');
    expect(valueText([{ id: 'x', street: 'Provgatan 5', city: 'Exempelby' }], t, 'sv')).toBe('Provgatan 5, Exempelby');
  });

  it('an announcement only when conflicts or refusals grew', () => {
    const base = { online: true, pending: 0, conflicts: 1, rejected: 0 };
    expect(announcement(null, base, t)).toMatch(/krockar/);
    expect(announcement(base, base, t)).toBeNull();
    expect(announcement(base, { ...base, pending: 4 }, t)).toBeNull();
    expect(announcement(base, { ...base, conflicts: 0 }, t)).toBeNull();
    expect(announcement(base, { ...base, conflicts: 2 }, t)).toMatch(/^2 av dina ändringar krockar/);
    expect(announcement(base, { ...base, rejected: 1 }, t)).toMatch(/tog inte emot/);
  });

  it('the record a change opens: a person method’s own person, else the first person it concerns', () => {
    expect(recordOf(personConflict)).toBe(PERSON_ID);
    expect(recordOf(rejectedConflict)).toBe(PROTECTED_ID);
  });
});
