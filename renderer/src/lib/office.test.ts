import { describe, expect, it } from 'vitest';
import type { OrgTree } from './domain';
import {
  guaranteeBadge,
  noRightMsg,
  queueWords,
  applicationField,
  base64Bytes,
  childHits,
  clampOffset,
  comingSchoolYearStart,
  contactLine,
  emptyApplication,
  generalMsg,
  listExportInput,
  listQueryFrom,
  moveItem,
  offerDefaults,
  pageRange,
  parseHours,
  queueActions,
  queueFormsFor,
  queueInput,
  rolloverCommitInput,
  rolloverHasChanges,
  rolloverPreviewInput,
  rolloverUnitOptions,
  ruleMsg,
  sameScope,
  serverErrors,
  toAnswerInput,
  toApplicationInput,
  toOfferInput,
  validateAnswer,
  validateApplication,
  validateOffer,
  type ApplicationValues,
  type ApplicationView,
} from './office';

const U1 = '0123abcd-0000-4000-8000-000000000001';
const U2 = '0123abcd-0000-4000-8000-000000000002';
const U3 = '0123abcd-0000-4000-8000-000000000003';
const ADM = '0123abcd-0000-4000-8000-0000000000a1';
const CHILD = '0123abcd-0000-4000-8000-0000000000c1';
const APP = '0123abcd-0000-4000-8000-0000000000e1';

const app: ApplicationView = {
  id: APP,
  version: 4,
  child: { id: CHILD, name: 'Berg, Alva', protected: false },
  birthDate: '2024-03-02',
  schoolForm: 'FS',
  appliedOn: '2026-02-01',
  wishedStart: '2026-08-17',
  weeklyHours: 35,
  status: 'queued',
  guaranteeDate: '2026-08-17',
  overdue: false,
  guarantee: { rule: 'se_guarantee', daysLeft: 90, dueBy: '2026-08-17', daysOverdue: null, urgency: 'ok', noRight: null, admission: null },
  // Out of rank order on purpose: the family's order is the rank, not the array order.
  choices: [
    { rank: 2, unitId: U2, unitName: 'Solrosen' },
    { rank: 1, unitId: U1, unitName: 'Blåklinten' },
  ],
  siblings: [],
  offer: null,
  note: null,
};

const has = (keys: string[]) => (k: string) => keys.includes(k);

describe('queue', () => {
  it('asks for a page of one filter, with the unit only when chosen', () => {
    expect(queueInput('overdue', null, 50)).toEqual({ filter: 'overdue', offset: 50, limit: 50 });
    expect(queueInput('open', U1, 0, 20)).toEqual({ filter: 'open', unitId: U1, offset: 0, limit: 20 });
  });

  it('offers a place while queued and takes the answer while an offer is open', () => {
    expect(queueActions(app)).toEqual({ offer: true, answer: false, withdraw: true });
    const offered = { status: 'offered' as const, offer: { placementId: U3, unitId: U1, unitName: 'Blåklinten', groupName: null, start: '2026-08-17', answerBy: null } };
    expect(queueActions(offered)).toEqual({ offer: false, answer: true, withdraw: true });
    expect(queueActions({ status: 'placed', offer: null })).toEqual({ offer: false, answer: false, withdraw: false });
    expect(queueActions({ status: 'withdrawn', offer: null })).toEqual({ offer: false, answer: false, withdraw: false });
  });

  it('queues Swedish children for förskola or pedagogisk omsorg and Norwegian ones for barnehage', () => {
    expect(queueFormsFor('SE')).toEqual(['FS', 'PO']);
    expect(queueFormsFor('NO')).toEqual(['BHG']);
    expect(emptyApplication('2026-05-04', 'NO').schoolForm).toBe('BHG');
  });

  it('pages as "51–100 of 120" and steps back when the last row of the last page went away', () => {
    expect(pageRange(50, 50, 120)).toEqual({ first: 51, last: 100, hasPrev: true, hasNext: true });
    expect(pageRange(0, 0, 0)).toEqual({ first: 0, last: 0, hasPrev: false, hasNext: false });
    expect(clampOffset(100, 100, 50)).toBe(50);
    expect(clampOffset(100, 0, 50)).toBe(0);
    expect(clampOffset(50, 120, 50)).toBe(50);
  });
});

describe('the guarantee badge and the Norwegian wording', () => {
  const day = (iso: string) => `<${iso}>`;
  const g = (x: Partial<ApplicationView['guarantee']>): Pick<ApplicationView, 'guarantee'> => ({ guarantee: { ...app.guarantee, ...x } });

  it('days left, neutral while far and amber within the core’s window; today; by the last day; overdue in red; met in green', () => {
    expect(guaranteeBadge(g({ urgency: 'ok', daysLeft: 90 }), day)).toEqual({ tone: 'neutral', msg: { key: 'queue.badge.daysLeft', vars: { count: 90 } } });
    expect(guaranteeBadge(g({ urgency: 'soon', daysLeft: 3 }), day)).toEqual({ tone: 'warn', msg: { key: 'queue.badge.daysLeft', vars: { count: 3 } } });
    expect(guaranteeBadge(g({ urgency: 'soon', daysLeft: 0 }), day)).toEqual({ tone: 'warn', msg: { key: 'queue.badge.today' } });
    // Norway, inside the month the right applies in: the date has come, the last day has not.
    expect(guaranteeBadge(g({ rule: 'no_right_to_place', urgency: 'soon', daysLeft: -5, dueBy: '2026-08-31' }), day)).toEqual({
      tone: 'warn',
      msg: { key: 'queue.badge.dueBy', vars: { date: '<2026-08-31>' } },
    });
    expect(guaranteeBadge(g({ urgency: 'overdue', daysLeft: -12, daysOverdue: 12 }), day)).toEqual({ tone: 'danger', msg: { key: 'queue.badge.overdue', vars: { count: 12 } } });
    expect(guaranteeBadge(g({ urgency: 'met', daysLeft: -3 }), day)).toEqual({ tone: 'ok', msg: { key: 'queue.badge.met' } });
    expect(guaranteeBadge(g({ urgency: null, daysLeft: 10 }), day)).toBeNull();
  });

  it('no statutory right: a neutral badge and the reason with the admission’s year and deadline', () => {
    const none = g({ rule: 'no_right_to_place', urgency: null, daysLeft: null, dueBy: null, noRight: 'after_deadline', admission: { year: 2026, deadline: '2026-03-01', placesFrom: '2026-08-01' } });
    expect(guaranteeBadge(none, day)).toEqual({ tone: 'neutral', msg: { key: 'queue.badge.noRight' } });
    expect(noRightMsg(none, day)).toEqual({ key: 'queue.noRight.after_deadline', vars: { year: 2026, deadline: '<2026-03-01>' } });
    expect(noRightMsg(app, day)).toBeNull();
  });

  it('barnehage and the right to a place in a Norwegian municipality, the guarantee in a Swedish one', () => {
    expect(queueWords('NO')).toEqual({ title: 'queue.no.title', intro: 'queue.no.intro', guaranteeCol: 'queue.no.col.guarantee', overdueCount: 'queue.no.overdueCount' });
    expect(queueWords('SE').guaranteeCol).toBe('queue.col.guarantee');
  });
});

describe('offer dialog', () => {
  it('defaults to the first choice, the wished start, an answer within two weeks and the hours applied for', () => {
    expect(offerDefaults(app, '2026-05-04')).toEqual({ unitId: U1, groupId: null, start: '2026-08-17', answerBy: '2026-05-18', weeklyHours: '35' });
  });

  it('never suggests a start that has already passed', () => {
    expect(offerDefaults({ ...app, wishedStart: '2026-01-10', weeklyHours: null }, '2026-05-04')).toMatchObject({ start: '2026-05-04', weeklyHours: '' });
  });

  it('needs a unit and real dates, and whole hours from 1 to 60', () => {
    const v = offerDefaults(app, '2026-05-04');
    expect(validateOffer(v)).toEqual({});
    expect(validateOffer({ ...v, unitId: null, start: '2026-02-30', answerBy: '', weeklyHours: '61' })).toEqual({
      unitId: { key: 'validation.required' },
      start: { key: 'validation.date_invalid' },
      answerBy: { key: 'validation.required' },
      weeklyHours: { key: 'office.validation.hoursRange' },
    });
  });

  it('sends the application version and leaves hours out when not stated', () => {
    const v = { ...offerDefaults(app, '2026-05-04'), weeklyHours: ' ' };
    expect(toOfferInput(v, app)).toEqual({ id: APP, version: 4, unitId: U1, groupId: null, start: '2026-08-17', answerBy: '2026-05-18', weeklyHours: null });
  });
});

describe('answer dialog', () => {
  it('needs a yes or a no', () => {
    expect(validateAnswer({ accept: null, keepInQueue: true })).toEqual({ accept: { key: 'office.validation.answerRequired' } });
    expect(validateAnswer({ accept: false, keepInQueue: false })).toEqual({});
  });

  it('accepts with no holders named, so the core lets the guardians hold the place', () => {
    expect(toAnswerInput({ accept: true, keepInQueue: false }, app)).toEqual({ id: APP, version: 4, accept: true, ownerIds: [], keepInQueue: true });
  });

  it('declines keeping the application in the queue or withdrawing it', () => {
    expect(toAnswerInput({ accept: false, keepInQueue: true }, app)).toMatchObject({ accept: false, keepInQueue: true });
    expect(toAnswerInput({ accept: false, keepInQueue: false }, app)).toMatchObject({ accept: false, keepInQueue: false });
  });
});

describe('new application', () => {
  const filled = (): ApplicationValues => ({
    ...emptyApplication('2026-05-04', 'SE'),
    child: { id: CHILD, label: 'Berg, Alva', birthDate: '2024-03-02', protected: false },
    wishedStart: '2026-08-17',
    weeklyHours: '30',
    choices: [
      { key: 'a', unitId: U2 },
      { key: 'b', unitId: U1 },
    ],
    note: '  Syskon på Solrosen ',
  });

  it('starts today with one empty choice', () => {
    const v = emptyApplication('2026-05-04', 'SE');
    expect(v).toMatchObject({ child: null, schoolForm: 'FS', appliedOn: '2026-05-04', wishedStart: '', weeklyHours: '', note: '' });
    expect(v.choices).toHaveLength(1);
    expect(v.choices[0]?.unitId).toBeNull();
  });

  it('moves a choice up or down and ignores moves past either end', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('sends the choices in the order shown, the note trimmed', () => {
    expect(validateApplication(filled())).toEqual({});
    expect(toApplicationInput(filled())).toEqual({
      childId: CHILD,
      schoolForm: 'FS',
      appliedOn: '2026-05-04',
      wishedStart: '2026-08-17',
      weeklyHours: 30,
      unitIds: [U2, U1],
      note: 'Syskon på Solrosen',
    });
    expect(toApplicationInput({ ...filled(), note: '   ', weeklyHours: '' })).toMatchObject({ note: null, weeklyHours: null });
  });

  it('names every missing or wrong field, including an empty or repeated choice', () => {
    const v: ApplicationValues = {
      ...filled(),
      child: null,
      wishedStart: '2026-04-01',
      weeklyHours: '7.5',
      choices: [
        { key: 'a', unitId: U1 },
        { key: 'b', unitId: null },
        { key: 'c', unitId: U1 },
      ],
      note: 'x'.repeat(501),
    };
    expect(validateApplication(v)).toEqual({
      child: { key: 'validation.required' },
      wishedStart: { key: 'queue.create.startBeforeApplied' },
      weeklyHours: { key: 'office.validation.hoursRange' },
      'choices.1': { key: 'validation.required' },
      'choices.2': { key: 'office.validation.choiceDuplicate' },
      note: { key: 'validation.too_long_max', vars: { max: 500 } },
    });
    expect(validateApplication({ ...filled(), choices: [] })).toEqual({ choices: { key: 'office.validation.choicesRequired' } });
  });

  it('reads hours as whole numbers only', () => {
    expect(parseHours('')).toBeNull();
    expect(parseHours(' 40 ')).toBe(40);
    expect(parseHours('0')).toBe('invalid');
    expect(parseHours('60')).toBe(60);
    expect(parseHours('-5')).toBe('invalid');
    expect(parseHours('35h')).toBe('invalid');
  });

  it('places the core\u2019s unitIds paths on the choice rows', () => {
    const v = filled();
    expect(applicationField('childId', v)).toBe('child');
    expect(applicationField('unitIds.1', v)).toBe('choices.1');
    expect(applicationField('unitIds.7', v)).toBe('choices');
    expect(applicationField('unitIds', v)).toBe('choices');
    expect(applicationField('somethingElse', v)).toBeNull();
  });

  it('offers preschool-aged children from the search, registered as children or not, but no pupils or adults', () => {
    const person = (id: string, roles: ('child' | 'guardian' | 'staff')[], birthDate: string | null) => ({
      type: 'person' as const,
      id,
      givenName: 'A',
      middleName: null,
      familyName: 'B',
      preferredName: null,
      identity: null,
      reserveNumber: null,
      birthDate,
      sex: null,
      status: 'active' as const,
      roles,
      protected: false,
    });
    const hits = [
      person(U1, ['child'], '2021-01-01'),
      person(U2, [], '2025-11-30'),
      person(U3, ['guardian'], '1990-06-01'),
      person(ADM, ['child'], '2015-01-01'),
      person(APP, ['child'], null),
      person(CHILD, [], null),
      { type: 'unit' },
    ];
    expect(childHits(hits, '2026-05-04').map((p) => p.id)).toEqual([U1, U2, APP]);
  });
});

describe('errors from the core', () => {
  it('shows a rule in the user\u2019s language, and never the core\u2019s English text for one it does not know', () => {
    expect(ruleMsg({ rule: 'placement_overlap' })).toEqual({ key: 'rule.placement_overlap' });
    expect(ruleMsg({ rule: 'placement_overlap', details: { unit: 'U', from: '2026-01-01', to: '…' } }).key).toBe('rule.placement_overlap.details');
    expect(ruleMsg({ rule: 'made_up' })).toEqual({ key: 'care.error.rule', vars: undefined });
  });

  it('puts a rule violation on its field, and one about no field in the box', () => {
    const onField = serverErrors({ code: 'rule_violation', rule: 'age_limit', message: 'age_limit', field: 'start' }, (p) => (p === 'start' ? 'start' : null), has(['rule.age_limit']));
    expect(onField).toEqual({ fields: { start: { key: 'rule.age_limit' } }, other: [] });
    const general = serverErrors({ code: 'rule_violation', rule: 'offer_state', message: 'offer_state: not in the queue' }, () => null, has([]));
    expect(general).toEqual({ fields: {}, other: [{ key: 'rule.offer_state' }] });
  });

  it('maps validation issues to fields with the form\u2019s own messages for its codes', () => {
    const r = serverErrors(
      {
        code: 'validation',
        message: 'invalid',
        issues: [
          { field: 'weeklyHours', code: 'hours_range', message: 'hours_range' },
          { field: 'unitIds', code: 'choices_required', message: 'x' },
          { field: 'wishedStart', code: 'date_invalid', message: 'x' },
          { field: 'mystery', code: 'odd', message: 'x' },
        ],
      },
      (p) => applicationField(p, { choices: [] }),
      has([]),
    );
    expect(r.fields).toEqual({
      weeklyHours: { key: 'office.validation.hoursRange' },
      choices: { key: 'office.validation.choicesRequired' },
      wishedStart: { key: 'validation.date_invalid' },
    });
    expect(r.other).toEqual([{ key: 'validation.invalid' }]);
  });

  it('tells a conflict apart from a failure', () => {
    expect(generalMsg({ code: 'conflict', message: 'x' }, has([]))).toEqual({ key: 'office.conflict' });
    expect(generalMsg({ code: 'internal', message: 'x' }, has([]))).toEqual({ key: 'error.saveFailed' });
    expect(serverErrors({ code: 'forbidden', message: 'x', field: 'unitId' }, (p) => p, has([]))).toEqual({ fields: {}, other: [{ key: 'error.forbidden' }] });
  });
});

describe('rollover', () => {
  it('suggests the coming 1 August', () => {
    expect(comingSchoolYearStart('2026-05-04')).toBe('2026-08-01');
    expect(comingSchoolYearStart('2026-08-01')).toBe('2026-08-01');
    expect(comingSchoolYearStart('2026-08-02')).toBe('2027-08-01');
    expect(comingSchoolYearStart('2026-12-31')).toBe('2027-08-01');
  });

  it('previews all the caller\u2019s units unless some are chosen, with row filters only when set', () => {
    expect(rolloverPreviewInput({ date: '2026-08-01', unitIds: [] }, { offset: 0 })).toEqual({ date: '2026-08-01', offset: 0, limit: 100 });
    expect(rolloverPreviewInput({ date: '2026-08-01', unitIds: [U1, U2] }, { unitId: U2, action: 'leave', offset: 100 })).toEqual({
      date: '2026-08-01',
      unitIds: [U1, U2],
      rowsUnitId: U2,
      action: 'leave',
      offset: 100,
      limit: 100,
    });
    expect(rolloverCommitInput({ date: '2026-08-01', unitIds: [] }, 'tok')).toEqual({ date: '2026-08-01', token: 'tok' });
    expect(rolloverCommitInput({ date: '2026-08-01', unitIds: [U1] }, 'tok')).toEqual({ date: '2026-08-01', unitIds: [U1], token: 'tok' });
  });

  it('treats the same units in another order as the same scope, and another date as a new one', () => {
    expect(sameScope({ date: '2026-08-01', unitIds: [U1, U2] }, { date: '2026-08-01', unitIds: [U2, U1] })).toBe(true);
    expect(sameScope({ date: '2026-08-01', unitIds: [U1] }, { date: '2026-08-02', unitIds: [U1] })).toBe(false);
    expect(sameScope({ date: '2026-08-01', unitIds: [U1] }, { date: '2026-08-01', unitIds: [] })).toBe(false);
  });

  it('has nothing to commit when every count is zero', () => {
    expect(rolloverHasChanges({ totals: { promoted: 0, leavers: 0, startingSchool: 0, groupsCreated: 0 } })).toBe(false);
    expect(rolloverHasChanges({ totals: { promoted: 0, leavers: 1, startingSchool: 0, groupsCreated: 0 } })).toBe(true);
  });

  const tree: OrgTree = {
    municipality: { id: U3, name: 'Exempelkommun', country: 'SE', code: '9999' },
    administrations: [
      {
        id: ADM,
        name: 'Utbildning',
        units: [
          { id: U1, kind: 'school_unit', name: 'Östra skolan', code: null, schoolForms: ['FKLASS', 'GR'], groupCount: 4 },
          { id: U2, kind: 'school_unit', name: 'Blåklinten', code: null, schoolForms: ['FS'], groupCount: 2 },
          { id: U3, kind: 'school_unit', name: 'Askskolan', code: null, schoolForms: ['GR'], groupCount: 3 },
        ],
      },
    ],
  };

  it('offers only school units with classes, within the caller\u2019s rollover grants', () => {
    expect(rolloverUnitOptions(tree, [{ role: 'clerk', unitId: null }]).map((o) => o.label)).toEqual(['Askskolan', 'Östra skolan']);
    expect(rolloverUnitOptions(tree, [{ role: 'clerk', unitId: U1 }]).map((o) => o.value)).toEqual([U1]);
    expect(rolloverUnitOptions(tree, [{ role: 'clerk', unitId: ADM }]).map((o) => o.value)).toEqual([U3, U1]);
    // A read-only role on every unit does not make the rollover available there.
    expect(rolloverUnitOptions(tree, [{ role: 'registrar', unitId: null }, { role: 'clerk', unitId: U3 }]).map((o) => o.value)).toEqual([U3]);
    expect(rolloverUnitOptions(null, [{ role: 'clerk', unitId: null }])).toEqual([]);
  });
});

describe('lists', () => {
  it('asks for nothing until a unit and a real date are chosen; today by default', () => {
    expect(listQueryFrom({}, '2026-05-04')).toBeNull();
    expect(listQueryFrom({ unitId: U1, date: '2026-02-30' }, '2026-05-04')).toBeNull();
    expect(listQueryFrom({ unitId: U1 }, '2026-05-04')).toEqual({ unitId: U1, date: '2026-05-04', kind: 'enrolments', withContacts: false });
    expect(listQueryFrom({ unitId: U1, groupId: U2, date: '2026-08-17', kind: 'placements', contacts: true }, '2026-05-04')).toEqual({
      unitId: U1,
      groupId: U2,
      date: '2026-08-17',
      kind: 'placements',
      withContacts: true,
    });
  });

  it('exports exactly the list on screen, in the user\u2019s language', () => {
    const q = { unitId: U1, date: '2026-08-17', kind: 'enrolments' as const, withContacts: true };
    expect(listExportInput(q, 'pdf', 'nb')).toEqual({ ...q, format: 'pdf', lang: 'nb' });
  });

  it('decodes the core\u2019s base64 file to its bytes', () => {
    const bytes = base64Bytes(Buffer.from('%PDF-1.7\nå', 'utf8').toString('base64'));
    expect(Buffer.from(bytes).toString('utf8')).toBe('%PDF-1.7\nå');
    expect(Array.from(base64Bytes('77u/'))).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes a guardian\u2019s phones and e-mails on one line', () => {
    expect(contactLine({ phones: ['070-123 45 67'], emails: ['anna@example.se'] })).toBe('070-123 45 67, anna@example.se');
    expect(contactLine({ phones: [], emails: [] })).toBe('');
  });
});
