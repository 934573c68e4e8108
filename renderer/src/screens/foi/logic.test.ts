/**
 * The FOI screens' pure parts: the kinds and tabs a municipality has, a deadline as the list shows it, the
 * request form's checks and the calls it makes (a protected requester's contact never sent, a subject asking
 * listed as the subject), where the core's refusals land (every rule the contract names, in every language),
 * which moves ask first and how their buttons read, when a GDPR request can be extended, and the deadlines
 * in words.
 */
import { describe, expect, it } from 'vitest';
import type { FoiRequestSummary, FoiRequestView } from '../../../../shared/api/foi';
import type { ApiError } from '../../../../shared/api/transport';
import { FOI_MOVES, FOI_STATUSES, type FoiStatus } from '../../../../shared/domain/foi';
import { catalogs, LANGUAGES } from '../../../../shared/i18n';
import {
  canExtend,
  deadlineCell,
  defaultLanguage,
  explainDeadlines,
  canAddGroup,
  FOI_RULES,
  groupAddNotice,
  groupAddValues,
  kindsFor,
  mapFoiError,
  moveLabel,
  moveQuestion,
  newRequestValues,
  nextPersonRole,
  orderedMoves,
  personsToSend,
  requesterKindsFor,
  requesterText,
  requestValuesOf,
  shownPersons,
  toCreateInput,
  toUpdateInput,
  validateGroupAdd,
  validateRequest,
  visibleFilters,
  withKind,
  withRequesterKind,
  type Msg,
  type RequestValues,
} from './logic';

const TODAY = '2026-11-23';
const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const ME = '00000000-0000-4000-8000-0000000000aa';
const t = (k: string, v?: Record<string, string | number>) => (v ? `${k}(${Object.values(v).join(',')})` : k);
const rule = (r: string, field?: string): ApiError => ({ code: 'rule_violation', message: r, rule: r, ...(field ? { field } : {}) }) as ApiError;

const deadlines = (patch: Partial<FoiRequestSummary['deadlines']> = {}): FoiRequestSummary['deadlines'] => ({
  target: '2026-11-23',
  final: '2026-11-25',
  overdueFrom: '2026-11-26',
  deemedRefusedOn: null,
  extended: false,
  extensionNoticeBy: null,
  state: 'open',
  ...patch,
});

const values = (patch: Partial<RequestValues> = {}): RequestValues => ({ ...newRequestValues('SE', TODAY, ME), askedFor: 'Klasslista 4A', ...patch });

describe('kinds, languages and tabs by country', () => {
  it('offers only the kinds of the municipality\'s country, the public-document kind first', () => {
    expect(kindsFor('SE')).toEqual(['se_public_document', 'gdpr_access']);
    expect(kindsFor('NO')).toEqual(['no_innsyn', 'gdpr_access']);
    expect(defaultLanguage('SE')).toBe('sv');
    expect(defaultLanguage('NO')).toBe('nb');
  });

  it('shows "counts as refused" in Norway always, in Sweden only with a count (or when it is the tab in view)', () => {
    expect(visibleFilters('NO', null, 'open')).toContain('deemed_refused');
    expect(visibleFilters('SE', { deemed_refused: 0 }, 'open')).not.toContain('deemed_refused');
    expect(visibleFilters('SE', { deemed_refused: 2 }, 'open')).toContain('deemed_refused');
    expect(visibleFilters('SE', null, 'deemed_refused')).toContain('deemed_refused');
    expect(visibleFilters('SE', null, 'open')).toEqual(['due_today', 'overdue', 'review', 'decision', 'open', 'all']);
  });
});

describe('a request in the list', () => {
  it('shows the one date that matters in each state', () => {
    const r = (state: FoiRequestSummary['deadlines']['state'], extra: Partial<FoiRequestSummary> = {}) => ({ status: 'registered' as FoiStatus, decidedOn: null, deadlines: deadlines({ state }), ...extra });
    expect(deadlineCell(r('open'))).toEqual({ state: 'open', tone: 'info', line: { key: 'foi.stateDate.target', date: '2026-11-23' } });
    expect(deadlineCell(r('due_today'))?.line).toEqual({ key: 'foi.stateDate.final', date: '2026-11-25' });
    expect(deadlineCell(r('overdue'))).toMatchObject({ tone: 'danger', line: { key: 'foi.stateDate.overdue', date: '2026-11-25' } });
    const refused = { status: 'registered' as FoiStatus, decidedOn: null, deadlines: deadlines({ state: 'deemed_refused', overdueFrom: null, deemedRefusedOn: '2026-11-26' }) };
    expect(deadlineCell(refused)).toMatchObject({ tone: 'danger', line: { key: 'foi.stateDate.deemedRefused', date: '2026-11-26' } });
    expect(deadlineCell(r('decided', { status: 'decided', decidedOn: '2026-11-24' }))).toEqual({ state: 'decided', tone: 'ok', line: { key: 'foi.stateDate.decided', date: '2026-11-24' } });
    expect(deadlineCell(r('decided_late', { status: 'closed', decidedOn: '2026-11-30' }))?.tone).toBe('warn');
  });

  it('has no running deadline for a request withdrawn or closed without a decision', () => {
    expect(deadlineCell({ status: 'withdrawn', decidedOn: null, deadlines: deadlines({ state: 'decided' }) })).toBeNull();
    expect(deadlineCell({ status: 'closed', decidedOn: null, deadlines: deadlines({ state: 'overdue' }) })).toBeNull();
  });

  it('names the requester: the name, "anonymous", or the protected label when the register withholds the name', () => {
    expect(requesterText({ requesterKind: 'named', requesterName: 'Föreningen' }, t)).toBe('Föreningen');
    expect(requesterText({ requesterKind: 'anonymous', requesterName: null }, t)).toBe('foi.anonymous');
    expect(requesterText({ requesterKind: 'guardian', requesterName: null }, t)).toBe('foi.protectedPerson');
  });

  it('shows the first three persons and counts the rest', () => {
    expect(shownPersons([1, 2])).toEqual({ shown: [1, 2], more: 0 });
    expect(shownPersons([1, 2, 3, 4, 5])).toEqual({ shown: [1, 2, 3], more: 2 });
  });
});

describe('the request form', () => {
  it('starts with the country\'s first kind, today, an anonymous requester (GDPR: never anonymous), the country\'s language and the officer', () => {
    const se = newRequestValues('SE', TODAY, ME);
    expect(se).toMatchObject({ kind: 'se_public_document', receivedOn: TODAY, channel: 'email', requesterKind: 'anonymous', language: 'sv', assigneeId: ME, persons: [] });
    expect(newRequestValues('NO', TODAY, null)).toMatchObject({ kind: 'no_innsyn', language: 'nb', assigneeId: '' });
    expect(requesterKindsFor('gdpr_access')).not.toContain('anonymous');
    expect(withKind(se, 'gdpr_access')).toEqual({ kind: 'gdpr_access', requesterKind: 'subject' });
    expect(withKind({ ...se, requesterKind: 'named' }, 'gdpr_access')).toEqual({ kind: 'gdpr_access' });
  });

  it('clears what belongs to the other requester kind', () => {
    const chosen = values({ kind: 'gdpr_access', requesterKind: 'guardian', requesterPersonId: P1, identityVerified: 'register_custody', identityVerifiedOn: TODAY });
    expect(withRequesterKind(chosen, 'subject')).toEqual({ requesterKind: 'subject' });
    expect(withRequesterKind(chosen, 'named')).toMatchObject({ requesterKind: 'named', requesterPersonId: null, identityVerified: '', identityVerifiedOn: '' });
    expect(withRequesterKind(values({ requesterKind: 'named', requesterName: 'X' }), 'anonymous')).toMatchObject({ requesterKind: 'anonymous', requesterName: '' });
  });

  it('proposes the subject first for a subject-access request, a listed person for a public document', () => {
    expect(nextPersonRole({ kind: 'gdpr_access', requesterKind: 'guardian', persons: [] })).toBe('subject');
    expect(nextPersonRole({ kind: 'gdpr_access', requesterKind: 'guardian', persons: [{ personId: P1, role: 'subject', name: 'A', protected: false }] })).toBe('other');
    expect(nextPersonRole({ kind: 'gdpr_access', requesterKind: 'subject', persons: [] })).toBe('other');
    expect(nextPersonRole({ kind: 'se_public_document', requesterKind: 'anonymous', persons: [] })).toBe('listed');
  });

  it('checks its own fields and leaves the rules between them to the core', () => {
    expect(validateRequest(values(), TODAY)).toEqual({});
    expect(validateRequest(values({ receivedOn: '', askedFor: ' ' }), TODAY)).toEqual({ receivedOn: { key: 'validation.required' }, askedFor: { key: 'validation.required' } });
    expect(validateRequest(values({ receivedOn: '31/13' }), TODAY).receivedOn).toEqual({ key: 'validation.date_invalid' });
    expect(validateRequest(values({ receivedOn: '2026-11-24' }), TODAY).receivedOn).toEqual({ key: 'foi.rule.foi_received_future' });
    expect(validateRequest(values({ requesterKind: 'named' }), TODAY)).toEqual({ requesterName: { key: 'foi.form.nameRequired' } });
    expect(validateRequest(values({ requesterKind: 'guardian' }), TODAY)).toEqual({ requesterPersonId: { key: 'foi.form.personRequired' } });
    expect(validateRequest(values({ requesterKind: 'guardian', requesterPersonId: P1, identityVerified: 'e_id' }), TODAY)).toEqual({ identityVerifiedOn: { key: 'foi.form.verifiedOnRequired' } });
    expect(validateRequest(values({ requesterKind: 'guardian', requesterPersonId: P1, identityVerifiedOn: TODAY }), TODAY)).toEqual({ identityVerified: { key: 'foi.form.verifiedHowRequired' } });
    expect(validateRequest(values({ requesterKind: 'guardian', requesterPersonId: P1, identityVerified: 'e_id', identityVerifiedOn: '2026-12-01' }), TODAY)).toEqual({ identityVerifiedOn: { key: 'foi.form.verifiedFuture' } });
    expect(validateRequest(values({ askedFor: 'x'.repeat(4001) }), TODAY)).toEqual({ askedFor: { key: 'validation.too_long' } });
  });

  it('sends an anonymous request without name, person or verification', () => {
    expect(toCreateInput(values({ requesterContact: '  tips@example.invalid ', registryNumber: ' ' }))).toEqual({
      kind: 'se_public_document',
      registryNumber: null,
      receivedOn: TODAY,
      channel: 'email',
      requesterKind: 'anonymous',
      requesterName: null,
      requesterContact: 'tips@example.invalid',
      requesterPersonId: null,
      identityVerified: null,
      identityVerifiedOn: null,
      language: 'sv',
      askedFor: 'Klasslista 4A',
      assigneeId: ME,
      persons: [],
    });
  });

  it('sends a guardian\'s request with the person and verification, the child as the subject; never a protected requester\'s contact', () => {
    const v = values({
      kind: 'gdpr_access',
      requesterKind: 'guardian',
      requesterPersonId: P1,
      requesterContact: 'typed before',
      requesterProtected: true,
      identityVerified: 'register_custody',
      identityVerifiedOn: TODAY,
      assigneeId: '',
      persons: [{ personId: P2, role: 'subject', name: 'Barn', protected: false }],
    });
    expect(toCreateInput(v)).toMatchObject({
      requesterKind: 'guardian',
      requesterName: null,
      requesterContact: null,
      requesterPersonId: P1,
      identityVerified: 'register_custody',
      identityVerifiedOn: TODAY,
      assigneeId: null,
      persons: [{ personId: P2, role: 'subject' }],
    });
  });

  it('lists a subject asking for their own data as the subject, once', () => {
    const v = values({ kind: 'gdpr_access', requesterKind: 'subject', requesterPersonId: P1 });
    expect(personsToSend(v)).toEqual([{ personId: P1, role: 'subject' }]);
    expect(personsToSend({ ...v, persons: [{ personId: P1, role: 'subject', name: 'A', protected: false }] })).toEqual([{ personId: P1, role: 'subject' }]);
    expect(personsToSend({ ...v, kind: 'se_public_document' })).toEqual([]);
  });

  it('edits a request as stored (a register requester\'s name is the register\'s, not sent back)', () => {
    const view = {
      id: P1,
      version: 3,
      kind: 'gdpr_access',
      receivedOn: '2026-11-02',
      channel: 'counter',
      registryNumber: 'KS 2026/14',
      requesterKind: 'guardian',
      requesterName: 'Andersson, Eva',
      requesterContact: null,
      requesterPerson: { id: P2, name: 'Andersson, Eva', protected: true },
      identityVerified: 'register_custody',
      identityVerifiedOn: '2026-11-02',
      language: 'sv',
      askedFor: 'Allt om mitt barn',
      assigneeId: null,
    } as unknown as FoiRequestView;
    const v = requestValuesOf(view);
    expect(v).toMatchObject({ requesterName: '', requesterPersonId: P2, requesterProtected: true, registryNumber: 'KS 2026/14', assigneeId: '' });
    expect(toUpdateInput(P1, 3, v)).toEqual({
      id: P1,
      version: 3,
      registryNumber: 'KS 2026/14',
      receivedOn: '2026-11-02',
      channel: 'counter',
      requesterKind: 'guardian',
      requesterName: null,
      requesterContact: null,
      requesterPersonId: P2,
      identityVerified: 'register_custody',
      identityVerifiedOn: '2026-11-02',
      language: 'sv',
      askedFor: 'Allt om mitt barn',
      assigneeId: null,
    });
  });
});

describe('a class added to a request', () => {
  /** A message as the screen shows it in a language: the plural form by count (one for 1 in sv, nb, en), the values put in. */
  const say = (m: Msg, l: 'sv' | 'nb' | 'en' = 'sv'): string => {
    const cat = catalogs[l] as Record<string, string>;
    const count = m.vars?.count;
    const text = cat[m.key] ?? (typeof count === 'number' ? cat[`${m.key}_${count === 1 ? 'one' : 'other'}`] : undefined);
    expect(text, `${l} ${m.key}`).toBeTruthy();
    return text!.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(m.vars?.[k] ?? `{{${k}}}`));
  };

  it('starts on the day the request was received, with nothing chosen', () => {
    expect(groupAddValues('2026-11-20')).toEqual({ unitId: null, groupId: null, on: '2026-11-20' });
  });

  it('asks for the unit, the group and a valid day; refuses a group with nobody in it that day', () => {
    const ok = { unitId: 'u', groupId: 'g', on: '2026-11-20' };
    expect(validateGroupAdd(groupAddValues('2026-11-20'), null)).toEqual({ unitId: { key: 'foi.persons.unitRequired' }, groupId: { key: 'foi.persons.groupRequired' } });
    expect(validateGroupAdd({ ...ok, on: '' }, 3)).toEqual({ on: { key: 'validation.required' } });
    expect(validateGroupAdd({ ...ok, on: '2026-13-40' }, 3)).toEqual({ on: { key: 'validation.date_invalid' } });
    expect(validateGroupAdd(ok, 0)).toEqual({ groupId: { key: 'foi.rule.foi_group_empty' } });
    // While the group's count is unknown (loading) the core decides.
    expect(validateGroupAdd(ok, null)).toEqual({});
    expect(validateGroupAdd(ok, 24)).toEqual({});
  });

  it('says how many were added, already concerned and protected (counted, never named)', () => {
    const n = groupAddNotice({ added: 24, already: 1, protected: 3 }, '3A', '20 nov. 2026');
    expect(n.tone).toBe('ok');
    expect([say(n.msg), ...n.lines.map((l) => say(l))]).toEqual(['24 personer från 3A är tillagda.', '1 fanns redan bland de berörda.', '3 skyddade: deras identitet föreslås sekretessbelagd.']);
    expect([say(n.msg, 'nb'), ...n.lines.map((l) => say(l, 'nb'))]).toEqual([
      '24 personer fra 3A er lagt til.',
      '1 var allerede blant de berørte.',
      '3 med beskyttet adresse: identiteten deres foreslås unntatt fra innsyn.',
    ]);
    expect([say(n.msg, 'en'), ...n.lines.map((l) => say(l, 'en'))]).toEqual(['24 persons from 3A are added.', '1 was already concerned.', '3 protected: their identity is proposed withheld.']);
    const one = groupAddNotice({ added: 1, already: 0, protected: 1 }, '3A', '20 nov. 2026');
    expect([say(one.msg), ...one.lines.map((l) => say(l))]).toEqual(['1 person från 3A är tillagd.', '1 skyddad: identiteten föreslås sekretessbelagd.']);
    // Nothing protected, nobody there before: one sentence.
    expect(groupAddNotice({ added: 20, already: 0, protected: 0 }, '3A', 'x').lines).toEqual([]);
  });

  it('says when nobody new was added, and when the class had nobody that day', () => {
    const again = groupAddNotice({ added: 0, already: 24, protected: 2 }, '3A', '20 nov. 2026');
    expect(again.tone).toBe('ok');
    expect([say(again.msg), ...again.lines.map((l) => say(l))]).toEqual(['Ingen ny person från 3A.', '24 fanns redan bland de berörda.', '2 skyddade: deras identitet föreslås sekretessbelagd.']);
    const empty = groupAddNotice({ added: 0, already: 0, protected: 0 }, '3A', '20 nov. 2026');
    expect(empty.tone).toBe('warn');
    expect(say(empty.msg)).toBe('3A har inga medlemmar den 20 nov. 2026. Ingen lades till.');
  });

  it('is offered on a request for public documents only (a subject-access request concerns its subject)', () => {
    expect(canAddGroup('se_public_document')).toBe(true);
    expect(canAddGroup('no_innsyn')).toBe(true);
    expect(canAddGroup('gdpr_access')).toBe(false);
  });

  it('puts the core\'s refusals on the dialog\'s fields: nobody that day on the day, a class on a GDPR request or one that is gone on the group, a finished request at the top', () => {
    const FIELDS = ['unitId', 'groupId', 'on'];
    expect(mapFoiError(rule('foi_group_empty', 'on'), FIELDS)).toEqual({ fields: { on: { key: 'foi.rule.foi_group_empty' } }, top: [] });
    expect(mapFoiError(rule('foi_group_kind', 'groupId'), FIELDS)).toEqual({ fields: { groupId: { key: 'foi.rule.foi_group_kind' } }, top: [] });
    expect(mapFoiError({ code: 'not_found', message: 'x', field: 'groupId' } as ApiError, FIELDS)).toEqual({ fields: { groupId: { key: 'care.error.notFoundField' } }, top: [] });
    expect(mapFoiError(rule('foi_finished', 'requestId'), FIELDS)).toEqual({ fields: {}, top: [{ key: 'foi.rule.foi_finished' }] });
    const badDay = { code: 'validation', message: 'x', field: 'on', issues: [{ field: 'on', code: 'invalid_date', message: 'x' }] } as ApiError;
    expect(Object.keys(mapFoiError(badDay, FIELDS).fields)).toEqual(['on']);
  });
});

describe('the core\'s refusals', () => {
  const FIELDS = ['kind', 'receivedOn', 'requesterKind', 'requesterContact', 'requesterPersonId', 'identityVerified', 'identityVerifiedOn', 'askedFor', 'assigneeId', 'persons'];

  it('puts each rule on the field the core names, or the field the rule is about', () => {
    expect(mapFoiError(rule('foi_protected_contact', 'requesterContact'), FIELDS)).toEqual({ fields: { requesterContact: { key: 'foi.rule.foi_protected_contact' } }, top: [] });
    expect(mapFoiError(rule('foi_not_guardian', 'requesterPersonId'), FIELDS).fields.requesterPersonId).toEqual({ key: 'foi.rule.foi_not_guardian' });
    expect(mapFoiError(rule('foi_person_twice', 'persons.1.personId'), FIELDS).fields.persons).toEqual({ key: 'foi.rule.foi_person_twice' });
    expect(mapFoiError(rule('foi_subject_required'), FIELDS).fields.persons).toEqual({ key: 'foi.rule.foi_subject_required' });
    expect(mapFoiError(rule('foi_received_future', 'identityVerifiedOn'), FIELDS).fields.identityVerifiedOn).toEqual({ key: 'foi.form.verifiedFuture' });
    expect(mapFoiError(rule('foi_extension_late', 'noticeOn'), ['noticeOn', 'reason']).fields.noticeOn).toEqual({ key: 'foi.rule.foi_extension_late' });
  });

  it('says a rule without a field on the form at the top: a move refused, an extension already given', () => {
    expect(mapFoiError(rule('foi_identity_unverified', 'to'), [])).toEqual({ fields: {}, top: [{ key: 'foi.rule.foi_identity_unverified' }] });
    expect(mapFoiError(rule('foi_extension_done', 'id'), ['noticeOn', 'reason'])).toEqual({ fields: {}, top: [{ key: 'foi.rule.foi_extension_done' }] });
  });

  it('maps the rest as the form kit does: a missing name at its field, a conflict and a refusal at the top', () => {
    const missing = { code: 'validation', message: 'x', field: 'requesterName', issues: [{ field: 'requesterName', code: 'required', message: 'x' }] } as ApiError;
    expect(mapFoiError(missing, ['requesterName'])).toEqual({ fields: { requesterName: { key: 'validation.required' } }, top: [] });
    expect(mapFoiError({ code: 'conflict', message: 'x' } as ApiError, FIELDS)).toEqual({ fields: {}, top: [{ key: 'care.error.conflict' }] });
    expect(mapFoiError({ code: 'forbidden', message: 'x' } as ApiError, FIELDS)).toEqual({ fields: {}, top: [{ key: 'error.forbidden' }] });
  });

  it('knows every rule id the contract\'s doc comments name, each in every language', () => {
    const named = ['foi_kind_country', 'foi_anonymous_kind', 'foi_requester_person', 'foi_subject_required', 'foi_not_guardian', 'foi_protected_contact', 'foi_received_future', 'foi_assignee', 'foi_move', 'foi_reason_required', 'foi_identity_unverified', 'foi_decided_on', 'foi_extension_kind', 'foi_extension_late', 'foi_extension_unavailable', 'foi_extension_done', 'foi_person_twice', 'foi_group_kind', 'foi_group_empty'];
    for (const r of named) expect(FOI_RULES as readonly string[], r).toContain(r);
    for (const l of LANGUAGES) for (const r of FOI_RULES) expect((catalogs[l] as Record<string, string>)[`foi.rule.${r}`], `${l} ${r}`).toBeTruthy();
  });
});

describe('status moves and the extension', () => {
  it('asks for a reason when reopening or withdrawing, for the day when deciding, and nothing else', () => {
    expect(moveQuestion('decided', 'review')).toBe('reopen');
    expect(moveQuestion('closed', 'review')).toBe('reopen');
    expect(moveQuestion('withdrawn', 'registered')).toBe('reopen');
    expect(moveQuestion('registered', 'withdrawn')).toBe('withdraw');
    expect(moveQuestion('decision', 'decided')).toBe('decide');
    expect(moveQuestion('registered', 'review')).toBeNull();
    expect(moveQuestion('decision', 'review')).toBeNull();
  });

  it('names a reopening as such, every other move by where it goes; every label exists', () => {
    expect(moveLabel('decided', 'review')).toBe('foi.move.reopen.review');
    expect(moveLabel('withdrawn', 'registered')).toBe('foi.move.reopen.registered');
    expect(moveLabel('registered', 'review')).toBe('foi.move.to.review');
    expect(moveLabel('registered', 'gathering')).toBe('foi.move.to.gathering');
    expect(moveLabel('review', 'gathering')).toBe('foi.move.back.gathering');
    for (const from of FOI_STATUSES) for (const to of FOI_MOVES[from]) for (const l of LANGUAGES) expect((catalogs[l] as Record<string, string>)[moveLabel(from, to)], `${l} ${from}>${to}`).toBeTruthy();
  });

  it('puts a withdrawal last among the buttons', () => {
    expect(orderedMoves(['gathering', 'review', 'withdrawn'])).toEqual(['gathering', 'review', 'withdrawn']);
    expect(orderedMoves(['withdrawn', 'review'])).toEqual(['review', 'withdrawn']);
  });

  it('offers the extension for an open GDPR request while its notice day is set and it is not extended', () => {
    const r = (patch: Partial<Pick<FoiRequestView, 'kind' | 'status'>>, d: Partial<FoiRequestSummary['deadlines']>) => ({ kind: 'gdpr_access' as const, status: 'review' as const, ...patch, deadlines: deadlines(d) });
    expect(canExtend(r({}, { extensionNoticeBy: '2026-12-23' }))).toBe(true);
    expect(canExtend(r({}, { extensionNoticeBy: '2026-12-23', extended: true }))).toBe(false);
    expect(canExtend(r({}, { extensionNoticeBy: null }))).toBe(false);
    expect(canExtend(r({ status: 'decided' }, { extensionNoticeBy: '2026-12-23' }))).toBe(false);
    expect(canExtend(r({ kind: 'se_public_document' }, { extensionNoticeBy: '2026-12-23' }))).toBe(false);
  });
});

describe('the deadlines in words', () => {
  const day = (iso: string) => `«${iso}»`;
  const status = (s: FoiStatus) => s.toUpperCase();
  const view = (patch: Partial<FoiRequestView>) => ({ kind: 'se_public_document', status: 'registered', decidedOn: null, extensionNoticeOn: null, deadlines: deadlines(), ...patch }) as FoiRequestView;

  it('explains each kind\'s rule with its days', () => {
    expect(explainDeadlines(view({}), day, status)).toEqual([{ key: 'foi.explain.se_public_document', vars: { target: '«2026-11-23»', final: '«2026-11-25»', overdueFrom: '«2026-11-26»' } }]);
    const no = view({ kind: 'no_innsyn', deadlines: deadlines({ target: '2026-11-26', final: '2026-11-30', overdueFrom: null, deemedRefusedOn: '2026-12-01' }) });
    expect(explainDeadlines(no, day, status)).toEqual([{ key: 'foi.explain.no_innsyn', vars: { target: '«2026-11-26»', final: '«2026-11-30»', deemedRefusedOn: '«2026-12-01»' } }]);
  });

  it('says until when a GDPR request can be extended, or that it was', () => {
    const open = view({ kind: 'gdpr_access', deadlines: deadlines({ target: '2026-12-23', final: '2026-12-23', overdueFrom: '2026-12-24', extensionNoticeBy: '2026-12-23' }) });
    expect(explainDeadlines(open, day, status).map((m) => m.key)).toEqual(['foi.explain.gdpr_access', 'foi.explain.gdprExtendable']);
    const extended = view({ kind: 'gdpr_access', extensionNoticeOn: '2026-11-23', deadlines: deadlines({ final: '2027-02-23', extended: true, extensionNoticeBy: '2026-12-23' }) });
    expect(explainDeadlines(extended, day, status)).toEqual([{ key: 'foi.explain.gdprExtended', vars: { noticeOn: '«2026-11-23»', final: '«2027-02-23»' } }]);
  });

  it('says a decision was in time or late, and that a withdrawn request has no deadline', () => {
    expect(explainDeadlines(view({ status: 'decided', decidedOn: '2026-11-24', deadlines: deadlines({ state: 'decided' }) }), day, status)).toEqual([{ key: 'foi.explain.decided', vars: { date: '«2026-11-24»' } }]);
    expect(explainDeadlines(view({ status: 'closed', decidedOn: '2026-11-27', deadlines: deadlines({ state: 'decided_late' }) }), day, status)[0]?.key).toBe('foi.explain.decided_late');
    expect(explainDeadlines(view({ status: 'withdrawn' }), day, status)).toEqual([{ key: 'foi.explain.finished', vars: { status: 'withdrawn' } }]);
  });

  it('every message the screens name exists in every language', () => {
    const keys = Object.keys(catalogs.sv).filter((k) => k.startsWith('foi.'));
    expect(keys.length).toBeGreaterThan(200);
    for (const l of LANGUAGES) for (const k of keys) expect((catalogs[l] as Record<string, string>)[k], `${l} ${k}`).toBeTruthy();
  });
});
