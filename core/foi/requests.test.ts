/**
 * The FOI request register (core/foi/requests.ts, core/foi/handlers.ts; docs/foi.md "Requests") on real
 * cores over demo registers: who may, every refusal of create, update, move, extend and the persons
 * concerned by its rule id and field, the write path's rows and change log, the views (deadlines, states,
 * protected persons and contacts), the dashboard's tabs, sorting and paging, the deadline rules, and the
 * audit without the requester's typed name, contact, what was asked for or a reason.
 *
 * The deadlines' own arithmetic is deadlines.test.ts's; here each expected date is counted by hand from
 * docs/foi.md's rules (said beside it), against TEST_TODAY = Monday 2026-11-23.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { ROLE_PERMISSIONS, type Permission } from '../../shared/domain/access';
import { FOI_MOVES, FOI_REOPENING, FOI_STATUSES, type FoiStatus } from '../../shared/domain/foi';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import type { Actor } from '../context';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { DEFAULT_FOI_DEADLINE_RULES } from './deadlines';
import { DEFAULT_FOI_CALENDAR, foiConfig, foiRulesVersion } from './requests';

type Written = MethodOutput<'foi.requestCreate'>;
type View = MethodOutput<'foi.request'>;
type List = MethodOutput<'foi.requests'>;
type Rules = MethodOutput<'foi.rules'>;
type Input = Record<string, unknown>;
type ApiErr = Extract<CallResult, { ok: false }>['error'];

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
const failed = (r: CallResult): ApiErr => {
  if (r.ok) throw new Error(`unexpectedly succeeded: ${JSON.stringify(r.data).slice(0, 300)}`);
  return r.error;
};

const NOW = `${TEST_TODAY}T12:00:00.000Z`;
const FOI_NAME = 'Fia Insyn (demo)';

/** A Swedish anonymous request for a public document, received today. */
const SE_DOC: Input = { kind: 'se_public_document', receivedOn: TEST_TODAY, channel: 'email', requesterKind: 'anonymous', language: 'sv', askedFor: 'Klasslista för 3B' };
/** A subject-access request (persons and requester to be added). */
const GDPR: Input = { kind: 'gdpr_access', receivedOn: TEST_TODAY, channel: 'letter', language: 'sv', askedFor: 'Allt ni har om mig' };

function signIn(core: TestCore, username: string): Connection {
  const c = core.connect(`foi-requests-${username}`);
  data(c.call('auth.signIn', { username, password: DEMO_PASSWORD }));
  return c;
}
const userId = (core: TestCore, username: string) => core.db.sqlite.prepare('SELECT id FROM user_account WHERE username = ?').pluck().get(username) as string;

/** Calls on one core as one connection, with the helpers the tests use. */
function client(core: TestCore, c: Connection) {
  const create = (input: Input) => data<Written>(c.call('foi.requestCreate', input));
  const view = (id: string) => data<View>(c.call('foi.request', { id }));
  const move = (id: string, to: FoiStatus, extra: Input = {}) => data<Written>(c.call('foi.requestMove', { id, version: view(id).version, to, ...extra }));
  /** Moves a request along FOI_MOVES to `status` (anonymous or verified requesters). */
  const bring = (id: string, status: FoiStatus) => {
    const path: Record<FoiStatus, FoiStatus[]> = {
      registered: [],
      gathering: ['gathering'],
      review: ['review'],
      decision: ['review', 'decision'],
      decided: ['review', 'decision', 'decided'],
      closed: ['review', 'decision', 'decided', 'closed'],
      withdrawn: ['withdrawn'],
    };
    for (const to of path[status]) move(id, to);
    expect(view(id).status).toBe(status);
  };
  /** The update input a form loaded with the view would send, with changes. */
  const updateInput = (v: View, patch: Input = {}): Input => ({
    id: v.id,
    version: v.version,
    registryNumber: v.registryNumber,
    receivedOn: v.receivedOn,
    channel: v.channel,
    requesterKind: v.requesterKind,
    requesterName: v.requesterPerson ? null : v.requesterName,
    requesterContact: v.requesterContact,
    requesterPersonId: v.requesterPerson?.id ?? null,
    identityVerified: v.identityVerified,
    identityVerifiedOn: v.identityVerifiedOn,
    language: v.language,
    askedFor: v.askedFor,
    assigneeId: v.assigneeId,
    ...patch,
  });
  const row = (id: string) => core.db.sqlite.prepare('SELECT * FROM foi_request WHERE id = ?').get(id) as Record<string, unknown>;
  const requestCount = () => core.db.sqlite.prepare('SELECT count(*) FROM foi_request').pluck().get() as number;
  return { c, create, view, move, bring, updateInput, row, requestCount, err: (method: string, input: Input) => failed(c.call(method, input)) };
}

interface PersonRow {
  id: string;
  given_name: string;
  family_name: string;
}
const nameOf = (p: PersonRow) => `${p.family_name}, ${p.given_name}`;

// ---------- the Swedish register most tests share ----------

let core: TestCore;
let foi: ReturnType<typeof client>;
let foiId: string;
let clerkAllId: string;
/** Unprotected adults and children: each test takes its own. */
let adults: PersonRow[] = [];
let kids: PersonRow[] = [];
/** Current, unshielded custody of an unprotected, unshielded child: one per child, each test its own. */
let families: { child: string; guardian: string }[] = [];
/** A guardian with two children in their custody, none of them among `families`. */
let siblings: { guardian: string; children: string[] };
let protectedAdult: PersonRow;
let protectedChild: PersonRow;

beforeAll(() => {
  core = makeTestCore({ persons: 300 });
  foi = client(core, signIn(core, 'foi'));
  foiId = userId(core, 'foi');
  clerkAllId = userId(core, 'clerk.all');
  const s = core.db.sqlite;
  adults = s.prepare(`SELECT id, given_name, family_name FROM person WHERE is_child = 0 AND protection = 'none' AND shielded = 0 AND deleted_at IS NULL ORDER BY id LIMIT 40`).all() as PersonRow[];
  kids = s.prepare(`SELECT id, given_name, family_name FROM person WHERE is_child = 1 AND protection = 'none' AND shielded = 0 AND deleted_at IS NULL ORDER BY id LIMIT 20`).all() as PersonRow[];
  const custody = `FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
       WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.valid_to IS NULL AND g.valid_from <= '2026-01-01' AND g.kind = 'vardnadshavare'
         AND c.protection = 'none' AND c.shielded = 0 AND a.protection = 'none' AND a.shielded = 0`;
  const sib = s.prepare(`SELECT g.guardian_id AS guardian, json_group_array(g.child_id) AS children ${custody} GROUP BY g.guardian_id HAVING count(*) >= 2 ORDER BY g.guardian_id DESC LIMIT 1`).get() as {
    guardian: string;
    children: string;
  };
  siblings = { guardian: sib.guardian, children: (JSON.parse(sib.children) as string[]).sort().slice(0, 2) };
  families = s
    .prepare(
      `SELECT g.child_id AS child, min(g.guardian_id) AS guardian ${custody}
         AND g.child_id NOT IN (SELECT child_id FROM guardianship WHERE guardian_id = ?)
       GROUP BY g.child_id HAVING min(g.guardian_id) <> ? ORDER BY g.child_id LIMIT 20`,
    )
    .all(sib.guardian, sib.guardian) as { child: string; guardian: string }[];
  protectedAdult = s.prepare(`SELECT id, given_name, family_name FROM person WHERE is_child = 0 AND protection <> 'none' AND deleted_at IS NULL ORDER BY id LIMIT 1`).get() as PersonRow;
  protectedChild = s.prepare(`SELECT id, given_name, family_name FROM person WHERE is_child = 1 AND protection <> 'none' AND deleted_at IS NULL ORDER BY id LIMIT 1`).get() as PersonRow;
  expect([adults.length, kids.length, families.length, siblings.children.length]).toEqual([40, 20, 20, 2]);
  expect(protectedAdult.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(protectedChild.id).toMatch(/^[0-9a-f-]{36}$/);
});
afterAll(() => core.dispose());

const ALL_METHODS = [
  'foi.requests',
  'foi.request',
  'foi.requestCreate',
  'foi.requestUpdate',
  'foi.requestMove',
  'foi.requestExtend',
  'foi.requestPersonAdd',
  'foi.requestPersonRemove',
  'foi.officers',
  'foi.rules',
  'foi.rulesUpdate',
] as const;

describe('who may', () => {
  it('only the FOI officer: every other demo role is refused reading and writing, nothing is stored, each refusal is logged without the input', () => {
    const r = foi.create({ ...SE_DOC, requesterContact: 'refusal@example.org', persons: [{ personId: adults[0]!.id, role: 'listed' }] });
    const link = foi.view(r.id).links[0]!;
    const rules = data<Rules>(foi.c.call('foi.rules', {}));
    const inputs: Record<(typeof ALL_METHODS)[number], Input> = {
      'foi.requests': { filter: 'all' },
      'foi.request': { id: r.id },
      'foi.requestCreate': { ...SE_DOC, requesterKind: 'named', requesterName: 'Refused Namesson' },
      'foi.requestUpdate': foi.updateInput(foi.view(r.id), { askedFor: 'Changed by someone refused' }),
      'foi.requestMove': { id: r.id, version: 1, to: 'review' },
      'foi.requestExtend': { id: r.id, version: 1, noticeOn: TEST_TODAY, reason: 'Many records' },
      'foi.requestPersonAdd': { requestId: r.id, personId: adults[1]!.id, role: 'other' },
      'foi.requestPersonRemove': { id: link.id, version: link.version },
      'foi.officers': {},
      'foi.rules': {},
      'foi.rulesUpdate': { rules: rules.rules, calendar: rules.calendar, version: rules.version },
    };
    const before = core.db.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'denied'`).pluck().get() as number;
    const users = ['clerk', 'clerk.all', 'fee', 'registrar', 'protected', 'auditor'];
    for (const username of users) {
      const c = signIn(core, username);
      for (const m of ALL_METHODS) {
        const e = failed(c.call(m, inputs[m]));
        expect([username, m, e.code]).toEqual([username, m, 'forbidden']);
      }
    }
    // Nothing changed: the one request, untouched, with its one person.
    expect(foi.view(r.id)).toMatchObject({ version: 1, status: 'registered', askedFor: 'Klasslista för 3B', persons: [{ id: adults[0]!.id }] });
    expect(core.db.sqlite.prepare('SELECT count(*) FROM foi_request').pluck().get()).toBe(1);
    expect(core.db.sqlite.prepare('SELECT count(*) FROM foi_request_person').pluck().get()).toBe(1);
    expect(data<Rules>(foi.c.call('foi.rules', {})).defaults).toBe(true);
    // Every refusal is in the audit log, as denied, without the typed name or the contact.
    const denied = core.db.sqlite.prepare(`SELECT method, outcome, details FROM audit_log WHERE action = 'denied' ORDER BY seq`).all().slice(before) as { method: string; outcome: string; details: string }[];
    expect(denied.length).toBe(users.length * ALL_METHODS.length);
    expect(new Set(denied.map((d) => d.outcome))).toEqual(new Set(['forbidden']));
    expect(denied.slice(0, ALL_METHODS.length).map((d) => d.method)).toEqual([...ALL_METHODS]);
    for (const d of denied) {
      expect(d.details).not.toContain('Refused Namesson');
      expect(d.details).not.toContain('Changed by someone refused');
    }
  });

  it('the FOI officer holds read, write and decide: every move of a new request is open to them', () => {
    const r = foi.create(SE_DOC);
    expect(foi.view(r.id).moves).toEqual(['gathering', 'review', 'withdrawn']);
    foi.bring(r.id, 'decision');
    // Deciding needs foi.decide, which the officer holds.
    expect(foi.view(r.id).moves).toEqual(['review', 'decided']);
  });

  it('an account with foi.write but without foi.decide is refused deciding and is not offered the move', () => {
    const r = foi.create(SE_DOC);
    foi.bring(r.id, 'decision');
    const writer: Actor = { id: foiId, name: FOI_NAME, permissions: new Set<Permission>(['foi.read', 'foi.write']) };
    expect(data<View>(core.call('foi.request', { id: r.id }, writer)).moves).toEqual(['review']);
    expect(failed(core.call('foi.requestMove', { id: r.id, version: 3, to: 'decided' }, writer))).toMatchObject({ code: 'forbidden' });
    expect(foi.row(r.id)).toMatchObject({ status: 'decision', version: 3, decided_on: null });
    // Nothing but reading: no moves at all.
    const reader: Actor = { id: foiId, name: FOI_NAME, permissions: new Set<Permission>(['foi.read']) };
    expect(data<View>(core.call('foi.request', { id: r.id }, reader)).moves).toEqual([]);
    expect(failed(core.call('foi.requestMove', { id: r.id, version: 3, to: 'review' }, reader))).toMatchObject({ code: 'forbidden' });
  });

  it('a decision-maker (foi_decider: read and decide, no write) decides a request waiting for it or sends it back, and nothing else', () => {
    const decider: Actor = { id: foiId, name: FOI_NAME, permissions: new Set<Permission>(ROLE_PERMISSIONS.foi_decider) };
    expect(ROLE_PERMISSIONS.foi_decider).not.toContain('foi.write');
    const r = foi.create(SE_DOC);
    // Before the decision stage: no move is theirs.
    expect(data<View>(core.call('foi.request', { id: r.id }, decider)).moves).toEqual([]);
    expect(failed(core.call('foi.requestMove', { id: r.id, version: 1, to: 'gathering' }, decider))).toMatchObject({ code: 'forbidden' });
    expect(failed(core.call('foi.requestMove', { id: r.id, version: 1, to: 'decided' }, decider))).toMatchObject({ code: 'rule_violation', rule: 'foi_move' });
    foi.bring(r.id, 'decision');
    expect(data<View>(core.call('foi.request', { id: r.id }, decider)).moves).toEqual(['review', 'decided']);
    // Sent back to review, then (the officer brings it again) decided: the decider is named on the decision.
    data(core.call('foi.requestMove', { id: r.id, version: 3, to: 'review', reason: 'Pröva dokumentet igen' }, decider));
    expect(foi.row(r.id)).toMatchObject({ status: 'review', version: 4 });
    expect(data<View>(core.call('foi.request', { id: r.id }, decider)).moves).toEqual([]);
    data(foi.c.call('foi.requestMove', { id: r.id, version: 4, to: 'decision' }));
    data(core.call('foi.requestMove', { id: r.id, version: 5, to: 'decided' }, decider));
    expect(foi.row(r.id)).toMatchObject({ status: 'decided', decided_by: foiId, decided_on: TEST_TODAY });
    // Their other writes are refused: editing, persons, gathering.
    expect(failed(core.call('foi.requestUpdate', foi.updateInput(foi.view(r.id)), decider))).toMatchObject({ code: 'forbidden' });
    expect(failed(core.call('foi.gather', { requestId: r.id }, decider))).toMatchObject({ code: 'forbidden' });
  });
});

describe('foi.requestCreate', () => {
  it('registers an anonymous Swedish request listing persons: the rows at version 1, the change log off the card history, one mutation', () => {
    const [p1, p2] = [adults[2]!, kids[0]!];
    const mutationId = crypto.randomUUID();
    const r = data<Written>(
      foi.c.call(
        'foi.requestCreate',
        {
          ...SE_DOC,
          registryNumber: 'KS 2026/1234',
          requesterContact: 'journalist@example.org',
          assigneeId: foiId,
          persons: [
            { personId: p1.id, role: 'listed' },
            { personId: p2.id, role: 'other' },
          ],
        },
        { mutationId },
      ),
    );
    expect(r).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1 });
    expect(foi.row(r.id)).toEqual({
      id: r.id,
      registry_number: 'KS 2026/1234',
      kind: 'se_public_document',
      received_on: TEST_TODAY,
      channel: 'email',
      requester_kind: 'anonymous',
      requester_name: null,
      requester_contact: 'journalist@example.org',
      requester_person_id: null,
      identity_verified: null,
      identity_verified_on: null,
      language: 'sv',
      asked_for: 'Klasslista för 3B',
      assignee_id: foiId,
      status: 'registered',
      status_reason: null,
      extension_notice_on: null,
      extension_reason: null,
      extension_months: null,
      decided_on: null,
      decided_by: null,
      closed_on: null,
      version: 1,
      created_at: NOW,
      created_by: foiId,
      updated_at: NOW,
      updated_by: foiId,
    });
    const links = core.db.sqlite.prepare('SELECT person_id, role, version, deleted_at, created_by FROM foi_request_person WHERE request_id = ? ORDER BY role').all(r.id);
    expect(links).toEqual([
      { person_id: p1.id, role: 'listed', version: 1, deleted_at: null, created_by: foiId },
      { person_id: p2.id, role: 'other', version: 1, deleted_at: null, created_by: foiId },
    ]);
    // Three change records, none on a person's card history, all of the one user action.
    const log = core.db.sqlite
      .prepare(`SELECT entity, op, version, person_id, related_person_id, mutation_id FROM change_log WHERE mutation_id = ? ORDER BY seq`)
      .all(mutationId) as { entity: string }[];
    expect(log).toEqual([
      { entity: 'foi_request', op: 'create', version: 1, person_id: null, related_person_id: null, mutation_id: mutationId },
      { entity: 'foi_request_person', op: 'create', version: 1, person_id: null, related_person_id: null, mutation_id: mutationId },
      { entity: 'foi_request_person', op: 'create', version: 1, person_id: null, related_person_id: null, mutation_id: mutationId },
    ]);
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM change_log WHERE person_id IN (?, ?) AND entity LIKE 'foi%'`).pluck().get(p1.id, p2.id)).toBe(0);
    expect(core.db.sqlite.prepare('SELECT id, actor_id, method FROM mutation WHERE id = ?').all(mutationId)).toEqual([{ id: mutationId, actor_id: foiId, method: 'foi.requestCreate' }]);
    // The same mutation again answers from the record, writing nothing twice.
    const again = data<Written>(foi.c.call('foi.requestCreate', { ...SE_DOC, persons: [{ personId: p1.id, role: 'listed' }] }, { mutationId }));
    expect(again).toEqual(r);
    expect(core.db.sqlite.prepare('SELECT count(*) FROM change_log WHERE mutation_id = ?').pluck().get(mutationId)).toBe(3);

    // As read: the persons in name order with their names, the assignee, the creator.
    const names = [p1, p2].map((p) => ({ id: p.id, name: nameOf(p), protected: false, sort: core.db.sqlite.prepare('SELECT sort_key FROM person WHERE id = ?').pluck().get(p.id) as string }));
    names.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
    const v = foi.view(r.id);
    expect(v.persons).toEqual(names.map(({ id, name }) => ({ id, name, protected: false })));
    expect(v).toMatchObject({ requesterName: null, requesterPerson: null, requesterContact: 'journalist@example.org', assigneeId: foiId, assigneeName: FOI_NAME, createdByName: FOI_NAME, createdAt: NOW });
  });

  it('refuses a kind of the other country, a day received or verified in the future, and a verification day without how', () => {
    const n = foi.requestCount();
    expect(foi.err('foi.requestCreate', { ...SE_DOC, kind: 'no_innsyn' })).toMatchObject({ code: 'rule_violation', rule: 'foi_kind_country', field: 'kind' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, receivedOn: '2026-11-24' })).toMatchObject({ code: 'rule_violation', rule: 'foi_received_future', field: 'receivedOn' });
    const subject = adults[3]!.id;
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'subject', requesterPersonId: subject, identityVerified: 'e_id', identityVerifiedOn: '2026-11-24' })).toMatchObject({
      code: 'rule_violation',
      rule: 'foi_received_future',
      field: 'identityVerifiedOn',
    });
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'subject', requesterPersonId: subject, identityVerifiedOn: '2026-11-20' })).toMatchObject({
      code: 'validation',
      field: 'identityVerified',
      issues: [{ field: 'identityVerified', code: 'required' }],
    });
    // A kind or a key the contract does not know.
    expect(foi.err('foi.requestCreate', { ...SE_DOC, kind: 'complaint' })).toMatchObject({ code: 'validation', field: 'kind' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, status: 'decided' })).toMatchObject({ code: 'validation', field: 'status', issues: [{ field: 'status', code: 'unrecognized_key' }] });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, askedFor: '   ' })).toMatchObject({ code: 'validation', field: 'askedFor', issues: [{ field: 'askedFor', code: 'required' }] });
    expect(foi.requestCount()).toBe(n);
  });

  it('refuses an anonymous subject-access request, and an anonymous requester with a name, a register person or a verification', () => {
    const n = foi.requestCount();
    const child = kids[1]!.id;
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'anonymous', persons: [{ personId: child, role: 'subject' }] })).toMatchObject({
      code: 'rule_violation',
      rule: 'foi_anonymous_kind',
      field: 'requesterKind',
    });
    const e = foi.err('foi.requestCreate', { ...SE_DOC, requesterName: 'Anna Anonym' });
    expect(e).toMatchObject({ code: 'validation', field: 'requesterName' });
    expect(e.rule).toBeUndefined();
    expect(foi.err('foi.requestCreate', { ...SE_DOC, requesterPersonId: adults[4]!.id })).toMatchObject({ code: 'rule_violation', rule: 'foi_requester_person', field: 'requesterPersonId' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, identityVerified: 'id_document' })).toMatchObject({ code: 'validation', field: 'identityVerified' });
    expect(foi.requestCount()).toBe(n);
    // An empty name is no name: accepted.
    const r = foi.create({ ...SE_DOC, requesterName: '  ' });
    expect(foi.row(r.id)).toMatchObject({ requester_kind: 'anonymous', requester_name: null });
  });

  it('refuses a subject or guardian not chosen from the register, and a named requester without a name', () => {
    const n = foi.requestCount();
    const child = kids[2]!.id;
    for (const requesterKind of ['subject', 'guardian']) {
      expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind, requesterName: 'Typed Only', identityVerified: 'e_id', persons: [{ personId: child, role: 'subject' }] })).toMatchObject({
        code: 'rule_violation',
        rule: 'foi_requester_person',
        field: 'requesterPersonId',
      });
    }
    for (const requesterName of [undefined, null, '', '   ']) {
      expect(foi.err('foi.requestCreate', { ...SE_DOC, requesterKind: 'named', requesterName })).toMatchObject({
        code: 'validation',
        field: 'requesterName',
        issues: [{ field: 'requesterName', code: 'required' }],
      });
    }
    expect(foi.requestCount()).toBe(n);
  });

  it('refuses a subject-access request without a subject among the persons', () => {
    const n = foi.requestCount();
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'named', requesterName: 'Nils Named' })).toMatchObject({ code: 'rule_violation', rule: 'foi_subject_required', field: 'persons' });
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'named', requesterName: 'Nils Named', persons: [{ personId: kids[3]!.id, role: 'listed' }] })).toMatchObject({
      code: 'rule_violation',
      rule: 'foi_subject_required',
      field: 'persons',
    });
    // A subject listed otherwise than as the subject is not the subject either.
    const me = adults[5]!.id;
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'subject', requesterPersonId: me, identityVerified: 'e_id', persons: [{ personId: me, role: 'other' }] })).toMatchObject({
      rule: 'foi_subject_required',
      field: 'persons',
    });
    expect(foi.requestCount()).toBe(n);
  });

  it('adds a data subject asking as the subject, verified today; their name is read from the register, never copied', () => {
    const me = adults[6]!;
    const r = foi.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: me.id, requesterName: 'Typed Over', requesterContact: 'me@example.org', identityVerified: 'e_id' });
    expect(foi.row(r.id)).toMatchObject({ requester_kind: 'subject', requester_person_id: me.id, requester_name: null, requester_contact: 'me@example.org', identity_verified: 'e_id', identity_verified_on: TEST_TODAY });
    const v = foi.view(r.id);
    expect(v.persons).toEqual([{ id: me.id, name: nameOf(me), protected: false }]);
    expect(v.links).toEqual([{ id: expect.any(String), version: 1, role: 'subject', person: { id: me.id, name: nameOf(me), protected: false } }]);
    expect(v).toMatchObject({ requesterName: nameOf(me), requesterPerson: { id: me.id, name: nameOf(me), protected: false }, identityVerified: 'e_id', identityVerifiedOn: TEST_TODAY });

    // A named requester chosen from the register: the same.
    const named = adults[7]!;
    const r2 = foi.create({ ...SE_DOC, requesterKind: 'named', requesterPersonId: named.id, requesterName: 'Stale Copy' });
    expect(foi.row(r2.id)).toMatchObject({ requester_name: null, requester_person_id: named.id });
    expect(foi.view(r2.id)).toMatchObject({ requesterName: nameOf(named), requesterPerson: { id: named.id, name: nameOf(named), protected: false }, persons: [] });
    // A named requester outside the register keeps the typed name.
    const r3 = foi.create({ ...SE_DOC, requesterKind: 'named', requesterName: '  Greta Journalist  ' });
    expect(foi.row(r3.id)).toMatchObject({ requester_name: 'Greta Journalist', requester_person_id: null });
    expect(foi.view(r3.id).requesterName).toBe('Greta Journalist');
  });

  it("accepts a guardian's request for their child verified through the population register's custody", () => {
    const { child, guardian } = families[0]!;
    const r = foi.create({ ...GDPR, requesterKind: 'guardian', requesterPersonId: guardian, identityVerified: 'register_custody', identityVerifiedOn: '2026-11-20', persons: [{ personId: child, role: 'subject' }] });
    expect(foi.row(r.id)).toMatchObject({ requester_kind: 'guardian', requester_person_id: guardian, identity_verified: 'register_custody', identity_verified_on: '2026-11-20', status: 'registered' });
    // The guardian is the requester, not a person concerned.
    expect(foi.view(r.id).links.map((l) => [l.person.id, l.role])).toEqual([[child, 'subject']]);
    const entry = core.db.sqlite.prepare(`SELECT person_ids FROM audit_log WHERE method = 'foi.requestCreate' AND action = 'write' ORDER BY seq DESC LIMIT 1`).pluck().get() as string;
    // The log keeps a call's persons sorted.
    expect(JSON.parse(entry)).toEqual([guardian, child].sort());
  });

  it('refuses a guardian asking about a child not in their custody: another child, custody ended before the day received, another responsible adult', () => {
    const n = foi.requestCount();
    const a = families[1]!;
    const b = families[2]!;
    const guardianReq = (guardian: string, child: string, receivedOn = TEST_TODAY) => ({
      ...GDPR,
      receivedOn,
      requesterKind: 'guardian',
      requesterPersonId: guardian,
      identityVerified: 'register_custody',
      persons: [{ personId: child, role: 'subject' }],
    });
    expect(foi.err('foi.requestCreate', guardianReq(a.guardian, b.child))).toMatchObject({ code: 'rule_violation', rule: 'foi_not_guardian', field: 'requesterPersonId' });
    // One of two children not theirs.
    expect(
      foi.err('foi.requestCreate', {
        ...guardianReq(a.guardian, a.child),
        persons: [
          { personId: a.child, role: 'subject' },
          { personId: b.child, role: 'subject' },
        ],
      }),
    ).toMatchObject({ rule: 'foi_not_guardian', field: 'requesterPersonId' });
    // Someone else's child only listed is not asked about as the subject: accepted.
    const listed = foi.create({
      ...guardianReq(a.guardian, a.child),
      persons: [
        { personId: a.child, role: 'subject' },
        { personId: b.child, role: 'listed' },
      ],
    });
    expect(foi.view(listed.id).links.length).toBe(2);

    // Custody that ended on 30 June 2026: a request of today is refused, one received while it held is not.
    const c = families[3]!;
    core.db.sqlite.prepare(`UPDATE guardianship SET valid_to = '2026-06-30' WHERE child_id = ? AND guardian_id = ?`).run(c.child, c.guardian);
    expect(foi.err('foi.requestCreate', guardianReq(c.guardian, c.child))).toMatchObject({ rule: 'foi_not_guardian', field: 'requesterPersonId' });
    expect(foi.err('foi.requestCreate', guardianReq(c.guardian, c.child, '2026-07-01'))).toMatchObject({ rule: 'foi_not_guardian' });
    expect(foi.view(foi.create(guardianReq(c.guardian, c.child, '2026-06-30')).id).receivedOn).toBe('2026-06-30');

    // Another responsible adult (annan ansvarig) is no guardian.
    const d = families[4]!;
    core.db.sqlite.prepare(`UPDATE guardianship SET kind = 'annan_ansvarig' WHERE child_id = ? AND guardian_id = ?`).run(d.child, d.guardian);
    expect(foi.err('foi.requestCreate', guardianReq(d.guardian, d.child))).toMatchObject({ rule: 'foi_not_guardian', field: 'requesterPersonId' });
    expect(foi.requestCount()).toBe(n + 2);
  });

  it('refuses a guardian from whom a court decision shields the child', () => {
    const n = foi.requestCount();
    const { child, guardian } = families[5]!;
    core.db.sqlite.prepare('UPDATE guardianship SET shielded = 1 WHERE child_id = ? AND guardian_id = ?').run(child, guardian);
    expect(
      foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'guardian', requesterPersonId: guardian, identityVerified: 'register_custody', persons: [{ personId: child, role: 'subject' }] }),
    ).toMatchObject({ code: 'rule_violation', rule: 'foi_guardian_shielded', field: 'requesterPersonId' });
    expect(foi.requestCount()).toBe(n);
  });

  it('refuses a contact typed for a protected or shielded requester; without the contact the request is registered', () => {
    const n = foi.requestCount();
    const prot = { ...GDPR, requesterKind: 'subject', requesterPersonId: protectedAdult.id, identityVerified: 'id_document' };
    expect(foi.err('foi.requestCreate', { ...prot, requesterContact: 'secret-street@example.org' })).toMatchObject({ code: 'rule_violation', rule: 'foi_protected_contact', field: 'requesterContact' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, requesterKind: 'named', requesterPersonId: protectedAdult.id, requesterContact: '070-123 45 67' })).toMatchObject({
      rule: 'foi_protected_contact',
      field: 'requesterContact',
    });
    // Shielded without a protection of their own (sharing a protected person's home).
    const sharer = adults[8]!;
    core.db.sqlite.prepare('UPDATE person SET shielded = 1 WHERE id = ?').run(sharer.id);
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'subject', requesterPersonId: sharer.id, identityVerified: 'e_id', requesterContact: 'home@example.org' })).toMatchObject({
      rule: 'foi_protected_contact',
      field: 'requesterContact',
    });
    expect(foi.requestCount()).toBe(n);

    const r = foi.create(prot);
    expect(foi.row(r.id)).toMatchObject({ requester_contact: null, requester_person_id: protectedAdult.id, requester_name: null });
    // The officer (no protected.reveal) sees that a protected person asks, not who.
    const v = foi.view(r.id);
    expect(v).toMatchObject({ requesterName: null, requesterContact: null, requesterPerson: { id: protectedAdult.id, name: null, protected: true } });
    expect(v.persons).toEqual([{ id: protectedAdult.id, name: null, protected: true }]);
    expect(v.links).toEqual([{ id: expect.any(String), version: 1, role: 'subject', person: { id: protectedAdult.id, name: null, protected: true } }]);
    // So does the dashboard.
    expect(data<List>(foi.c.call('foi.requests', { filter: 'all', limit: 500 })).items.find((i) => i.id === r.id)).toMatchObject({
      requesterName: null,
      persons: [{ id: protectedAdult.id, name: null, protected: true }],
    });
    // A contact stored directly (before the protection began) is not shown to the officer.
    core.db.sqlite.prepare('UPDATE foi_request SET requester_contact = ? WHERE id = ?').run('old-address@example.org', r.id);
    expect(foi.view(r.id).requesterContact).toBeNull();
    // The shielded requester's own name is shown; only their contact is withheld.
    const s = foi.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: sharer.id, identityVerified: 'e_id' });
    core.db.sqlite.prepare('UPDATE foi_request SET requester_contact = ? WHERE id = ?').run('shared-home@example.org', s.id);
    expect(foi.view(s.id)).toMatchObject({ requesterName: nameOf(sharer), requesterContact: null, requesterPerson: { id: sharer.id, name: nameOf(sharer), protected: false } });
  });

  it('refuses an assignee who is no FOI officer', () => {
    const n = foi.requestCount();
    expect(foi.err('foi.requestCreate', { ...SE_DOC, assigneeId: clerkAllId })).toMatchObject({ code: 'rule_violation', rule: 'foi_assignee', field: 'assigneeId' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, assigneeId: crypto.randomUUID() })).toMatchObject({ rule: 'foi_assignee', field: 'assigneeId' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, assigneeId: userId(core, 'admin') })).toMatchObject({ rule: 'foi_assignee', field: 'assigneeId' });
    expect(foi.requestCount()).toBe(n);
  });

  it('refuses a person twice and a person who does not exist, naming the place in the list', () => {
    const n = foi.requestCount();
    const p = adults[9]!.id;
    expect(
      foi.err('foi.requestCreate', {
        ...SE_DOC,
        persons: [
          { personId: p, role: 'listed' },
          { personId: p, role: 'other' },
        ],
      }),
    ).toMatchObject({ code: 'rule_violation', rule: 'foi_person_twice', field: 'persons.1.personId' });
    // The subject asking, listed again as the subject, is listed twice: once is enough.
    expect(
      foi.err('foi.requestCreate', {
        ...GDPR,
        requesterKind: 'subject',
        requesterPersonId: p,
        identityVerified: 'e_id',
        persons: [
          { personId: p, role: 'subject' },
          { personId: p, role: 'subject' },
        ],
      }),
    ).toMatchObject({ rule: 'foi_person_twice', field: 'persons.1.personId' });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, persons: [{ personId: p, role: 'listed' }, { personId: crypto.randomUUID(), role: 'listed' }] })).toMatchObject({
      code: 'not_found',
      field: 'persons.1.personId',
    });
    expect(foi.err('foi.requestCreate', { ...SE_DOC, requesterKind: 'named', requesterPersonId: crypto.randomUUID() })).toMatchObject({ code: 'not_found', field: 'requesterPersonId' });
    expect(foi.requestCount()).toBe(n);
  });

  it('names the fields of the input when the subject asking does not exist, and the places of the list given', () => {
    const n = foi.requestCount();
    const missing = crypto.randomUUID();
    // The form's persons list is empty: the error must point at the requester the officer chose.
    expect(foi.err('foi.requestCreate', { ...GDPR, requesterKind: 'subject', requesterPersonId: missing, identityVerified: 'e_id' })).toMatchObject({ code: 'not_found', field: 'requesterPersonId' });
    // The subject added to the persons does not shift the places the errors name in the list given.
    const me = adults[25]!.id;
    const x = kids[6]!.id;
    const subject = { ...GDPR, requesterKind: 'subject', requesterPersonId: me, identityVerified: 'e_id' };
    expect(
      foi.err('foi.requestCreate', {
        ...subject,
        persons: [
          { personId: x, role: 'listed' },
          { personId: x, role: 'other' },
        ],
      }),
    ).toMatchObject({ rule: 'foi_person_twice', field: 'persons.1.personId' });
    expect(
      foi.err('foi.requestCreate', {
        ...subject,
        persons: [
          { personId: x, role: 'listed' },
          { personId: missing, role: 'listed' },
        ],
      }),
    ).toMatchObject({ code: 'not_found', field: 'persons.1.personId' });
    expect(foi.requestCount()).toBe(n);
  });
});

describe('foi.request', () => {
  it('shows a Swedish request received today with its deadlines (due today), moves and people', () => {
    const p = adults[10]!;
    const r = foi.create({ ...SE_DOC, registryNumber: 'KS 2026/77', requesterKind: 'named', requesterName: 'Greta Granskare', requesterContact: 'greta@example.org', assigneeId: foiId, persons: [{ personId: p.id, role: 'listed' }] });
    const v = foi.view(r.id);
    // se_public_document, received Monday 23 Nov: the day received is the first working day; the target is
    // it (0 working days); the last accepted day is the third working day (Mon, Tue, Wed 25); overdue from
    // Thursday 26. Today is from the target to the last day: due today.
    expect(v).toEqual({
      id: r.id,
      version: 1,
      registryNumber: 'KS 2026/77',
      kind: 'se_public_document',
      receivedOn: TEST_TODAY,
      channel: 'email',
      requesterKind: 'named',
      requesterName: 'Greta Granskare',
      persons: [{ id: p.id, name: nameOf(p), protected: false }],
      assigneeId: foiId,
      assigneeName: FOI_NAME,
      status: 'registered',
      decidedOn: null,
      deadlines: { target: '2026-11-23', final: '2026-11-25', overdueFrom: '2026-11-26', deemedRefusedOn: null, extended: false, extensionNoticeBy: null, state: 'due_today' },
      requesterContact: 'greta@example.org',
      requesterPerson: null,
      identityVerified: null,
      identityVerifiedOn: null,
      language: 'sv',
      askedFor: 'Klasslista för 3B',
      extensionNoticeOn: null,
      extensionReason: null,
      decidedByName: null,
      closedOn: null,
      statusReason: null,
      links: [{ id: expect.any(String), version: 1, role: 'listed', person: { id: p.id, name: nameOf(p), protected: false } }],
      moves: ['gathering', 'review', 'withdrawn'],
      createdAt: NOW,
      createdByName: FOI_NAME,
    });
    // The read is audited with the persons (a requester typed by name is not one).
    const entry = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'foi.request' ORDER BY seq DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(entry.person_ids)).toEqual([p.id]);
    expect(JSON.parse(entry.details)).toEqual({ request: r.id });
    expect(foi.err('foi.request', { id: crypto.randomUUID() })).toMatchObject({ code: 'not_found', field: 'id' });
  });

  it('shows a subject-access request received 20 October as overdue today', () => {
    const me = adults[11]!;
    const r = foi.create({ ...GDPR, receivedOn: '2026-10-20', requesterKind: 'subject', requesterPersonId: me.id, identityVerified: 'e_id' });
    // One month from Tuesday 20 October (1182/71 art. 3): Friday 20 November, a working day, so it stays;
    // the target is the same day; the extension may be notified until then; overdue from Saturday 21.
    expect(foi.view(r.id).deadlines).toEqual({ target: '2026-11-20', final: '2026-11-20', overdueFrom: '2026-11-21', deemedRefusedOn: null, extended: false, extensionNoticeBy: '2026-11-20', state: 'overdue' });
  });

  it('hides a contact stored before the requester became protected from the officer, and their name; a revealer sees both', () => {
    const p = adults[12]!;
    const r = foi.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: p.id, requesterContact: 'before-protection@example.org', identityVerified: 'e_id' });
    expect(foi.view(r.id)).toMatchObject({ requesterContact: 'before-protection@example.org', requesterName: nameOf(p) });
    // The protection begins after the request was registered (the register's import would set both).
    core.db.sqlite.prepare(`UPDATE person SET protection = 'se_skyddad_folkbokforing', protected_since = ?, shielded = 1 WHERE id = ?`).run(TEST_TODAY, p.id);
    const hidden = { id: p.id, name: null, protected: true };
    expect(foi.view(r.id)).toMatchObject({ requesterContact: null, requesterName: null, requesterPerson: hidden, persons: [hidden], links: [{ role: 'subject', person: hidden }] });
    expect(foi.row(r.id).requester_contact).toBe('before-protection@example.org');
    // The contact cannot be saved again for them.
    expect(foi.err('foi.requestUpdate', foi.updateInput(foi.view(r.id), { requesterContact: 'before-protection@example.org' }))).toMatchObject({ rule: 'foi_protected_contact', field: 'requesterContact' });
    // The in-process administrator holds protected.reveal for everyone: name and contact.
    const shown = { id: p.id, name: nameOf(p), protected: true };
    expect(core.ok('foi.request', { id: r.id })).toMatchObject({ requesterContact: 'before-protection@example.org', requesterName: nameOf(p), requesterPerson: shown, persons: [shown] });
  });
});

describe('a Norwegian register', () => {
  let no: TestCore;
  let nfoi: ReturnType<typeof client>;
  beforeAll(() => {
    no = makeTestCore({ persons: 120, country: 'NO' });
    nfoi = client(no, signIn(no, 'foi'));
  });
  afterAll(() => no.dispose());
  const INNSYN: Input = { kind: 'no_innsyn', channel: 'email', requesterKind: 'anonymous', language: 'nb', askedFor: 'Klasseliste 5A' };

  it('refuses the Swedish kind and takes an innsynskrav and a subject-access request', () => {
    expect(nfoi.err('foi.requestCreate', { ...SE_DOC, language: 'nb' })).toMatchObject({ code: 'rule_violation', rule: 'foi_kind_country', field: 'kind' });
    expect(nfoi.requestCount()).toBe(0);
    const me = no.db.sqlite.prepare(`SELECT id FROM person WHERE is_child = 0 AND protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1`).pluck().get() as string;
    const g = nfoi.create({ ...GDPR, language: 'nb', requesterKind: 'subject', requesterPersonId: me, identityVerified: 'e_id' });
    // Norway's GDPR month the same: received 23 November, the month ends Wednesday 23 December.
    expect(nfoi.view(g.id).deadlines).toMatchObject({ final: '2026-12-23', overdueFrom: '2026-12-24', deemedRefusedOn: null, state: 'open' });
  });

  it('counts an innsynskrav as refused the day after the fifth working day after it was received', () => {
    // Received Friday 13 November: the working days after it are Mon 16 … Fri 20 (the fifth): the last
    // day is 20 November, and from Saturday 21 it counts as refused; the office's target is the third
    // working day after, Wednesday 18. Today (23rd) is after the last day, undecided: deemed refused.
    const late = nfoi.create({ ...INNSYN, receivedOn: '2026-11-13' });
    expect(nfoi.view(late.id).deadlines).toEqual({ target: '2026-11-18', final: '2026-11-20', overdueFrom: null, deemedRefusedOn: '2026-11-21', extended: false, extensionNoticeBy: null, state: 'deemed_refused' });
    // Received Monday 16 November: the five working days after it are Tue 17 … Mon 23, so today is the
    // last day (due today) and it counts as refused from Tuesday 24; the target is Thursday 19.
    const today = nfoi.create({ ...INNSYN, receivedOn: '2026-11-16' });
    expect(nfoi.view(today.id).deadlines).toEqual({ target: '2026-11-19', final: '2026-11-23', overdueFrom: null, deemedRefusedOn: '2026-11-24', extended: false, extensionNoticeBy: null, state: 'due_today' });
    const list = data<List>(nfoi.c.call('foi.requests', { filter: 'deemed_refused' }));
    expect(list.items.map((i) => i.id)).toEqual([late.id]);
    expect(list.counts).toMatchObject({ deemed_refused: 1, overdue: 0, due_today: 1, open: 3, all: 3 });
    // Decided today, after its last day: late.
    nfoi.bring(late.id, 'decided');
    expect(nfoi.view(late.id).deadlines.state).toBe('decided_late');
  });

  it('shows protected persons of a Norwegian class list without their names', () => {
    const prot = no.db.sqlite.prepare(`SELECT id FROM person WHERE protection <> 'none' ORDER BY id LIMIT 2`).pluck().all() as string[];
    const r = nfoi.create({ ...INNSYN, receivedOn: TEST_TODAY, persons: prot.map((personId) => ({ personId, role: 'listed' })) });
    expect(
      nfoi
        .view(r.id)
        .persons.map((p) => [p.name, p.protected])
        .sort(),
    ).toEqual([
      [null, true],
      [null, true],
    ]);
  });
});

describe('foi.requests (the dashboard)', () => {
  let dash: TestCore;
  let d: ReturnType<typeof client>;
  const ids: Record<string, string> = {};
  let listed: PersonRow[] = [];
  let subject: PersonRow;
  const tab = (filter: string, extra: Input = {}) => data<List>(d.c.call('foi.requests', { filter, ...extra }));

  beforeAll(() => {
    dash = makeTestCore({ persons: 80 });
    d = client(dash, signIn(dash, 'foi'));
    const me = userId(dash, 'foi');
    listed = dash.db.sqlite.prepare(`SELECT id, given_name, family_name FROM person WHERE protection = 'none' AND shielded = 0 ORDER BY sort_key LIMIT 2`).all() as PersonRow[];
    subject = dash.db.sqlite.prepare(`SELECT id, given_name, family_name FROM person WHERE protection = 'none' AND shielded = 0 AND is_child = 0 ORDER BY id DESC LIMIT 1`).get() as PersonRow;
    const doc = (receivedOn: string, extra: Input = {}) => d.create({ ...SE_DOC, receivedOn, ...extra }).id;
    // Swedish: the last day is the third working day counting the day received (docs/foi.md).
    ids.A = doc('2026-11-23', { assigneeId: me, persons: listed.map((p) => ({ personId: p.id, role: 'listed' })) }); // Mon: last Wed 25; due today
    ids.B = doc('2026-11-18'); // Wed: Wed, Thu, Fri 20; overdue since Sat 21
    ids.D = doc('2026-11-19'); // Thu: Thu, Fri, Mon 23; due today (its last day)
    ids.E = doc('2026-11-20'); // Fri: Fri, Mon, Tue 24; due today; in review
    d.bring(ids.E, 'review');
    // GDPR: one month, moved to a working day.
    ids.C = d.create({ ...GDPR, receivedOn: '2026-11-10', requesterKind: 'subject', requesterPersonId: subject.id, identityVerified: 'e_id', assigneeId: me }).id; // Thu 10 Dec; open
    ids.F = d.create({ ...GDPR, receivedOn: '2026-11-01', requesterKind: 'named', requesterName: 'Frida Named', persons: [{ personId: listed[0]!.id, role: 'subject' }] }).id; // Tue 1 Dec; open; waiting for decision
    d.bring(ids.F, 'decision');
    ids.G = doc('2026-11-16', { assigneeId: me }); // Mon: last Wed 18; decided today: late
    d.bring(ids.G, 'decided');
    ids.H = doc('2026-11-23'); // withdrawn today
    d.bring(ids.H, 'withdrawn');
  });
  afterAll(() => dash.dispose());

  const idsOf = (l: List) => l.items.map((i) => Object.keys(ids).find((k) => ids[k] === i.id));

  it('counts every tab and sorts the open requests by their last day, the finished ones after them', () => {
    const all = tab('all');
    expect(all.today).toBe(TEST_TODAY);
    expect(all.counts).toEqual({ due_today: 3, overdue: 1, deemed_refused: 0, review: 1, decision: 1, open: 6, all: 8 });
    expect(all.total).toBe(8);
    // Open by last day: B 20 Nov, D 23 Nov, E 24 Nov, A 25 Nov, F 1 Dec, C 10 Dec; then finished, the latest received first.
    expect(idsOf(all)).toEqual(['B', 'D', 'E', 'A', 'F', 'C', 'H', 'G']);
    expect(all.items.map((i) => i.deadlines.state)).toEqual(['overdue', 'due_today', 'due_today', 'due_today', 'open', 'open', 'decided', 'decided_late']);
    expect(idsOf(tab('open'))).toEqual(['B', 'D', 'E', 'A', 'F', 'C']);
    // Left out: the default tab is the open requests.
    expect(idsOf(data<List>(d.c.call('foi.requests', {})))).toEqual(['B', 'D', 'E', 'A', 'F', 'C']);
    expect(idsOf(tab('due_today'))).toEqual(['D', 'E', 'A']);
    expect(idsOf(tab('overdue'))).toEqual(['B']);
    expect(idsOf(tab('deemed_refused'))).toEqual([]);
    expect(idsOf(tab('review'))).toEqual(['E']);
    expect(idsOf(tab('decision'))).toEqual(['F']);
    // Every tab answers every count.
    expect(tab('review').counts).toEqual(all.counts);
    expect(tab('review').total).toBe(1);
  });

  it('answers each request as a summary with its people and deadlines', () => {
    const all = tab('all');
    const a = all.items.find((i) => i.id === ids.A)!;
    expect(a).toEqual({
      id: ids.A,
      version: 1,
      registryNumber: null,
      kind: 'se_public_document',
      receivedOn: '2026-11-23',
      channel: 'email',
      requesterKind: 'anonymous',
      requesterName: null,
      persons: listed.map((p) => ({ id: p.id, name: nameOf(p), protected: false })),
      assigneeId: userId(dash, 'foi'),
      assigneeName: FOI_NAME,
      status: 'registered',
      decidedOn: null,
      deadlines: { target: '2026-11-23', final: '2026-11-25', overdueFrom: '2026-11-26', deemedRefusedOn: null, extended: false, extensionNoticeBy: null, state: 'due_today' },
    });
    expect(all.items.find((i) => i.id === ids.C)).toMatchObject({ requesterName: nameOf(subject), persons: [{ id: subject.id, name: nameOf(subject), protected: false }] });
    expect(all.items.find((i) => i.id === ids.F)).toMatchObject({ requesterName: 'Frida Named', status: 'decision' });
    expect(all.items.find((i) => i.id === ids.G)).toMatchObject({ status: 'decided', decidedOn: TEST_TODAY, deadlines: { final: '2026-11-18', state: 'decided_late' } });
    // The read is audited with every person the page shows (the requester in the register too).
    const entry = dash.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'foi.requests' ORDER BY seq DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(new Set(JSON.parse(entry.person_ids) as string[])).toEqual(new Set([...listed.map((p) => p.id), subject.id]));
    expect(JSON.parse(entry.details)).toEqual({ filter: 'all', requests: 8 });
  });

  it('pages with offset and limit, the total being the whole tab', () => {
    const page = tab('all', { offset: 2, limit: 3 });
    expect(idsOf(page)).toEqual(['E', 'A', 'F']);
    expect(page.total).toBe(8);
    expect(idsOf(tab('all', { offset: 6, limit: 5 }))).toEqual(['H', 'G']);
    expect(tab('all', { offset: 8 }).items).toEqual([]);
    expect(tab('all', { offset: 8 }).total).toBe(8);
    expect(d.err('foi.requests', { filter: 'all', limit: 0 })).toMatchObject({ code: 'validation', field: 'limit' });
    expect(d.err('foi.requests', { filter: 'all', limit: 501 })).toMatchObject({ code: 'validation', field: 'limit' });
    expect(d.err('foi.requests', { filter: 'mine' })).toMatchObject({ code: 'validation', field: 'filter' });
  });

  it("shows only the caller's own with mine, counting only those", () => {
    const mine = tab('all', { mine: true });
    expect(idsOf(mine)).toEqual(['A', 'C', 'G']);
    expect(mine.counts).toEqual({ due_today: 1, overdue: 0, deemed_refused: 0, review: 0, decision: 0, open: 2, all: 3 });
    expect(idsOf(tab('open', { mine: true }))).toEqual(['A', 'C']);
    expect(idsOf(tab('due_today', { mine: true }))).toEqual(['A']);
  });
});

describe('foi.requestUpdate', () => {
  it('changes the fields at the version read; a stale version is a conflict; the kind cannot change', () => {
    const r = foi.create({ ...SE_DOC, requesterKind: 'named', requesterName: 'Olle Original' });
    const v = foi.view(r.id);
    const w = data<Written>(foi.c.call('foi.requestUpdate', foi.updateInput(v, { registryNumber: 'KS 2026/9', receivedOn: '2026-11-20', channel: 'counter', requesterName: 'Olle Rättad', assigneeId: foiId })));
    expect(w).toEqual({ id: r.id, version: 2 });
    expect(foi.row(r.id)).toMatchObject({ version: 2, registry_number: 'KS 2026/9', received_on: '2026-11-20', channel: 'counter', requester_name: 'Olle Rättad', assignee_id: foiId, kind: 'se_public_document', status: 'registered' });
    // Received Friday 20 November now: Fri, Mon, Tue 24 is the last day.
    expect(foi.view(r.id).deadlines).toMatchObject({ target: '2026-11-20', final: '2026-11-24', overdueFrom: '2026-11-25', state: 'due_today' });
    const log = core.db.sqlite.prepare(`SELECT op, version, person_id FROM change_log WHERE entity = 'foi_request' AND entity_id = ? ORDER BY seq`).all(r.id);
    expect(log).toEqual([
      { op: 'create', version: 1, person_id: null },
      { op: 'update', version: 2, person_id: null },
    ]);
    const entry = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'foi.requestUpdate' AND action = 'write' ORDER BY seq DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(entry.person_ids)).toEqual([]);
    expect(JSON.parse(entry.details)).toMatchObject({ request: r.id });
    expect(entry.details).not.toContain('Olle');

    expect(foi.err('foi.requestUpdate', foi.updateInput(v, { askedFor: 'Stale' }))).toMatchObject({ code: 'conflict', field: 'version' });
    expect(foi.err('foi.requestUpdate', { ...foi.updateInput(foi.view(r.id)), kind: 'gdpr_access' })).toMatchObject({
      code: 'validation',
      field: 'kind',
      issues: [{ field: 'kind', code: 'unrecognized_key' }],
    });
    expect(foi.err('foi.requestUpdate', { ...foi.updateInput(foi.view(r.id)), status: 'decided' })).toMatchObject({ code: 'validation', field: 'status' });
    expect(foi.err('foi.requestUpdate', foi.updateInput(foi.view(r.id), { id: crypto.randomUUID() }))).toMatchObject({ code: 'not_found', field: 'id' });
    expect(foi.row(r.id)).toMatchObject({ version: 2, asked_for: 'Klasslista för 3B', kind: 'se_public_document' });
  });

  it('keeps the rules of create', () => {
    const me = adults[13]!;
    const g = foi.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: me.id, identityVerified: 'e_id' });
    const v = foi.view(g.id);
    const up = (patch: Input) => foi.err('foi.requestUpdate', foi.updateInput(v, patch));
    expect(up({ receivedOn: '2026-11-24' })).toMatchObject({ rule: 'foi_received_future', field: 'receivedOn' });
    expect(up({ requesterKind: 'anonymous', requesterPersonId: null, identityVerified: null, identityVerifiedOn: null })).toMatchObject({ rule: 'foi_anonymous_kind', field: 'requesterKind' });
    expect(up({ requesterPersonId: null })).toMatchObject({ rule: 'foi_requester_person', field: 'requesterPersonId' });
    expect(up({ requesterPersonId: crypto.randomUUID() })).toMatchObject({ code: 'not_found', field: 'requesterPersonId' });
    expect(up({ requesterKind: 'named', requesterPersonId: null, requesterName: null })).toMatchObject({ code: 'validation', field: 'requesterName' });
    expect(up({ assigneeId: clerkAllId })).toMatchObject({ rule: 'foi_assignee', field: 'assigneeId' });
    expect(up({ requesterPersonId: protectedAdult.id, requesterContact: 'x@example.org' })).toMatchObject({ rule: 'foi_protected_contact', field: 'requesterContact' });
    expect(up({ identityVerified: null, identityVerifiedOn: '2026-11-20' })).toMatchObject({ code: 'validation', field: 'identityVerified' });
    // The subject of the request stays; a guardian asking for it who is not the subject's guardian is refused.
    const notTheirs = families[6]!.guardian;
    expect(up({ requesterKind: 'guardian', requesterPersonId: notTheirs, identityVerified: 'register_custody' })).toMatchObject({ rule: 'foi_not_guardian', field: 'requesterPersonId' });
    expect(foi.row(g.id)).toMatchObject({ version: 1, requester_kind: 'subject', requester_person_id: me.id, received_on: TEST_TODAY });

    // A guardian's request: changing the requester to the child's guardian is accepted.
    const { child, guardian } = families[7]!;
    const gr = foi.create({ ...GDPR, requesterKind: 'named', requesterName: 'Ombud Olsson', persons: [{ personId: child, role: 'subject' }] });
    data<Written>(foi.c.call('foi.requestUpdate', foi.updateInput(foi.view(gr.id), { requesterKind: 'guardian', requesterName: null, requesterPersonId: guardian, identityVerified: 'register_custody' })));
    expect(foi.row(gr.id)).toMatchObject({ requester_kind: 'guardian', requester_person_id: guardian, requester_name: null, identity_verified: 'register_custody', identity_verified_on: TEST_TODAY, version: 2 });
  });

  it('refuses a day received after the day the request was decided', () => {
    const r = foi.create({ ...SE_DOC, receivedOn: '2026-11-18' });
    foi.bring(r.id, 'decision');
    foi.move(r.id, 'decided', { decidedOn: '2026-11-20' });
    const v = foi.view(r.id);
    expect(foi.err('foi.requestUpdate', foi.updateInput(v, { receivedOn: '2026-11-21' }))).toMatchObject({ code: 'rule_violation', rule: 'foi_decided_on', field: 'receivedOn' });
    // The decision's own day, or earlier, is fine.
    expect(data<Written>(foi.c.call('foi.requestUpdate', foi.updateInput(v, { receivedOn: '2026-11-20' }))).version).toBe(v.version + 1);
    expect(foi.row(r.id)).toMatchObject({ received_on: '2026-11-20', decided_on: '2026-11-20', status: 'decided' });
  });
});

describe('foi.requestMove', () => {
  it('allows every move of FOI_MOVES and refuses every other by foi_move', () => {
    for (const from of FOI_STATUSES) {
      for (const to of FOI_STATUSES) {
        const r = foi.create(SE_DOC);
        foi.bring(r.id, from);
        const version = foi.view(r.id).version;
        const res = foi.c.call('foi.requestMove', { id: r.id, version, to, ...(FOI_REOPENING.has(`${from}>${to}`) ? { reason: 'Överklagat' } : {}) });
        if (FOI_MOVES[from].includes(to)) {
          expect([from, to, data<Written>(res)]).toEqual([from, to, { id: r.id, version: version + 1 }]);
          expect(foi.row(r.id).status).toBe(to);
        } else {
          expect([from, to, failed(res)]).toMatchObject([from, to, { code: 'rule_violation', rule: 'foi_move', field: 'to', details: { from, to } }]);
          expect(foi.row(r.id)).toMatchObject({ status: from, version });
        }
      }
    }
  });

  it('offers the moves of the status in the view', () => {
    const r = foi.create(SE_DOC);
    for (const s of ['registered', 'review', 'decision', 'decided', 'closed'] as const) {
      if (s !== 'registered') foi.move(r.id, s);
      expect([s, foi.view(r.id).moves]).toEqual([s, [...FOI_MOVES[s]]]);
    }
  });

  it('needs a reason to reopen, and clears the decision and the closing when reopened', () => {
    const r = foi.create({ ...SE_DOC, receivedOn: '2026-11-19' });
    foi.bring(r.id, 'closed');
    expect(foi.row(r.id)).toMatchObject({ status: 'closed', decided_on: TEST_TODAY, decided_by: foiId, closed_on: TEST_TODAY });
    for (const reason of [undefined, null, '', '   ']) {
      expect(foi.err('foi.requestMove', { id: r.id, version: 5, to: 'review', reason })).toMatchObject({ code: 'rule_violation', rule: 'foi_reason_required', field: 'reason' });
    }
    foi.move(r.id, 'review', { reason: 'Överklagat; omprövas' });
    expect(foi.row(r.id)).toMatchObject({ status: 'review', status_reason: 'Överklagat; omprövas', decided_on: null, decided_by: null, closed_on: null, version: 6 });
    // Received Thursday 19 November, undecided again: its last day was Monday 23, today: due today.
    expect(foi.view(r.id)).toMatchObject({ statusReason: 'Överklagat; omprövas', decidedOn: null, decidedByName: null, closedOn: null, deadlines: { final: '2026-11-23', state: 'due_today' } });

    // decided → review
    const d = foi.create(SE_DOC);
    foi.bring(d.id, 'decided');
    expect(foi.err('foi.requestMove', { id: d.id, version: 4, to: 'review' })).toMatchObject({ rule: 'foi_reason_required', field: 'reason' });
    foi.move(d.id, 'review', { reason: 'Fel beslut' });
    expect(foi.row(d.id)).toMatchObject({ status: 'review', decided_on: null, decided_by: null, closed_on: null });

    // withdrawn → registered
    const w = foi.create(SE_DOC);
    foi.move(w.id, 'withdrawn', { reason: 'Sökanden återkallade' });
    expect(foi.row(w.id)).toMatchObject({ status: 'withdrawn', closed_on: TEST_TODAY, status_reason: 'Sökanden återkallade' });
    expect(foi.err('foi.requestMove', { id: w.id, version: 2, to: 'registered' })).toMatchObject({ rule: 'foi_reason_required', field: 'reason' });
    foi.move(w.id, 'registered', { reason: 'Återkallelsen var ett misstag' });
    expect(foi.row(w.id)).toMatchObject({ status: 'registered', closed_on: null, status_reason: 'Återkallelsen var ett misstag' });
    // A move that is no reopening needs no reason, and clears the last one.
    foi.move(w.id, 'gathering');
    expect(foi.row(w.id)).toMatchObject({ status: 'gathering', status_reason: null });
  });

  it("refuses review before a subject's or guardian's identity is verified", () => {
    const me = adults[14]!;
    const s = foi.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: me.id });
    expect(foi.row(s.id)).toMatchObject({ identity_verified: null, identity_verified_on: null });
    expect(foi.err('foi.requestMove', { id: s.id, version: 1, to: 'review' })).toMatchObject({ code: 'rule_violation', rule: 'foi_identity_unverified', field: 'to' });
    // Gathering is open before it.
    foi.move(s.id, 'gathering');
    expect(foi.err('foi.requestMove', { id: s.id, version: 2, to: 'review' })).toMatchObject({ rule: 'foi_identity_unverified' });
    const { child, guardian } = families[8]!;
    const g = foi.create({ ...GDPR, requesterKind: 'guardian', requesterPersonId: guardian, persons: [{ personId: child, role: 'subject' }] });
    expect(foi.err('foi.requestMove', { id: g.id, version: 1, to: 'review' })).toMatchObject({ rule: 'foi_identity_unverified', field: 'to' });
    // Verified: the review may begin.
    data<Written>(foi.c.call('foi.requestUpdate', foi.updateInput(foi.view(s.id), { identityVerified: 'id_document', identityVerifiedOn: '2026-11-23' })));
    foi.move(s.id, 'review');
    expect(foi.row(s.id)).toMatchObject({ status: 'review', identity_verified: 'id_document' });
    // A named requester needs no verification.
    const n = foi.create({ ...GDPR, requesterKind: 'named', requesterName: 'Nora Named', persons: [{ personId: kids[4]!.id, role: 'subject' }] });
    foi.move(n.id, 'review');
    expect(foi.row(n.id).status).toBe('review');
  });

  it('records the decision day (today, or a day given from the day received) and who decided; closing and withdrawing record the day', () => {
    const r = foi.create({ ...SE_DOC, receivedOn: '2026-11-19' });
    foi.bring(r.id, 'decision');
    expect(foi.err('foi.requestMove', { id: r.id, version: 3, to: 'decided', decidedOn: '2026-11-18' })).toMatchObject({ code: 'rule_violation', rule: 'foi_decided_on', field: 'decidedOn' });
    expect(foi.err('foi.requestMove', { id: r.id, version: 3, to: 'decided', decidedOn: '2026-11-24' })).toMatchObject({ rule: 'foi_decided_on', field: 'decidedOn' });
    expect(foi.err('foi.requestMove', { id: r.id, version: 3, to: 'decided', decidedOn: '2026-11-31' })).toMatchObject({ code: 'validation', field: 'decidedOn' });
    foi.move(r.id, 'decided', { decidedOn: '2026-11-19' });
    expect(foi.row(r.id)).toMatchObject({ status: 'decided', decided_on: '2026-11-19', decided_by: foiId, closed_on: null, version: 4 });
    expect(foi.view(r.id)).toMatchObject({ decidedOn: '2026-11-19', decidedByName: FOI_NAME, deadlines: { state: 'decided' } });
    foi.move(r.id, 'closed');
    expect(foi.row(r.id)).toMatchObject({ status: 'closed', decided_on: '2026-11-19', closed_on: TEST_TODAY });

    // Left out: today.
    const t = foi.create(SE_DOC);
    foi.bring(t.id, 'decided');
    expect(foi.row(t.id)).toMatchObject({ decided_on: TEST_TODAY, decided_by: foiId });
    expect(foi.view(t.id).deadlines.state).toBe('decided');

    // Withdrawn: the day, and no decision.
    const w = foi.create(SE_DOC);
    foi.bring(w.id, 'review');
    foi.move(w.id, 'withdrawn');
    expect(foi.row(w.id)).toMatchObject({ status: 'withdrawn', closed_on: TEST_TODAY, decided_on: null, decided_by: null });
  });

  it('refuses a decision day on another move, and a stale version', () => {
    const r = foi.create(SE_DOC);
    expect(foi.err('foi.requestMove', { id: r.id, version: 1, to: 'review', decidedOn: TEST_TODAY })).toMatchObject({ code: 'validation', field: 'decidedOn' });
    foi.move(r.id, 'review');
    expect(foi.err('foi.requestMove', { id: r.id, version: 1, to: 'decision' })).toMatchObject({ code: 'conflict', field: 'version' });
    expect(foi.err('foi.requestMove', { id: crypto.randomUUID(), version: 1, to: 'review' })).toMatchObject({ code: 'not_found', field: 'id' });
    expect(foi.err('foi.requestMove', { id: r.id, version: 2, to: 'archived' })).toMatchObject({ code: 'validation', field: 'to' });
    expect(foi.row(r.id)).toMatchObject({ status: 'review', version: 2 });
  });

  it('is decided in time on or before the last day, late after it', () => {
    // Received Monday 16 November: the last day is Wednesday 18.
    const inTime = foi.create({ ...SE_DOC, receivedOn: '2026-11-16' });
    foi.bring(inTime.id, 'decision');
    foi.move(inTime.id, 'decided', { decidedOn: '2026-11-18' });
    expect(foi.view(inTime.id).deadlines).toMatchObject({ final: '2026-11-18', state: 'decided' });
    const late = foi.create({ ...SE_DOC, receivedOn: '2026-11-16' });
    foi.bring(late.id, 'decision');
    foi.move(late.id, 'decided', { decidedOn: '2026-11-19' });
    expect(foi.view(late.id).deadlines).toMatchObject({ final: '2026-11-18', state: 'decided_late' });
  });
});

describe('foi.requestExtend', () => {
  const subjectReq = (receivedOn: string, who: PersonRow) => foi.create({ ...GDPR, receivedOn, requesterKind: 'subject', requesterPersonId: who.id, identityVerified: 'e_id' });

  it('extends a subject-access request by two months from the first month', () => {
    const r = subjectReq('2026-11-10', adults[15]!);
    // One month from Tuesday 10 November: Thursday 10 December, a working day; notice by then.
    expect(foi.view(r.id).deadlines).toMatchObject({ final: '2026-12-10', extensionNoticeBy: '2026-12-10', extended: false, state: 'open' });
    const w = data<Written>(foi.c.call('foi.requestExtend', { id: r.id, version: 1, noticeOn: TEST_TODAY, reason: 'Mycket omfattande begäran' }));
    expect(w).toEqual({ id: r.id, version: 2 });
    expect(foi.row(r.id)).toMatchObject({ extension_notice_on: TEST_TODAY, extension_reason: 'Mycket omfattande begäran', version: 2 });
    // Two further months from 10 December: Wednesday 10 February 2027.
    expect(foi.view(r.id)).toMatchObject({
      extensionNoticeOn: TEST_TODAY,
      extensionReason: 'Mycket omfattande begäran',
      deadlines: { target: '2027-02-10', final: '2027-02-10', overdueFrom: '2027-02-11', extended: true, extensionNoticeBy: '2026-12-10', state: 'open' },
    });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 2, noticeOn: TEST_TODAY, reason: 'Igen' })).toMatchObject({ code: 'rule_violation', rule: 'foi_extension_done', field: 'id' });
    const entry = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'foi.requestExtend' AND action = 'write' ORDER BY seq DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(entry.person_ids)).toEqual([adults[15]!.id]);
    expect(JSON.parse(entry.details)).toEqual({ request: r.id, extensionNoticeOn: TEST_TODAY });
  });

  it('takes a notice given within the first month, and refuses one after it, before the day received or in the future', () => {
    const r = subjectReq('2026-09-10', adults[16]!);
    // One month from Thursday 10 September: Saturday 10 October, moved to Monday 12 October; overdue now.
    expect(foi.view(r.id).deadlines).toMatchObject({ final: '2026-10-12', extensionNoticeBy: '2026-10-12', state: 'overdue' });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 1, noticeOn: TEST_TODAY, reason: 'Sent' })).toMatchObject({
      code: 'rule_violation',
      rule: 'foi_extension_late',
      field: 'noticeOn',
      details: { by: '2026-10-12' },
    });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 1, noticeOn: '2026-10-13', reason: 'Sent' })).toMatchObject({ rule: 'foi_extension_late', field: 'noticeOn' });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 1, noticeOn: '2026-09-09', reason: 'Före' })).toMatchObject({ rule: 'foi_extension_late', field: 'noticeOn' });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 1, noticeOn: '2026-11-24', reason: 'Framtid' })).toMatchObject({ rule: 'foi_extension_late', field: 'noticeOn' });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 1, noticeOn: '2026-10-12', reason: '  ' })).toMatchObject({ code: 'validation', field: 'reason' });
    expect(foi.err('foi.requestExtend', { id: r.id, version: 2, noticeOn: '2026-10-12', reason: 'Gammal' })).toMatchObject({ code: 'conflict', field: 'version' });
    expect(foi.row(r.id)).toMatchObject({ version: 1, extension_notice_on: null });
    // Notified on the last day of the first month (recorded afterwards): the two months run from the
    // calendar end, 10 October, to Thursday 10 December; no longer overdue.
    expect(data<Written>(foi.c.call('foi.requestExtend', { id: r.id, version: 1, noticeOn: '2026-10-12', reason: 'Omfattande' }))).toEqual({ id: r.id, version: 2 });
    expect(foi.view(r.id).deadlines).toMatchObject({ final: '2026-12-10', overdueFrom: '2026-12-11', extended: true, state: 'open' });
  });

  it('refuses another kind, and a request already decided or withdrawn', () => {
    const doc = foi.create(SE_DOC);
    expect(foi.err('foi.requestExtend', { id: doc.id, version: 1, noticeOn: TEST_TODAY, reason: 'x' })).toMatchObject({ code: 'rule_violation', rule: 'foi_extension_kind', field: 'id' });
    const decided = subjectReq('2026-11-20', adults[17]!);
    foi.bring(decided.id, 'decided');
    expect(foi.err('foi.requestExtend', { id: decided.id, version: 4, noticeOn: TEST_TODAY, reason: 'x' })).toMatchObject({ rule: 'foi_extension_done', field: 'id' });
    const withdrawn = subjectReq('2026-11-20', adults[18]!);
    foi.move(withdrawn.id, 'withdrawn');
    expect(foi.err('foi.requestExtend', { id: withdrawn.id, version: 2, noticeOn: TEST_TODAY, reason: 'x' })).toMatchObject({ rule: 'foi_extension_done', field: 'id' });
    expect(foi.err('foi.requestExtend', { id: crypto.randomUUID(), version: 1, noticeOn: TEST_TODAY, reason: 'x' })).toMatchObject({ code: 'not_found', field: 'id' });
  });
});

describe('foi.requestPersonAdd and foi.requestPersonRemove', () => {
  it('adds a person once, removes them (kept as removed), and adds them again', () => {
    const r = foi.create(SE_DOC);
    const p = adults[19]!;
    const added = data<Written>(foi.c.call('foi.requestPersonAdd', { requestId: r.id, personId: p.id, role: 'listed' }));
    expect(added.version).toBe(1);
    expect(foi.view(r.id).links).toEqual([{ id: added.id, version: 1, role: 'listed', person: { id: p.id, name: nameOf(p), protected: false } }]);
    expect(foi.err('foi.requestPersonAdd', { requestId: r.id, personId: p.id, role: 'other' })).toMatchObject({ code: 'rule_violation', rule: 'foi_person_twice', field: 'personId' });
    expect(foi.err('foi.requestPersonRemove', { id: added.id, version: 2 })).toMatchObject({ code: 'conflict' });
    expect(data<Written>(foi.c.call('foi.requestPersonRemove', { id: added.id, version: 1 }))).toEqual({ id: added.id, version: 2 });
    expect(foi.view(r.id).links).toEqual([]);
    // Removed: the row kept, marked, at the next version (the change log records it as an update).
    expect(core.db.sqlite.prepare('SELECT deleted_at IS NOT NULL AS removed, version FROM foi_request_person WHERE id = ?').get(added.id)).toEqual({ removed: 1, version: 2 });
    expect(foi.err('foi.requestPersonRemove', { id: added.id, version: 2 })).toMatchObject({ code: 'not_found', field: 'id' });
    const again = data<Written>(foi.c.call('foi.requestPersonAdd', { requestId: r.id, personId: p.id, role: 'other' }));
    expect(again.id).not.toBe(added.id);
    expect(foi.view(r.id).links).toEqual([{ id: again.id, version: 1, role: 'other', person: { id: p.id, name: nameOf(p), protected: false } }]);
    // The links stay off the person's card history.
    const log = core.db.sqlite.prepare(`SELECT op, person_id FROM change_log WHERE entity = 'foi_request_person' AND entity_id IN (?, ?) ORDER BY seq`).all(added.id, again.id);
    expect(log).toEqual([
      { op: 'create', person_id: null },
      { op: 'update', person_id: null },
      { op: 'create', person_id: null },
    ]);
    const entries = core.db.sqlite.prepare(`SELECT method, person_ids, details FROM audit_log WHERE method IN ('foi.requestPersonAdd', 'foi.requestPersonRemove') AND action = 'write' ORDER BY seq DESC LIMIT 2`).all() as { method: string; person_ids: string; details: string }[];
    expect(entries.map((e) => [e.method, JSON.parse(e.person_ids), JSON.parse(e.details)])).toEqual([
      ['foi.requestPersonAdd', [p.id], { request: r.id, role: 'other' }],
      ['foi.requestPersonRemove', [p.id], { request: r.id, removed: true }],
    ]);
    expect(foi.err('foi.requestPersonAdd', { requestId: crypto.randomUUID(), personId: p.id, role: 'other' })).toMatchObject({ code: 'not_found', field: 'requestId' });
    expect(foi.err('foi.requestPersonRemove', { id: crypto.randomUUID(), version: 1 })).toMatchObject({ code: 'not_found', field: 'id' });
  });

  it('names the input field personId when the person to add does not exist', () => {
    const r = foi.create(SE_DOC);
    // The input has `personId` (no list): the form marks the field the error names.
    expect(foi.err('foi.requestPersonAdd', { requestId: r.id, personId: crypto.randomUUID(), role: 'other' })).toMatchObject({ code: 'not_found', field: 'personId' });
    expect(foi.view(r.id).links).toEqual([]);
  });

  it("keeps a subject-access request's last subject", () => {
    const me = adults[20]!;
    const other = adults[21]!;
    const r = foi.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: me.id, identityVerified: 'e_id' });
    const second = data<Written>(foi.c.call('foi.requestPersonAdd', { requestId: r.id, personId: other.id, role: 'subject' }));
    const mine = foi.view(r.id).links.find((l) => l.person.id === me.id)!;
    // Two subjects: one may go; the last may not.
    data<Written>(foi.c.call('foi.requestPersonRemove', { id: second.id, version: 1 }));
    expect(foi.err('foi.requestPersonRemove', { id: mine.id, version: mine.version })).toMatchObject({ code: 'rule_violation', rule: 'foi_subject_required', field: 'id' });
    // A listed person of the same request is no subject: removing them is fine.
    const listed = data<Written>(foi.c.call('foi.requestPersonAdd', { requestId: r.id, personId: other.id, role: 'listed' }));
    expect(foi.err('foi.requestPersonRemove', { id: mine.id, version: mine.version })).toMatchObject({ rule: 'foi_subject_required' });
    data<Written>(foi.c.call('foi.requestPersonRemove', { id: listed.id, version: 1 }));
    expect(foi.view(r.id).links.map((l) => [l.person.id, l.role])).toEqual([[me.id, 'subject']]);
    // A Swedish request may lose every person.
    const doc = foi.create({ ...SE_DOC, persons: [{ personId: me.id, role: 'subject' }] });
    const link = foi.view(doc.id).links[0]!;
    data<Written>(foi.c.call('foi.requestPersonRemove', { id: link.id, version: 1 }));
    expect(foi.view(doc.id).links).toEqual([]);
  });

  it('changes no persons of a finished request', () => {
    const r = foi.create({ ...SE_DOC, persons: [{ personId: adults[22]!.id, role: 'listed' }] });
    foi.bring(r.id, 'decided');
    const link = foi.view(r.id).links[0]!;
    expect(foi.err('foi.requestPersonAdd', { requestId: r.id, personId: adults[23]!.id, role: 'listed' })).toMatchObject({ code: 'rule_violation', rule: 'foi_finished', field: 'id' });
    expect(foi.err('foi.requestPersonRemove', { id: link.id, version: 1 })).toMatchObject({ code: 'rule_violation', rule: 'foi_finished', field: 'id' });
    const w = foi.create({ ...SE_DOC, persons: [{ personId: adults[22]!.id, role: 'listed' }] });
    foi.move(w.id, 'withdrawn');
    expect(foi.err('foi.requestPersonAdd', { requestId: w.id, personId: adults[23]!.id, role: 'listed' })).toMatchObject({ rule: 'foi_finished' });
    expect(foi.view(r.id).links).toEqual([link]);
  });

  it("refuses a subject outside a guardian's custody on the guardian's request, and one shielded from them", () => {
    const { guardian, children } = siblings;
    const [child, sib] = [children[0]!, children[1]!];
    const r = foi.create({ ...GDPR, requesterKind: 'guardian', requesterPersonId: guardian, identityVerified: 'register_custody', persons: [{ personId: child, role: 'subject' }] });
    const stranger = families[10]!.child;
    expect(foi.err('foi.requestPersonAdd', { requestId: r.id, personId: stranger, role: 'subject' })).toMatchObject({ code: 'rule_violation', rule: 'foi_not_guardian', field: 'requesterPersonId' });
    // As a listed person (not the subject asked about) the child may be added.
    data<Written>(foi.c.call('foi.requestPersonAdd', { requestId: r.id, personId: stranger, role: 'listed' }));
    // Their other child, shielded from them by a court: refused as such; while not shielded, added.
    core.db.sqlite.prepare('UPDATE guardianship SET shielded = 1 WHERE guardian_id = ? AND child_id = ?').run(guardian, sib);
    expect(foi.err('foi.requestPersonAdd', { requestId: r.id, personId: sib, role: 'subject' })).toMatchObject({ code: 'rule_violation', rule: 'foi_guardian_shielded', field: 'requesterPersonId' });
    core.db.sqlite.prepare('UPDATE guardianship SET shielded = 0 WHERE guardian_id = ? AND child_id = ?').run(guardian, sib);
    data<Written>(foi.c.call('foi.requestPersonAdd', { requestId: r.id, personId: sib, role: 'subject' }));
    expect(
      foi
        .view(r.id)
        .links.map((l) => `${l.person.id} ${l.role}`)
        .sort(),
    ).toEqual([`${child} subject`, `${sib} subject`, `${stranger} listed`].sort());
  });
});

describe('the audit', () => {
  it('names the persons of a create and a move, never the typed name, contact, what was asked for or a reason', () => {
    const SECRET = { name: 'Ingrid Hemligsson-Zyx', contact: 'ingrid.zyx@example.org', askedFor: 'Alla betyg för ämnet QWERTY-42', reason: 'Omprövning enligt JO-anmälan ZYX-9' };
    const [p1, p2] = [adults[24]!, kids[5]!];
    const r = foi.create({
      ...SE_DOC,
      requesterKind: 'named',
      requesterName: SECRET.name,
      requesterContact: SECRET.contact,
      askedFor: SECRET.askedFor,
      persons: [
        { personId: p1.id, role: 'listed' },
        { personId: p2.id, role: 'other' },
      ],
    });
    foi.bring(r.id, 'decided');
    foi.move(r.id, 'review', { reason: SECRET.reason });
    data<Written>(foi.c.call('foi.requestUpdate', foi.updateInput(foi.view(r.id), { requesterName: `${SECRET.name} II`, askedFor: `${SECRET.askedFor} II` })));
    foi.view(r.id);
    data<List>(foi.c.call('foi.requests', { filter: 'all' }));

    const create = core.db.sqlite.prepare(`SELECT person_ids, details, reason FROM audit_log WHERE method = 'foi.requestCreate' AND action = 'write' ORDER BY seq DESC LIMIT 1`).get() as { person_ids: string; details: string; reason: string | null };
    expect(JSON.parse(create.person_ids)).toEqual([p1.id, p2.id].sort());
    expect(JSON.parse(create.details)).toEqual({ request: r.id, kind: 'se_public_document', requesterKind: 'named' });
    expect(create.reason).toBeNull();
    const moves = core.db.sqlite.prepare(`SELECT person_ids, details, reason FROM audit_log WHERE method = 'foi.requestMove' AND action = 'write' AND details LIKE ? ORDER BY seq`).all(`%${r.id}%`) as { person_ids: string; details: string; reason: string | null }[];
    expect(moves.map((m) => JSON.parse(m.details))).toEqual([
      { request: r.id, status: ['registered', 'review'] },
      { request: r.id, status: ['review', 'decision'] },
      { request: r.id, status: ['decision', 'decided'] },
      { request: r.id, status: ['decided', 'review'] },
    ]);
    for (const m of moves) {
      expect(new Set(JSON.parse(m.person_ids) as string[])).toEqual(new Set([p1.id, p2.id]));
      expect(m.reason).toBeNull();
    }
    // Nowhere in the whole log: not in a write, a read, a detail or a reason.
    const text = core.db.sqlite.prepare(`SELECT group_concat(method || ' ' || person_ids || ' ' || details || ' ' || coalesce(reason, ''), char(10)) FROM audit_log`).pluck().get() as string;
    expect(text).toContain(r.id);
    for (const s of [SECRET.name, 'Hemligsson', SECRET.contact, 'ingrid.zyx', SECRET.askedFor, 'QWERTY-42', SECRET.reason, 'ZYX-9']) expect([s, text.includes(s)]).toEqual([s, false]);
  });
});

describe('foi.officers and the deadline rules', () => {
  let rc: TestCore;
  let rf: ReturnType<typeof client>;
  let rfId: string;
  const rules = () => data<Rules>(rf.c.call('foi.rules', {}));
  const update = (patch: { rules?: Partial<Rules['rules']>; calendar?: Partial<Rules['calendar']> }, version = rules().version) => {
    const cur = rules();
    return rf.c.call('foi.rulesUpdate', { rules: { ...cur.rules, ...patch.rules }, calendar: { ...cur.calendar, ...patch.calendar }, version });
  };
  beforeAll(() => {
    rc = makeTestCore({ persons: 60 });
    rf = client(rc, signIn(rc, 'foi'));
    rfId = userId(rc, 'foi');
  });
  afterAll(() => rc.dispose());

  it('lists the FOI officers as assignees, not the clerks', () => {
    expect(data<{ items: { id: string; name: string }[] }>(rf.c.call('foi.officers', {})).items).toEqual([{ id: rfId, name: FOI_NAME }]);
  });

  it('shows the law\'s defaults until rules are stored', () => {
    const r = rules();
    expect(r).toEqual({ rules: DEFAULT_FOI_DEADLINE_RULES, calendar: DEFAULT_FOI_CALENDAR, defaults: true, version: foiRulesVersion({ rules: DEFAULT_FOI_DEADLINE_RULES, calendar: DEFAULT_FOI_CALENDAR, defaults: true }) });
    expect(r.version).toMatch(/^[0-9a-f]{32}$/);
  });

  it('stores rules and closed days at the version read; an old version is a conflict; a bad rule is named by its path', () => {
    const before = rules();
    const r = data<Rules>(update({ rules: { se_public_document: { targetWorkingDays: 1, overdueAfterWorkingDays: 4 } }, calendar: { closedDays: ['2026-12-28', '2026-11-27', '2026-12-28'] } }));
    expect(r).toEqual({
      rules: { ...DEFAULT_FOI_DEADLINE_RULES, se_public_document: { targetWorkingDays: 1, overdueAfterWorkingDays: 4 } },
      calendar: { closedDays: ['2026-11-27', '2026-12-28'], closedEves: true },
      defaults: false,
      version: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(r.version).not.toBe(before.version);
    expect(rules()).toEqual(r);
    expect(foiConfig(rc.ctx)).toMatchObject({ country: 'SE', defaults: false, calendar: { closedDays: ['2026-11-27', '2026-12-28'] } });
    const entry = rc.db.sqlite.prepare(`SELECT details FROM audit_log WHERE method = 'foi.rulesUpdate' ORDER BY seq DESC LIMIT 1`).pluck().get() as string;
    expect(JSON.parse(entry)).toEqual({
      changes: {
        'rules.se_public_document.targetWorkingDays': [0, 1],
        'rules.se_public_document.overdueAfterWorkingDays': [3, 4],
        'calendar.closedDays': ['[]', null],
        'calendar.closedDays.0': [null, '2026-11-27'],
        'calendar.closedDays.1': [null, '2026-12-28'],
      },
    });

    expect(failed(update({ calendar: { closedDays: [] } }, before.version))).toMatchObject({ code: 'conflict', field: 'version' });
    expect(failed(update({ rules: { no_innsyn: { targetWorkingDays: 6, deemedRefusedAfterWorkingDays: 5 } } }))).toMatchObject({
      code: 'validation',
      field: 'rules.no_innsyn.targetWorkingDays',
      issues: [{ field: 'rules.no_innsyn.targetWorkingDays', code: 'target_after_last_day' }],
    });
    expect(failed(update({ rules: { gdpr_access: { months: 0, extensionMonths: 2 } } }))).toMatchObject({ code: 'validation', field: 'rules.gdpr_access.months' });
    expect(failed(update({ calendar: { closedDays: ['2026-02-30'] } }))).toMatchObject({ code: 'validation', field: 'calendar.closedDays.0' });
    expect(rules()).toEqual(r);
  });

  it('moves a Swedish target past a municipality closed day', () => {
    data<Rules>(rf.c.call('foi.rulesUpdate', { rules: DEFAULT_FOI_DEADLINE_RULES, calendar: DEFAULT_FOI_CALENDAR, version: rules().version }));
    const r = rf.create(SE_DOC);
    expect(rf.view(r.id).deadlines).toMatchObject({ target: '2026-11-23', final: '2026-11-25', state: 'due_today' });
    // The office closed today and tomorrow: the first working day is Wednesday 25 (the target), the last
    // accepted day the third (Wed, Thu, Fri 27), overdue from Saturday 28; before the target: open.
    data<Rules>(update({ calendar: { closedDays: ['2026-11-23', '2026-11-24'] } }));
    expect(rf.view(r.id).deadlines).toEqual({ target: '2026-11-25', final: '2026-11-27', overdueFrom: '2026-11-28', deemedRefusedOn: null, extended: false, extensionNoticeBy: null, state: 'open' });
  });

  it('refuses an extension when the rules allow none', () => {
    const me = rc.db.sqlite.prepare(`SELECT id FROM person WHERE is_child = 0 AND protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1`).pluck().get() as string;
    const g = rf.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: me, identityVerified: 'e_id' });
    data<Rules>(update({ rules: { gdpr_access: { months: 1, extensionMonths: 0 } } }));
    // No extension can be notified: none is offered.
    expect(rf.view(g.id).deadlines).toMatchObject({ final: '2026-12-23', extensionNoticeBy: null });
    expect(rf.err('foi.requestExtend', { id: g.id, version: 1, noticeOn: TEST_TODAY, reason: 'Omfattande' })).toMatchObject({ code: 'rule_violation', rule: 'foi_extension_unavailable', field: 'id' });
    expect(rf.row(g.id)).toMatchObject({ version: 1, extension_notice_on: null });
  });
});

describe('a rules change after an extension', () => {
  it('leaves the register readable when the rules stop allowing extensions after one was given', () => {
    const c = makeTestCore({ persons: 40 });
    try {
      const f = client(c, signIn(c, 'foi'));
      const me = c.db.sqlite.prepare(`SELECT id FROM person WHERE is_child = 0 AND protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1`).pluck().get() as string;
      const g = f.create({ ...GDPR, requesterKind: 'subject', requesterPersonId: me, identityVerified: 'e_id' });
      data<Written>(f.c.call('foi.requestExtend', { id: g.id, version: 1, noticeOn: TEST_TODAY, reason: 'Omfattande' }));
      const cur = data<Rules>(f.c.call('foi.rules', {}));
      // Either the change is refused while an extended request exists, or it is stored; either way the
      // dashboard and the request still answer (an extension given under the old rules stays given).
      f.c.call('foi.rulesUpdate', { rules: { ...cur.rules, gdpr_access: { months: 1, extensionMonths: 0 } }, calendar: cur.calendar, version: cur.version });
      const list = f.c.call('foi.requests', { filter: 'all' });
      expect(list).toMatchObject({ ok: true, data: { total: 1 } });
      expect(f.c.call('foi.request', { id: g.id })).toMatchObject({ ok: true, data: { extensionNoticeOn: TEST_TODAY } });
    } finally {
      c.dispose();
    }
  });
});
