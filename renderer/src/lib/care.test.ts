import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES, ENROLMENT_FORMS, GUARDIANSHIP_KINDS, PLACEMENT_FORMS, PLACEMENT_REASONS, PLACEMENT_STATUSES, RULES } from '../../../shared/domain/care';
import { catalogs, LANGUAGES } from '../../../shared/i18n';
import {
  byCurrentFirst,
  CARE_ISSUE_CODES,
  checkDates,
  defaultTransferDate,
  defaultPlacementForm,
  foldText,
  groupAliveOn,
  guardianContactState,
  holderCandidates,
  inForce,
  isChildCard,
  matchesQuery,
  noticeLastDayKind,
  parseHours,
  parseShare,
  placementActions,
  shownPersons,
  transferDays,
  type CareCard,
  type GuardianshipView,
} from './care';
import { mapApiError, nearestField } from '../kit/errors';

const has = (key: string) => LANGUAGES.every((l) => typeof (catalogs[l] as Record<string, string>)[key] === 'string');

describe('care messages', () => {
  it('has a clerk’s message for every rule, issue code, status and reason in all three languages', () => {
    const missing = [
      ...RULES.map((r) => `rule.${r}`),
      ...CARE_ISSUE_CODES.map((c) => `care.issue.${c}`),
      ...PLACEMENT_STATUSES.map((s) => `care.placementStatus.${s}`),
      ...APPLICATION_STATUSES.map((s) => `care.applicationStatus.${s}`),
      ...PLACEMENT_REASONS.map((r) => `care.reason.${r}`),
      ...GUARDIANSHIP_KINDS.map((k) => `guardianship.${k}`),
      ...[...PLACEMENT_FORMS, ...ENROLMENT_FORMS].flatMap((f) => [`schoolForm.${f}`, `schoolForm.${f}.short`]),
    ].filter((k) => !has(k));
    expect(missing).toEqual([]);
  });

  it('writes rule messages for clerks, not rule ids', () => {
    for (const l of LANGUAGES) for (const r of RULES) expect((catalogs[l] as Record<string, string>)[`rule.${r}`]).not.toContain('_');
  });
});

describe('picker search', () => {
  it('ignores case and diacritics, Nordic letters included', () => {
    expect(foldText('Östra Ängens förskola')).toBe('ostra angens forskola');
    expect(foldText('Bjørnsletta Æbletre')).toBe('bjornsletta aebletre');
  });

  it('needs every word somewhere among the texts', () => {
    expect(matchesQuery(['Solrosens förskola', 'Norra förvaltningen', '12345678'], 'sol norra')).toBe(true);
    expect(matchesQuery(['Solrosens förskola', 'Norra förvaltningen'], 'solros')).toBe(true);
    expect(matchesQuery(['Solrosens förskola', null, '12345678'], '1234')).toBe(true);
    expect(matchesQuery(['Solrosens förskola', 'Norra förvaltningen'], 'sol södra')).toBe(false);
    expect(matchesQuery(['Solrosens förskola'], '   ')).toBe(true);
  });

  it('keeps a group alive for its school year, 1 August to 31 July', () => {
    expect(groupAliveOn(2025, '2025-08-01')).toBe(true);
    expect(groupAliveOn(2025, '2026-07-31')).toBe(true);
    expect(groupAliveOn(2025, '2025-07-31')).toBe(false);
    expect(groupAliveOn(2025, '2026-08-01')).toBe(false);
    // A date still being typed does not empty the list.
    expect(groupAliveOn(2025, '17/8')).toBe(true);
  });
});

const g = (over: Partial<GuardianshipView>): GuardianshipView => ({
  id: 'g',
  version: 1,
  childId: 'c',
  guardianId: 'a',
  name: 'Andersson, Anna',
  protected: false,
  kind: 'vardnadshavare',
  livesWith: true,
  invoiceShare: 50,
  shielded: false,
  validFrom: '2020-01-01',
  validTo: null,
  contacts: [],
  preferredLanguage: null,
  messagesAllowed: true,
  ...over,
});

describe('who and when', () => {
  it('counts end dates as inclusive and null as open-ended', () => {
    expect(inForce({ validFrom: '2026-01-01', validTo: '2026-01-31' }, '2026-01-31')).toBe(true);
    expect(inForce({ validFrom: '2026-01-01', validTo: '2026-01-31' }, '2026-02-01')).toBe(false);
    expect(inForce({ validFrom: '2026-01-01', validTo: null }, '2099-01-01')).toBe(true);
    expect(inForce({ validFrom: '2026-01-01', validTo: null }, '2025-12-31')).toBe(false);
  });

  it('treats a person as a child by role, by guardians on record, or by age under 18', () => {
    expect(isChildCard(['child'], 0, 30)).toBe(true);
    expect(isChildCard(['guardian'], 1, 40)).toBe(true);
    expect(isChildCard([], 0, 17)).toBe(true);
    expect(isChildCard(['guardian'], 0, 18)).toBe(false);
    expect(isChildCard([], 0, null)).toBe(false);
  });

  it('offers as holders the guardians in force on the start date, never a shielded one, each adult once', () => {
    const rows = [
      g({ id: '1', guardianId: 'mum', name: 'Mum' }),
      g({ id: '2', guardianId: 'dad', name: 'Dad', shielded: true }),
      g({ id: '3', guardianId: 'old', name: 'Old', validTo: '2025-12-31' }),
      g({ id: '4', guardianId: 'new', name: 'New', validFrom: '2027-01-01' }),
      g({ id: '5', guardianId: 'mum', name: 'Mum', validFrom: '2026-03-01' }),
    ];
    expect(holderCandidates(rows, '2026-08-01').map((c) => c.guardianId)).toEqual(['mum']);
    expect(holderCandidates(rows, '2027-02-01').map((c) => c.guardianId)).toEqual(['mum', 'new']);
    expect(holderCandidates(rows, '2025-06-01').map((c) => c.guardianId)).toEqual(['mum', 'old']);
  });

  it('never shows a guardian the child is shielded from as a contact, not even on their older rows', () => {
    const contacts = [{ kind: 'mobile' as const, value: '070-1' }];
    const old = g({ id: 'old', guardianId: 'dad', validTo: '2026-11-22', contacts });
    const now = g({ id: 'now', guardianId: 'dad', validFrom: '2026-11-23', shielded: true });
    const mum = g({ id: 'mum', guardianId: 'mum', contacts });
    const rows = [old, now, mum];
    expect(guardianContactState(now, rows, '2026-12-01', false)).toBe('shielded');
    expect(guardianContactState(old, rows, '2026-12-01', false)).toBe('shielded');
    expect(guardianContactState(mum, rows, '2026-12-01', false)).toBe('show');
    // A shield that ended long ago does not hide today's row.
    const past = [g({ id: 'p', guardianId: 'dad', validTo: '2020-12-31', shielded: true }), g({ id: 'c', guardianId: 'dad', validFrom: '2021-01-01', contacts })];
    expect(guardianContactState(past[1]!, past, '2026-12-01', false)).toBe('show');
  });

  it('shows "Protected" for a protected card or guardian, and no contacts on rows that ended', () => {
    const contacts = [{ kind: 'email' as const, value: 'a@b.se' }];
    expect(guardianContactState(g({ contacts }), [], '2026-12-01', true)).toBe('protected');
    expect(guardianContactState(g({ contacts, protected: true }), [], '2026-12-01', false)).toBe('protected');
    expect(guardianContactState(g({ contacts, validTo: '2025-01-01' }), [], '2026-12-01', false)).toBe('history');
    expect(guardianContactState(g({}), [], '2026-12-01', false)).toBe('none');
  });

  it('lists current rows first, then the rest newest first', () => {
    const rows = [
      { id: 'past', validFrom: '2020-01-01', validTo: '2021-01-01' },
      { id: 'now', validFrom: '2025-01-01', validTo: null },
      { id: 'future', validFrom: '2027-01-01', validTo: null },
      { id: 'older-past', validFrom: '2019-01-01', validTo: '2019-12-31' },
    ];
    expect(byCurrentFirst(rows, '2026-01-01').map((r) => r.id)).toEqual(['now', 'future', 'past', 'older-past']);
  });
});

describe('placement actions', () => {
  it('offers notice and transfer only on an accepted or running place, and no edit of a declined one', () => {
    expect(placementActions('active')).toEqual({ edit: true, notice: true, transfer: true });
    expect(placementActions('accepted')).toEqual({ edit: true, notice: true, transfer: true });
    expect(placementActions('notice_given')).toEqual({ edit: true, notice: false, transfer: false });
    expect(placementActions('offered')).toEqual({ edit: true, notice: false, transfer: false });
    expect(placementActions('ended')).toEqual({ edit: true, notice: false, transfer: false });
    expect(placementActions('declined')).toEqual({ edit: false, notice: false, transfer: false });
  });

  it('reads a typed last day against the computed one: empty or equal, later, earlier', () => {
    expect(noticeLastDayKind('2027-01-31', '')).toBe('computed');
    expect(noticeLastDayKind('2027-01-31', '2027-01-31')).toBe('computed');
    expect(noticeLastDayKind('2027-01-31', '2027-02-28')).toBe('later');
    expect(noticeLastDayKind('2027-01-31', '2026-12-31')).toBe('earlier');
    expect(noticeLastDayKind('2027-01-31', '31/2')).toBe('invalid');
    expect(noticeLastDayKind(null, '2026-12-31')).toBe('computed');
  });

  it('ends a transfer the day before and starts it on the day, across a year end', () => {
    expect(transferDays('2027-01-01')).toEqual({ endsOn: '2026-12-31', startsOn: '2027-01-01' });
    expect(transferDays('2028-03-01')).toEqual({ endsOn: '2028-02-29', startsOn: '2028-03-01' });
    expect(transferDays('2027-02-30')).toBeNull();
  });

  it('proposes a transfer date inside the row: today, but not on its first day nor after its end', () => {
    expect(defaultTransferDate({ validFrom: '2025-08-01', validTo: null }, '2026-03-10')).toBe('2026-03-10');
    expect(defaultTransferDate({ validFrom: '2026-08-01', validTo: null }, '2026-03-10')).toBe('2026-08-02');
    expect(defaultTransferDate({ validFrom: '2026-03-10', validTo: null }, '2026-03-10')).toBe('2026-03-11');
    expect(defaultTransferDate({ validFrom: '2025-08-01', validTo: '2026-01-31' }, '2026-03-10')).toBe('2026-01-31');
  });
});

describe('form checks', () => {
  it('requires, validates and orders dates, saying end_before_start before the round trip', () => {
    const dates = (from: string, to: string) => [
      { field: 'validFrom', value: from, required: true },
      { field: 'validTo', value: to, required: false },
    ];
    const range = { from: 'validFrom', to: 'validTo' };
    expect(checkDates(dates('2026-08-01', ''), range)).toEqual({});
    expect(checkDates(dates('', ''), range)).toEqual({ validFrom: { key: 'validation.required' } });
    expect(checkDates(dates('31/2', ''), range)).toEqual({ validFrom: { key: 'validation.date_invalid' } });
    expect(checkDates(dates('2026-08-01', '2026-07-31'), range)).toEqual({ validTo: { key: 'rule.end_before_start' } });
    expect(checkDates(dates('2026-08-01', '2026-08-01'), range)).toEqual({});
  });

  it('takes whole weekly hours 1–60 and shares 0–100 %', () => {
    expect(parseHours('')).toBeNull();
    expect(parseHours(' 40 ')).toBe(40);
    expect(parseHours('0')).toBe('invalid');
    expect(parseHours('61')).toBe('invalid');
    expect(parseHours('7.5')).toBe('invalid');
    expect(parseShare('50')).toBe(50);
    expect(parseShare('50 %')).toBe(50);
    expect(parseShare('0')).toBe(0);
    expect(parseShare('101')).toBe('invalid');
    expect(parseShare('')).toBe('invalid');
    expect(parseShare('-5')).toBe('invalid');
  });
});

describe('the core’s errors on a dialog', () => {
  const shown = new Set(['validFrom', 'validTo', 'unitId', 'groupId', 'ownerIds', 'lastDay', 'members.1']);
  const known = (f: string) => shown.has(f);

  it('shows a rule violation next to the field the core names, in the rule’s own words', () => {
    expect(mapApiError({ code: 'rule_violation', rule: 'placement_overlap', field: 'validFrom', message: 'placement_overlap: …' }, known)).toEqual({
      fields: { validFrom: { key: 'rule.placement_overlap' } },
      top: [],
    });
  });

  it('walks a nested field up to the one the dialog shows (holder 2 → the holders)', () => {
    expect(mapApiError({ code: 'rule_violation', rule: 'owner_shielded', field: 'ownerIds.1', message: '' }, known).fields).toEqual({ ownerIds: { key: 'rule.owner_shielded' } });
    expect(mapApiError({ code: 'rule_violation', rule: 'household_overlap', field: 'members.1.personId', message: '' }, known).fields).toEqual({ 'members.1': { key: 'rule.household_overlap' } });
    expect(nearestField('a.b.c', (f) => f === 'a')).toBe('a');
    expect(nearestField(undefined, known)).toBe('');
  });

  it('puts a rule violation without a field, or with one the dialog lacks, at the top', () => {
    expect(mapApiError({ code: 'rule_violation', rule: 'notice_state', field: 'id', message: '' }, known)).toEqual({ fields: {}, top: [{ key: 'rule.notice_state' }] });
    expect(mapApiError({ code: 'rule_violation', rule: 'invoice_share_total', message: '' }, known)).toEqual({ fields: {}, top: [{ key: 'rule.invoice_share_total' }] });
  });

  it('never shows an unknown rule id or English text to the clerk', () => {
    expect(mapApiError({ code: 'rule_violation', rule: 'made_up_rule', field: 'validFrom', message: 'made_up_rule: x' }, known).fields.validFrom).toEqual({ key: 'care.error.rule' });
  });

  it('maps validation issues by field, with care codes, shared codes and a general fallback', () => {
    const r = mapApiError(
      {
        code: 'validation',
        message: '',
        issues: [
          { field: 'weeklyHours', code: 'hours_range', message: '' },
          { field: 'validFrom', code: 'date_invalid', message: '' },
          { field: 'validTo', code: 'something_new', message: '' },
          { field: 'schedule.mon', code: 'time_span', message: '' },
        ],
      },
      (f) => known(f) || f === 'weeklyHours',
    );
    expect(r.fields).toEqual({ weeklyHours: { key: 'care.issue.hours_range' }, validFrom: { key: 'validation.date_invalid' }, validTo: { key: 'validation.invalid' } });
    expect(r.top).toEqual([{ key: 'care.issue.time_span' }]);
  });

  it('keeps the first message when two land on one field', () => {
    const r = mapApiError(
      { code: 'validation', message: '', issues: [{ field: 'ownerIds.0', code: 'uuid', message: '' }, { field: 'ownerIds.1', code: 'required', message: '' }] },
      known,
    );
    expect(r.fields).toEqual({ ownerIds: { key: 'validation.invalid' } });
  });

  it('says conflict, forbidden, not found and failures at the top; a missing unit next to its picker', () => {
    expect(mapApiError({ code: 'conflict', message: '' }, known).top).toEqual([{ key: 'care.error.conflict' }]);
    expect(mapApiError({ code: 'forbidden', message: '' }, known).top).toEqual([{ key: 'error.forbidden' }]);
    expect(mapApiError({ code: 'not_found', field: 'id', message: '' }, known).top).toEqual([{ key: 'error.not_found' }]);
    expect(mapApiError({ code: 'not_found', field: 'unitId', message: '' }, known).fields).toEqual({ unitId: { key: 'care.error.notFoundField' } });
    expect(mapApiError({ code: 'internal', message: '' }, known).top).toEqual([{ key: 'error.saveFailed' }]);
  });

  it('only hands out message ids that exist in every language', () => {
    const errors = [
      mapApiError({ code: 'conflict', message: '' }, known),
      mapApiError({ code: 'not_found', field: 'unitId', message: '' }, known),
      mapApiError({ code: 'rule_violation', rule: 'nope', message: '' }, known),
      mapApiError({ code: 'internal', message: '' }, known),
      mapApiError({ code: 'validation', message: '', issues: CARE_ISSUE_CODES.map((c) => ({ field: 'x', code: c, message: '' })) }, known),
    ];
    const keys = errors.flatMap((e) => [...Object.values(e.fields), ...e.top].map((x) => x.key as string));
    expect(keys.filter((k) => !has(k))).toEqual([]);
  });
});

describe('defaultPlacementForm', () => {
  it('is preschool before school age and after-school care from the autumn the child turns 6', () => {
    expect(defaultPlacementForm('SE', '2022-03-01', '2026-11-23')).toBe('FS');
    expect(defaultPlacementForm('SE', '2020-12-31', '2026-11-23')).toBe('FTH');
    expect(defaultPlacementForm('SE', '2021-01-01', '2026-11-23')).toBe('FS');
    expect(defaultPlacementForm('NO', '2018-05-05', '2026-11-23')).toBe('SFO');
    expect(defaultPlacementForm('NO', null, '2026-11-23')).toBe('BHG');
    // Spring: the school year began the previous autumn.
    expect(defaultPlacementForm('SE', '2020-06-01', '2027-03-01')).toBe('FTH');
    expect(defaultPlacementForm('SE', '2021-06-01', '2027-03-01')).toBe('FS');
  });
});

describe('the persons a card shows', () => {
  it('the person, the guardians, the children and every member of the current households: a sync change to any refreshes the card', () => {
    const ref = (id: string) => ({ id, name: id, protected: false });
    const care = {
      guardianships: [{ guardianId: 'mother', childId: 'me' }, { guardianId: 'father', childId: 'me' }],
      childrenOf: [{ guardianId: 'me', childId: 'kid' }],
      households: [{ id: 'h1', members: [{ person: ref('me') }, { person: ref('stepfather') }, { person: ref('sibling') }] }],
    } as unknown as CareCard;
    expect([...shownPersons('me', care)].sort()).toEqual(['father', 'kid', 'me', 'mother', 'sibling', 'stepfather']);
    // Before the care part has come: the person alone.
    expect([...shownPersons('me', null)]).toEqual(['me']);
  });
});
