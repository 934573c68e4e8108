/**
 * Gathering (core/foi/gather.ts; foi.gather and foi.items in core/foi/handlers.ts; docs/foi.md step 4) on
 * real cores over demo registers: what a subject-access request gathers about a child (every part of the
 * register, compared with the records as SQL finds them, the household's income only for an adult of it), a
 * listed or other person's identity only, each proposal (protected whereabouts masked on the country's
 * ground, a data subject's own disclosed, a shielded guardianship masked, a public-document request's
 * protected identity and care records withheld, a confidential document withheld for the officer to ground),
 * gathering again (unchanged, changed, gone, back), the items' page, order, counts and fields as the reader
 * may see them (a protected person's withheld without protected.reveal, shown with it), the refusals, the
 * audit (persons and counts, never a value) and the write path (change log off the card, aggregate foi:<id>).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { FOI_ITEM_CATEGORIES, PROTECTED_GROUND, type FoiStatus } from '../../shared/domain/foi';
import { DEMO_PASSWORD } from '../access/auth';
import { formatIdentityNumber } from '../../shared/identity';
import type { Connection } from '../app';
import { aggregateOf } from '../sync/records';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

type Gathered = MethodOutput<'foi.gather'>;
type Items = MethodOutput<'foi.items'>;
type Item = Items['items'][number];
type Written = MethodOutput<'foi.requestCreate'>;
type Input = Record<string, unknown>;
type Row = Record<string, unknown>;
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
const DISCLOSE = { outcome: 'disclose', ground: null };
const SE_MASK = { outcome: 'mask', ground: 'se_osl_21_3' };
const SE_CARE = { outcome: 'withhold', ground: 'se_osl_23_2' };

/** The columns each entity shows in review, in order (gather.ts SHOWN, written out here). */
const SHOWN: Record<string, string[]> = {
  person: ['given_name', 'middle_name', 'family_name', 'preferred_name', 'id_canonical', 'reserve_number', 'birth_date', 'sex', 'status', 'nationality', 'mother_tongue'],
  person_name: ['given_name', 'middle_name', 'family_name', 'preferred_name', 'valid_from', 'valid_to'],
  person_address: ['kind', 'care_of', 'street', 'postal_code', 'city', 'country', 'valid_from', 'valid_to'],
  person_contact: ['kind', 'value', 'valid_from', 'valid_to'],
  guardianship: ['child_id', 'guardian_id', 'kind', 'lives_with', 'invoice_share', 'valid_from', 'valid_to'],
  household_member: ['household_id', 'role', 'shared', 'valid_from', 'valid_to'],
  placement: ['unit_id', 'group_id', 'school_form', 'weekly_hours', 'state', 'valid_from', 'valid_to', 'notice_given_on'],
  enrolment: ['unit_id', 'group_id', 'school_form', 'grade', 'valid_from', 'valid_to', 'end_reason'],
  application: ['school_form', 'applied_on', 'wished_start', 'weekly_hours', 'status'],
  group_membership: ['group_id', 'valid_from', 'valid_to'],
  fee_line: ['month', 'kind', 'child_id', 'unit_id', 'school_form', 'recipient_id', 'share_bp', 'amount'],
  income_declaration: ['valid_from', 'monthly_income', 'source'],
  person_document: ['title', 'kind', 'document_date', 'classification', 'classification_ground', 'pages'],
};

/** The category each record table is gathered as. */
const CATEGORY_OF: Record<string, string> = {
  person: 'identity',
  person_name: 'name',
  person_address: 'address',
  person_contact: 'contact',
  guardianship: 'guardianship',
  household_member: 'household',
  placement: 'placement',
  enrolment: 'enrolment',
  application: 'application',
  group_membership: 'membership',
  fee_line: 'fee_line',
  income_declaration: 'income',
  person_document: 'document',
};

const png = () => createCanvas(40, 30).toBuffer('image/png');

// ---------- a core and its helpers ----------

interface World {
  core: TestCore;
  foi: Connection;
  clerkAll: Connection;
  fee: Connection;
  prot: Connection;
  ids: Record<string, string>;
}

function openWorld(country: 'SE' | 'NO'): World {
  const core = makeTestCore({ persons: 300, country });
  const w: World = { core, foi: undefined as unknown as Connection, clerkAll: undefined as unknown as Connection, fee: undefined as unknown as Connection, prot: undefined as unknown as Connection, ids: {} };
  w.foi = signIn(w, 'foi');
  w.clerkAll = signIn(w, 'clerk.all');
  w.fee = signIn(w, 'fee');
  w.prot = signIn(w, 'protected');
  return w;
}

function signIn(w: World, username: string): Connection {
  const c = w.core.connect(`foi-gather-${username}`);
  data(c.call('auth.signIn', { username, password: DEMO_PASSWORD }));
  expect([username, c.session.state]).toEqual([username, 'signed_in']);
  w.ids[username] = c.session.actor!.id;
  return c;
}

const sql = (w: World) => w.core.db.sqlite;
const one = <T = Row>(w: World, q: string, ...p: unknown[]) => sql(w).prepare(q).get(...p) as T;
const all = <T = Row>(w: World, q: string, ...p: unknown[]) => sql(w).prepare(q).all(...p) as T[];
const pluck = <T = string>(w: World, q: string, ...p: unknown[]) => sql(w).prepare(q).pluck().all(...p) as T[];
const scalar = <T = number>(w: World, q: string, ...p: unknown[]) => sql(w).prepare(q).pluck().get(...p) as T;

const create = (w: World, input: Input) => data<Written>(w.foi.call('foi.requestCreate', input));
const gatherAs = (c: Connection, requestId: string, mutationId?: string) => data<Gathered>(c.call('foi.gather', { requestId }, mutationId ? { mutationId } : undefined));
const itemsAs = (c: Connection, requestId: string, more: Input = {}) => data<Items>(c.call('foi.items', { requestId, ...more }));
const requestOf = (w: World, id: string) => one<{ status: FoiStatus; version: number }>(w, 'SELECT status, version FROM foi_request WHERE id = ?', id);
const move = (w: World, id: string, to: FoiStatus, extra: Input = {}) => data<Written>(w.foi.call('foi.requestMove', { id, version: requestOf(w, id).version, to, ...extra }));

/** A guardian's subject-access request for their child, verified through the custody in the register. */
const guardianRequest = (w: World, guardian: string, child: string) =>
  create(w, { kind: 'gdpr_access', receivedOn: TEST_TODAY, channel: 'letter', language: 'sv', askedFor: 'Allt om mitt barn', requesterKind: 'guardian', requesterPersonId: guardian, identityVerified: 'register_custody', persons: [{ personId: child, role: 'subject' }] });
/** An anonymous request for public documents about these persons. */
const publicRequest = (w: World, kind: 'se_public_document' | 'no_innsyn', persons: { personId: string; role: 'subject' | 'listed' | 'other' }[]) =>
  create(w, { kind, receivedOn: TEST_TODAY, channel: 'email', language: 'sv', askedFor: 'Handlingar', requesterKind: 'anonymous', persons });

/** Every item of a request (pages of 500). */
function everyItem(c: Connection, requestId: string, more: Input = {}): Items['items'] {
  const out: Item[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = itemsAs(c, requestId, { ...more, offset, limit: 500 });
    out.push(...page.items);
    if (out.length >= page.total) return out;
  }
}

const nameOf = (w: World, id: string) => {
  const p = one<{ given_name: string; family_name: string }>(w, 'SELECT given_name, family_name FROM person WHERE id = ?', id);
  return `${p.family_name}, ${p.given_name}`;
};

/** The fields a reader allowed to see everything sees: the stored values as text, persons by name, units and groups by name. */
function fieldsOf(w: World, entity: string, id: string) {
  const row = one(w, `SELECT * FROM ${entity} WHERE id = ?`, id);
  return SHOWN[entity]!.map((name) => {
    const v = row[name];
    if (v === null || v === undefined) return { name, value: null, withheld: false };
    if (name === 'child_id' || name === 'guardian_id' || name === 'recipient_id') return { name, value: nameOf(w, String(v)), withheld: false };
    if (name === 'id_canonical') return { name, value: formatIdentityNumber(String(v), { today: TEST_TODAY }), withheld: false };
    if (name === 'unit_id') return { name, value: scalar<string>(w, 'SELECT name FROM org_unit WHERE id = ?', v), withheld: false };
    if (name === 'group_id') return { name, value: scalar<string>(w, 'SELECT name FROM school_group WHERE id = ?', v), withheld: false };
    return { name, value: String(v), withheld: false };
  });
}
const allWithheld = (entity: string) => SHOWN[entity]!.map((name) => ({ name, value: null, withheld: true }));

/**
 * What the register holds about a data subject, found here by SQL: (category, entity, record id), the
 * household's incomes when `requester` is an adult of a household the subject is in.
 */
function heldAbout(w: World, p: string, requester: string | null): { category: string; entity: string; recordId: string }[] {
  const rows = all<{ entity: string; record_id: string }>(
    w,
    `SELECT 'person' AS entity, id AS record_id FROM person WHERE id = @p
     UNION ALL SELECT 'person_name', id FROM person_name WHERE person_id = @p
     UNION ALL SELECT 'person_address', id FROM person_address WHERE person_id = @p
     UNION ALL SELECT 'person_contact', id FROM person_contact WHERE person_id = @p
     UNION ALL SELECT 'guardianship', id FROM guardianship WHERE deleted_at IS NULL AND (child_id = @p OR guardian_id = @p)
     UNION ALL SELECT 'household_member', id FROM household_member WHERE deleted_at IS NULL AND person_id = @p
     UNION ALL SELECT 'placement', id FROM placement WHERE deleted_at IS NULL AND child_id = @p
     UNION ALL SELECT 'enrolment', id FROM enrolment WHERE deleted_at IS NULL AND pupil_id = @p
     UNION ALL SELECT 'application', id FROM application WHERE deleted_at IS NULL AND child_id = @p
     UNION ALL SELECT 'group_membership', id FROM group_membership WHERE deleted_at IS NULL AND person_id = @p
     UNION ALL SELECT 'fee_line', id FROM fee_line WHERE deleted_at IS NULL AND (child_id = @p OR recipient_id = @p)
     UNION ALL SELECT 'person_document', id FROM person_document WHERE deleted_at IS NULL AND person_id = @p
     UNION ALL SELECT 'income_declaration', d.id FROM income_declaration d
       WHERE d.deleted_at IS NULL AND d.household_id IN (
         SELECT c.household_id FROM household_member c JOIN household_member a ON a.household_id = c.household_id
         WHERE c.person_id = @p AND c.deleted_at IS NULL AND a.person_id = @r AND a.role = 'adult' AND a.deleted_at IS NULL)`,
    { p, r: requester },
  );
  return rows.map((r) => ({ category: CATEGORY_OF[r.entity]!, entity: r.entity, recordId: r.record_id }));
}

const keyOf = (x: { category: string; entity: string; recordId: string }) => `${x.category}|${x.entity}|${x.recordId}`;
const countBy = (xs: readonly { category: string }[]) => {
  const m: Record<string, number> = {};
  for (const x of xs) m[x.category] = (m[x.category] ?? 0) + 1;
  return m;
};
const catIndex = (c: string) => (FOI_ITEM_CATEGORIES as readonly string[]).indexOf(c);

/** Uploads a small PNG as `c`'s user and attaches it to the person. */
async function attach(w: World, c: Connection, personId: string, over: Input = {}): Promise<string> {
  const file = await w.core.services.files.receive({ kind: 'document', ownerId: c.session.actor!.id, name: 'skanning.png', source: Readable.from([png()]) });
  const r = await c.callAsync('document.add', {
    personId,
    fileId: file.id,
    title: 'Intyg',
    kind: 'certificate',
    documentDate: '2026-11-02',
    classification: 'open',
    classificationGround: null,
    retentionClass: 'years_5',
    ...over,
  });
  return data<Written>(r).id;
}

const stamp = (w: World) => ({ version: 1, created_at: NOW, created_by: w.ids['clerk.all']!, updated_at: NOW, updated_by: w.ids['clerk.all']! });

/** Inserts a record row as it stands (a seeded fact the contract has no method for here). */
function insertRow(w: World, table: string, row: Row): string {
  const full = { id: randomUUID(), ...stamp(w), ...row };
  const cols = Object.keys(full);
  sql(w)
    .prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`)
    .run(full);
  return full.id;
}

interface Family {
  child: string;
  guardians: [string, string];
  household: string;
}

/**
 * Unprotected, unshielded children with a placement and an enrolment, in one household, with exactly two
 * current unshielded custodians who are both adults of that household (each test family its own).
 */
function families(w: World, n: number): Family[] {
  const rows = all<{ child: string; guardians: string; household: string }>(
    w,
    `SELECT c.id AS child, (SELECT json_group_array(guardian_id) FROM (SELECT guardian_id FROM guardianship WHERE child_id = c.id AND deleted_at IS NULL ORDER BY guardian_id)) AS guardians,
            (SELECT household_id FROM household_member WHERE person_id = c.id AND deleted_at IS NULL) AS household
     FROM person c
     WHERE c.is_child = 1 AND c.protection = 'none' AND c.shielded = 0 AND c.deleted_at IS NULL
       AND EXISTS (SELECT 1 FROM placement WHERE child_id = c.id AND deleted_at IS NULL)
       AND EXISTS (SELECT 1 FROM enrolment WHERE pupil_id = c.id AND deleted_at IS NULL)
       AND (SELECT count(*) FROM household_member WHERE person_id = c.id AND deleted_at IS NULL) = 1
       AND (SELECT count(*) FROM guardianship WHERE child_id = c.id AND deleted_at IS NULL) = 2
       AND (SELECT count(*) FROM guardianship g JOIN person a ON a.id = g.guardian_id
            WHERE g.child_id = c.id AND g.deleted_at IS NULL AND g.kind = 'vardnadshavare' AND g.shielded = 0 AND g.valid_to IS NULL
              AND g.valid_from <= '2026-01-01' AND a.protection = 'none' AND a.shielded = 0
              AND EXISTS (SELECT 1 FROM household_member m JOIN household_member x ON x.household_id = m.household_id
                          WHERE m.person_id = c.id AND m.deleted_at IS NULL AND x.person_id = g.guardian_id AND x.role = 'adult' AND x.deleted_at IS NULL)) = 2
     ORDER BY c.id`,
  );
  const used = new Set<string>();
  const out: Family[] = [];
  for (const r of rows) {
    const g = JSON.parse(r.guardians) as [string, string];
    if (used.has(r.household) || g.some((x) => used.has(x))) continue;
    used.add(r.household);
    g.forEach((x) => used.add(x));
    out.push({ child: r.child, guardians: g, household: r.household });
    if (out.length === n) break;
  }
  expect(out.length).toBe(n);
  return out;
}

const lastAudit = (w: World, method: string) =>
  one<{ action: string; outcome: string; person_ids: string; details: string; reason: string | null }>(w, `SELECT action, outcome, person_ids, details, reason FROM audit_log WHERE method = ? ORDER BY seq DESC LIMIT 1`, method);

// ---------- the Swedish register most tests share ----------

let se: World;
let fams: Family[];
/** The main family: a child with every kind of record, asked for by the first guardian. */
let main: Family & { contact: string; oldAddress: string; application: string; openDoc: string; secretDoc: string; income: string; feeLine: string; feeRun: string };
/** The protected families of the demo: a protected child with two protected custodians. */
let maria: { child: string; guardians: string[] };
let ines: { child: string; guardians: string[] };

beforeAll(async () => {
  se = openWorld('SE');
  fams = families(se, 8);
  const f = fams[0]!;
  const [g1] = f.guardians;
  // A contact and an ended address for the child (demo children have none of either).
  const contact = insertRow(se, 'person_contact', { person_id: f.child, kind: 'email', value: 'barnet@example.se', valid_from: '2026-01-01', valid_to: null });
  const oldAddress = insertRow(se, 'person_address', {
    person_id: f.child,
    kind: 'postal',
    care_of: 'c/o Mormor',
    street: 'Gamla vägen 1',
    postal_code: '123 45',
    city: 'Ekdala',
    country: 'SE',
    valid_from: '2020-01-01',
    valid_to: '2025-12-31',
  });
  // A preschool application with its one choice.
  const pl = one<{ id: string; unit_id: string; school_form: string }>(se, 'SELECT id, unit_id, school_form FROM placement WHERE child_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1', f.child);
  const application = insertRow(se, 'application', { child_id: f.child, school_form: 'FS', applied_on: '2020-01-10', wished_start: '2020-08-01', weekly_hours: 30, status: 'placed', note: 'Syskonförtur' });
  sql(se).prepare('INSERT INTO application_choice (application_id, rank, unit_id) VALUES (?, 1, ?)').run(application, pl.unit_id);
  // A locked fee run with one line for the child, invoiced to the first guardian.
  const feeRun = insertRow(se, 'fee_run', {
    month: '2026-10',
    kind: 'regular',
    state: 'locked',
    currency: 'SEK',
    line_count: 1,
    total: 150_000,
    summary: '{}',
    config_hash: 'c'.repeat(64),
    lines_hash: 'l'.repeat(64),
    locked_at: NOW,
    locked_by: se.ids.fee!,
    posted_at: null,
    posted_by: null,
    deleted_at: null,
  });
  const feeLine = insertRow(se, 'fee_line', {
    run_id: feeRun,
    month: '2026-10',
    kind: 'charge',
    corrects_line_id: null,
    child_id: f.child,
    placement_id: pl.id,
    household_id: f.household,
    unit_id: pl.unit_id,
    school_form: pl.school_form,
    recipient_id: g1,
    share_bp: 10_000,
    amount: 150_000,
    explanation: '{"rule":"maxtaxa"}',
    deleted_at: null,
  });
  // The household's income, declared by the fee administrator through the contract.
  const income = data<Written>(se.fee.call('income.declare', { householdId: f.household, validFrom: '2026-01-01', monthlyIncome: 3_500_000, source: 'declared' })).id;
  // An open and a confidential document, attached by the municipality-wide clerk.
  const openDoc = await attach(se, se.clerkAll, f.child);
  const secretDoc = await attach(se, se.clerkAll, f.child, { title: 'Beslut om särskilt stöd', kind: 'decision', classification: 'confidential', classificationGround: 'OSL 23:2', retentionClass: 'permanent' });
  main = { ...f, contact, oldAddress, application, openDoc, secretDoc, income, feeLine, feeRun };

  const prot = all<{ child: string; guardians: string }>(
    se,
    `SELECT g.child_id AS child, json_group_array(g.guardian_id) AS guardians FROM guardianship g JOIN person c ON c.id = g.child_id
     WHERE c.protection <> 'none' AND g.deleted_at IS NULL GROUP BY g.child_id ORDER BY g.child_id`,
  ).map((r) => ({ child: r.child, guardians: (JSON.parse(r.guardians) as string[]).sort() }));
  expect(prot.length).toBe(2);
  [maria, ines] = [prot[0]!, prot[1]!];
  for (const p of prot) {
    for (const g of p.guardians) expect(one(se, 'SELECT protection, shielded FROM person WHERE id = ?', g)).toEqual({ protection: 'se_sekretessmarkering', shielded: 1 });
    expect(one(se, 'SELECT protection, shielded FROM person WHERE id = ?', p.child)).toEqual({ protection: 'se_sekretessmarkering', shielded: 1 });
  }
}, 120_000);
afterAll(() => se?.core.dispose());

// ---------- a guardian's subject-access request ----------

describe('foi.gather: a guardian asking for their child', () => {
  it('gathers exactly what the register holds about the child, moves the request to gathering and answers the counts', () => {
    const [g1] = main.guardians;
    const r = guardianRequest(se, g1, main.child);
    expect(requestOf(se, r.id)).toEqual({ status: 'registered', version: 1 });

    const expected = heldAbout(se, main.child, g1);
    const got = gatherAs(se.foi, r.id);
    expect(got).toEqual({ added: expected.length, changed: 0, gone: 0, total: expected.length });
    expect(requestOf(se, r.id)).toEqual({ status: 'gathering', version: 2 });
    expect(one(se, 'SELECT status_reason, updated_by FROM foi_request WHERE id = ?', r.id)).toEqual({ status_reason: null, updated_by: se.ids.foi });

    const items = everyItem(se.foi, r.id);
    expect(items.length).toBe(expected.length);
    expect(items.map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
    // Every part of the register is there: what the demo has, and what was added for the test.
    const byCat = countBy(expected);
    expect(byCat).toMatchObject({ identity: 1, address: 2, contact: 1, guardianship: 2, household: 1, application: 1, fee_line: 1, income: 1, document: 2 });
    for (const c of ['name', 'placement', 'enrolment', 'membership']) expect([c, byCat[c]! >= 1]).toEqual([c, true]);
    expect(Object.keys(byCat).sort()).toEqual([...FOI_ITEM_CATEGORIES].sort());
    const ids = (cat: string) => items.filter((i) => i.category === cat).map((i) => i.recordId);
    expect(ids('identity')).toEqual([main.child]);
    expect(ids('contact')).toEqual([main.contact]);
    expect(ids('address')).toContain(main.oldAddress);
    expect(ids('application')).toEqual([main.application]);
    expect(ids('fee_line')).toEqual([main.feeLine]);
    expect(ids('income')).toEqual([main.income]);
    expect(ids('document').sort()).toEqual([main.openDoc, main.secretDoc].sort());
    expect(ids('guardianship').sort()).toEqual(pluck(se, 'SELECT id FROM guardianship WHERE child_id = ? ORDER BY id', main.child));
    // Every item is the child's, none new or gone.
    const child = { id: main.child, name: nameOf(se, main.child), protected: false };
    for (const i of items) expect([i.category, i.person, i.changed, i.gone]).toEqual([i.category, child, false, false]);
    // The page's counts by category are those of the register.
    expect(itemsAs(se.foi, r.id).counts).toEqual(byCat);

    // The rows: one per record, with its hash and proposal, written by the officer.
    const rows = all<Row>(se, 'SELECT request_id, person_id, entity, version, gone_at, created_by, created_at, length(content_hash) AS hash_len FROM foi_item WHERE request_id = ?', r.id);
    expect(rows.length).toBe(expected.length);
    for (const row of rows) expect(row).toEqual({ request_id: r.id, person_id: main.child, entity: row.entity, version: 1, gone_at: null, created_by: se.ids.foi, created_at: NOW, hash_len: 64 });
  });

  it('proposes disclosing all of an unprotected child to the guardian, but a confidential document withheld with its ground to be chosen', () => {
    const r = guardianRequest(se, main.guardians[0], main.child);
    gatherAs(se.foi, r.id);
    for (const i of everyItem(se.foi, r.id)) {
      const want = i.recordId === main.secretDoc ? { outcome: 'withhold', ground: null } : DISCLOSE;
      expect([i.category, i.recordId, i.proposal]).toEqual([i.category, i.recordId, want]);
    }
    // As stored.
    expect(JSON.parse(scalar<string>(se, 'SELECT proposal FROM foi_item WHERE request_id = ? AND record_id = ?', r.id, main.secretDoc))).toEqual({ outcome: 'withhold', ground: null });
    expect(JSON.parse(scalar<string>(se, 'SELECT proposal FROM foi_item WHERE request_id = ? AND record_id = ?', r.id, main.openDoc))).toEqual(DISCLOSE);
  });

  it("shows each record's own fields with the stored values: persons, units and groups by name", () => {
    const r = guardianRequest(se, main.guardians[0], main.child);
    gatherAs(se.foi, r.id);
    const items = everyItem(se.foi, r.id);
    for (const i of items) expect([i.entity, i.recordId, i.fields]).toEqual([i.entity, i.recordId, fieldsOf(se, i.entity, i.recordId)]);
    const field = (recordId: string) => Object.fromEntries(items.find((i) => i.recordId === recordId)!.fields.map((f) => [f.name, f.value]));
    // Written out for the records made here.
    expect(items.find((i) => i.recordId === main.oldAddress)!.fields).toEqual([
      { name: 'kind', value: 'postal', withheld: false },
      { name: 'care_of', value: 'c/o Mormor', withheld: false },
      { name: 'street', value: 'Gamla vägen 1', withheld: false },
      { name: 'postal_code', value: '123 45', withheld: false },
      { name: 'city', value: 'Ekdala', withheld: false },
      { name: 'country', value: 'SE', withheld: false },
      { name: 'valid_from', value: '2020-01-01', withheld: false },
      { name: 'valid_to', value: '2025-12-31', withheld: false },
    ]);
    expect(items.find((i) => i.recordId === main.contact)!.fields).toEqual([
      { name: 'kind', value: 'email', withheld: false },
      { name: 'value', value: 'barnet@example.se', withheld: false },
      { name: 'valid_from', value: '2026-01-01', withheld: false },
      { name: 'valid_to', value: null, withheld: false },
    ]);
    const pl = one<{ id: string; unit_id: string; weekly_hours: number | null }>(se, 'SELECT id, unit_id, weekly_hours FROM placement WHERE child_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1', main.child);
    const unitName = scalar<string>(se, 'SELECT name FROM org_unit WHERE id = ?', pl.unit_id);
    expect(unitName).not.toBe(pl.unit_id);
    expect(field(pl.id).unit_id).toBe(unitName);
    expect(field(main.feeLine)).toEqual({
      month: '2026-10',
      kind: 'charge',
      child_id: nameOf(se, main.child),
      unit_id: unitName,
      school_form: one<{ school_form: string }>(se, 'SELECT school_form FROM placement WHERE id = ?', pl.id).school_form,
      recipient_id: nameOf(se, main.guardians[0]),
      share_bp: '10000',
      amount: '150000',
    });
    expect(field(main.income)).toEqual({ valid_from: '2026-01-01', monthly_income: '3500000', source: 'declared' });
    expect(field(main.application)).toEqual({ school_form: 'FS', applied_on: '2020-01-10', wished_start: '2020-08-01', weekly_hours: '30', status: 'placed' });
    expect(field(main.secretDoc)).toEqual({ title: 'Beslut om särskilt stöd', kind: 'decision', document_date: '2026-11-02', classification: 'confidential', classification_ground: 'OSL 23:2', pages: '1' });
    const g = items.find((i) => i.category === 'guardianship' && i.fields[1]!.value === nameOf(se, main.guardians[1]))!;
    expect(g.fields.slice(0, 3)).toEqual([
      { name: 'child_id', value: nameOf(se, main.child), withheld: false },
      { name: 'guardian_id', value: nameOf(se, main.guardians[1]), withheld: false },
      { name: 'kind', value: 'vardnadshavare', withheld: false },
    ]);
    const ident = Object.fromEntries(items.find((i) => i.category === 'identity')!.fields.map((f) => [f.name, f.value]));
    const p = one<Row>(se, 'SELECT given_name, family_name, id_canonical, birth_date FROM person WHERE id = ?', main.child);
    // The identity number as the register shows it (formatted, with its separator).
    expect(ident).toMatchObject({ given_name: p.given_name, family_name: p.family_name, id_canonical: formatIdentityNumber(String(p.id_canonical), { today: TEST_TODAY }), birth_date: p.birth_date });
  });

  it('gathers no income for a guardian who is not an adult of the child\'s household', () => {
    const f = fams[1]!;
    const [, g2] = f.guardians;
    income(se, f.household);
    // The second guardian leaves the household (their membership removed).
    sql(se).prepare('UPDATE household_member SET deleted_at = ? WHERE person_id = ? AND household_id = ?').run(NOW, g2, f.household);
    const theirs = guardianRequest(se, g2, f.child);
    const got = gatherAs(se.foi, theirs.id);
    const expected = heldAbout(se, f.child, g2);
    expect(expected.filter((x) => x.category === 'income')).toEqual([]);
    expect(got).toEqual({ added: expected.length, changed: 0, gone: 0, total: expected.length });
    expect(itemsAs(se.foi, theirs.id, { category: 'income' })).toEqual({ items: [], total: 0, counts: countBy(expected) });
    // The guardian still living there gets the household's income, on the same records otherwise.
    const mine = guardianRequest(se, f.guardians[0], f.child);
    const again = gatherAs(se.foi, mine.id);
    expect(again).toEqual({ added: expected.length + 1, changed: 0, gone: 0, total: expected.length + 1 });
    expect(itemsAs(se.foi, mine.id, { category: 'income' }).items.map((i) => [i.entity, i.proposal])).toEqual([['income_declaration', DISCLOSE]]);
  });

  it("gathers no income declared after the requester left the child's household (not their household's income)", () => {
    const f = fams[2]!;
    const [, g2] = f.guardians;
    // The second guardian was an adult of the household until mid-2020; the income is declared for 2026.
    sql(se).prepare(`UPDATE household_member SET valid_to = '2020-06-30' WHERE person_id = ? AND household_id = ?`).run(g2, f.household);
    income(se, f.household);
    const r = guardianRequest(se, g2, f.child);
    gatherAs(se.foi, r.id);
    expect(itemsAs(se.foi, r.id, { category: 'income' }).items.map((i) => i.recordId)).toEqual([]);
  });

  it("gathers the data subject's own household's income when an adult asks for their own data", () => {
    const f = fams[3]!;
    const [g1] = f.guardians;
    const id = income(se, f.household);
    const r = create(se, { kind: 'gdpr_access', receivedOn: TEST_TODAY, channel: 'counter', language: 'sv', askedFor: 'Mina uppgifter', requesterKind: 'subject', requesterPersonId: g1, identityVerified: 'id_document' });
    const expected = heldAbout(se, g1, g1);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: expected.length, changed: 0, gone: 0, total: expected.length });
    expect(everyItem(se.foi, r.id).map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
    expect(itemsAs(se.foi, r.id, { category: 'income' }).items.map((i) => [i.recordId, i.proposal])).toEqual([[id, DISCLOSE]]);
    // As a guardian: the guardianships of their children, and the fee line invoiced to them (as recipient).
    expect(itemsAs(se.foi, r.id, { category: 'guardianship' }).items.map((i) => i.recordId).sort()).toEqual(pluck(se, 'SELECT id FROM guardianship WHERE guardian_id = ? AND deleted_at IS NULL ORDER BY id', g1));
  });
});

/** Declares an income for the household as the fee administrator; returns its id. */
function income(w: World, householdId: string): string {
  return data<Written>(w.fee.call('income.declare', { householdId, validFrom: '2026-01-01', monthlyIncome: 2_800_000, source: 'declared' })).id;
}

// ---------- listed and other persons ----------

describe('foi.gather: listed and other persons', () => {
  it('gathers only the identity of a listed or other person, withholding a protected one\'s in a public-document request', () => {
    const plain = main.child;
    const other = main.guardians[0];
    const prot = maria.guardians[0]!;
    const r = publicRequest(se, 'se_public_document', [
      { personId: plain, role: 'listed' },
      { personId: prot, role: 'listed' },
      { personId: other, role: 'other' },
    ]);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 3, changed: 0, gone: 0, total: 3 });
    const items = everyItem(se.foi, r.id);
    // In the persons' name order (person.sort_key), the protected one (the officer cannot name them) last.
    const order = [...pluck(se, `SELECT id FROM person WHERE id IN (?, ?) ORDER BY sort_key, id`, plain, other), prot];
    expect(items.map((i) => [i.person.id, i.category, i.entity, i.recordId])).toEqual(order.map((id) => [id, 'identity', 'person', id]));
    const byPerson = Object.fromEntries(items.map((i) => [i.person.id, i]));
    expect(byPerson[plain]!.proposal).toEqual(DISCLOSE);
    expect(byPerson[other]!.proposal).toEqual(DISCLOSE);
    expect(byPerson[prot]!.proposal).toEqual({ outcome: 'withhold', ground: 'se_osl_21_3' });
    expect(itemsAs(se.foi, r.id).counts).toEqual({ identity: 3 });
  });

  it("a listed protected person's identity is disclosed in a subject-access request (not a public document)", () => {
    // Ines's guardian asks about her; her other guardian is on the request as another person concerned.
    const [g1, g2] = ines.guardians as [string, string];
    const r = create(se, {
      kind: 'gdpr_access',
      receivedOn: TEST_TODAY,
      channel: 'letter',
      language: 'sv',
      askedFor: 'Om mitt barn',
      requesterKind: 'guardian',
      requesterPersonId: g1,
      identityVerified: 'register_custody',
      persons: [
        { personId: ines.child, role: 'subject' },
        { personId: g2, role: 'other' },
      ],
    });
    gatherAs(se.foi, r.id);
    const theirs = everyItem(se.foi, r.id).filter((i) => i.person.id === g2);
    expect(theirs.map((i) => [i.category, i.recordId, i.proposal])).toEqual([['identity', g2, DISCLOSE]]);
  });
});

// ---------- proposals ----------

describe('foi.gather: proposals', () => {
  it("masks a protected child's addresses and contacts, households and guardianships with protected parties, on OSL 21:3", () => {
    const contact = insertRow(se, 'person_contact', { person_id: maria.child, kind: 'mobile', value: '070-000 00 01', valid_from: '2026-01-01', valid_to: null });
    const r = guardianRequest(se, maria.guardians[0]!, maria.child);
    const expected = heldAbout(se, maria.child, maria.guardians[0]!);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: expected.length, changed: 0, gone: 0, total: expected.length });
    const items = everyItem(se.foi, r.id);
    expect(items.map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
    expect(items.find((i) => i.category === 'contact')!.recordId).toBe(contact);
    const want: Record<string, { outcome: string; ground: string | null }> = {
      identity: DISCLOSE,
      name: DISCLOSE,
      address: SE_MASK,
      contact: SE_MASK,
      guardianship: SE_MASK,
      household: SE_MASK,
      placement: DISCLOSE,
      enrolment: DISCLOSE,
      membership: DISCLOSE,
    };
    for (const i of items) expect([i.category, i.proposal]).toEqual([i.category, want[i.category]]);
    expect(countBy(items)).toMatchObject({ address: 1, contact: 1, guardianship: 2, household: 1 });
    expect(PROTECTED_GROUND.SE).toBe('se_osl_21_3');
  });

  it("discloses a protected adult's own addresses, contacts and household to them, masking the guardianship of their protected child", () => {
    const lilly = ines.guardians[0]!;
    const r = create(se, { kind: 'gdpr_access', receivedOn: TEST_TODAY, channel: 'letter', language: 'sv', askedFor: 'Mina uppgifter', requesterKind: 'subject', requesterPersonId: lilly, identityVerified: 'e_id' });
    const expected = heldAbout(se, lilly, lilly);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: expected.length, changed: 0, gone: 0, total: expected.length });
    const items = everyItem(se.foi, r.id);
    expect(items.map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
    expect(countBy(items)).toMatchObject({ identity: 1, address: 1, contact: 2, guardianship: 1, household: 1 });
    for (const i of items) expect([i.category, i.proposal]).toEqual([i.category, i.category === 'guardianship' ? SE_MASK : DISCLOSE]);
  });

  it("masks a shielded guardianship (a court decision), discloses the child's other one", () => {
    const f = fams[4]!;
    const [g1, g2] = f.guardians;
    const r = guardianRequest(se, g1, f.child);
    sql(se).prepare('UPDATE guardianship SET shielded = 1 WHERE child_id = ? AND guardian_id = ?').run(f.child, g2);
    gatherAs(se.foi, r.id);
    const g = itemsAs(se.foi, r.id, { category: 'guardianship' }).items;
    const idOf = (guardian: string) => scalar<string>(se, 'SELECT id FROM guardianship WHERE child_id = ? AND guardian_id = ?', f.child, guardian);
    expect(Object.fromEntries(g.map((i) => [i.recordId, i.proposal]))).toEqual({ [idOf(g1)]: DISCLOSE, [idOf(g2)]: SE_MASK });
    // Only the guardianship: the child's own whereabouts stay disclosed to the guardian.
    expect(itemsAs(se.foi, r.id, { category: 'address' }).items.map((i) => i.proposal)).toEqual([DISCLOSE]);
  });

  it("withholds a subject's care records in a public-document request on OSL 23:2, the confidential document for the officer to ground", () => {
    const r = publicRequest(se, 'se_public_document', [{ personId: main.child, role: 'subject' }]);
    // No requester in the register: no income.
    const expected = heldAbout(se, main.child, null);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: expected.length, changed: 0, gone: 0, total: expected.length });
    const items = everyItem(se.foi, r.id);
    expect(items.map(keyOf).sort()).toEqual(expected.map(keyOf).sort());
    expect(items.some((i) => i.category === 'income')).toBe(false);
    const want = (i: Item) => {
      if (i.recordId === main.secretDoc) return { outcome: 'withhold', ground: null };
      return ['identity', 'name', 'address', 'contact'].includes(i.category) ? DISCLOSE : SE_CARE;
    };
    for (const i of items) expect([i.category, i.recordId, i.proposal]).toEqual([i.category, i.recordId, want(i)]);
    expect(new Set(items.filter((i) => want(i) === SE_CARE).map((i) => i.category))).toEqual(new Set(['guardianship', 'household', 'placement', 'enrolment', 'application', 'membership', 'fee_line', 'document']));
  });

  it("withholds a protected subject's identity in a public-document request, and masks their whereabouts", () => {
    const r = publicRequest(se, 'se_public_document', [{ personId: maria.child, role: 'subject' }]);
    gatherAs(se.foi, r.id);
    const byCat = (c: string) => itemsAs(se.foi, r.id, { category: c }).items.map((i) => i.proposal);
    expect(byCat('identity')).toEqual([{ outcome: 'withhold', ground: 'se_osl_21_3' }]);
    expect(byCat('address')).toEqual([SE_MASK]);
    expect(byCat('guardianship')).toEqual([SE_MASK, SE_MASK]);
    expect(byCat('household')).toEqual([SE_MASK]);
    const care = scalar(se, 'SELECT count(*) FROM placement WHERE child_id = ? AND deleted_at IS NULL', maria.child) + scalar(se, 'SELECT count(*) FROM enrolment WHERE pupil_id = ? AND deleted_at IS NULL', maria.child);
    expect(care).toBeGreaterThan(0);
    expect([...byCat('placement'), ...byCat('enrolment')]).toEqual(Array(care).fill(SE_CARE));
  });

  it("withholds a protected subject's name records in a public-document request like their identity (the name tells who they are)", () => {
    const r = publicRequest(se, 'se_public_document', [{ personId: ines.child, role: 'subject' }]);
    gatherAs(se.foi, r.id);
    const names = itemsAs(se.foi, r.id, { category: 'name' }).items;
    expect(names.length).toBe(scalar(se, 'SELECT count(*) FROM person_name WHERE person_id = ?', ines.child));
    expect(itemsAs(se.foi, r.id, { category: 'identity' }).items.map((i) => i.proposal)).toEqual([{ outcome: 'withhold', ground: 'se_osl_21_3' }]);
    // The name history carries the same names the identity withholds.
    for (const i of names) expect(i.proposal).toEqual({ outcome: 'withhold', ground: 'se_osl_21_3' });
  });
});

// ---------- gathering again ----------

describe('foi.gather again', () => {
  it('answers nothing new when nothing changed; a changed record shows as changed until gathered again', () => {
    const f = fams[5]!;
    const r = guardianRequest(se, f.guardians[0], f.child);
    const first = gatherAs(se.foi, r.id);
    expect(first.added).toBe(heldAbout(se, f.child, f.guardians[0]).length);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 0, gone: 0, total: first.total });
    // A gathering again leaves the status (gathering) and the request's version as they are.
    expect(requestOf(se, r.id)).toEqual({ status: 'gathering', version: 2 });

    // The clerk corrects the placement's weekly hours.
    const pl = one<{ id: string; version: number; weekly_hours: number | null }>(se, 'SELECT id, version, weekly_hours FROM placement WHERE child_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1', f.child);
    const hours = pl.weekly_hours === 25 ? 30 : 25;
    data(se.clerkAll.call('placement.update', { id: pl.id, version: pl.version, weeklyHours: hours }));
    const before = everyItem(se.foi, r.id);
    expect(before.filter((i) => i.changed).map((i) => i.recordId)).toEqual([pl.id]);
    const item = before.find((i) => i.recordId === pl.id)!;
    // The fields read through: the new value is shown at once, the item marked changed.
    expect(item.fields.find((x) => x.name === 'weekly_hours')).toEqual({ name: 'weekly_hours', value: String(hours), withheld: false });
    expect([item.changed, item.gone, item.version]).toEqual([true, false, 1]);

    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 1, gone: 0, total: first.total });
    const after = everyItem(se.foi, r.id);
    expect(after.filter((i) => i.changed)).toEqual([]);
    expect(after.find((i) => i.recordId === pl.id)).toMatchObject({ id: item.id, version: 2, changed: false, gone: false });
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 0, gone: 0, total: first.total });
  });

  it('a changed proposal is a change: a guardianship shielded since is gathered again as masked', () => {
    const f = fams[6]!;
    const [g1, g2] = f.guardians;
    const r = guardianRequest(se, g1, f.child);
    const first = gatherAs(se.foi, r.id);
    sql(se).prepare('UPDATE guardianship SET shielded = 1 WHERE child_id = ? AND guardian_id = ?').run(f.child, g2);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 1, gone: 0, total: first.total });
    const gid = scalar<string>(se, 'SELECT id FROM guardianship WHERE child_id = ? AND guardian_id = ?', f.child, g2);
    expect(itemsAs(se.foi, r.id, { category: 'guardianship' }).items.find((i) => i.recordId === gid)!.proposal).toEqual(SE_MASK);
  });

  it('marks a removed document gone (listed last, not counted) and brings it back when restored', async () => {
    const f = fams[5]!;
    const doc = await attach(se, se.clerkAll, f.child, { title: 'Brev' });
    const r = guardianRequest(se, f.guardians[0], f.child);
    const first = gatherAs(se.foi, r.id);
    expect(itemsAs(se.foi, r.id, { category: 'document' }).items.map((i) => i.recordId)).toEqual([doc]);
    const countsBefore = itemsAs(se.foi, r.id).counts;
    expect(countsBefore.document).toBe(1);

    const v = scalar<number>(se, 'SELECT version FROM person_document WHERE id = ?', doc);
    data(se.clerkAll.call('document.remove', { id: doc, version: v }));
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 0, gone: 1, total: first.total - 1 });
    const page = itemsAs(se.foi, r.id);
    // Still listed (kept for the history), last, gone; not counted.
    expect(page.total).toBe(first.total);
    expect(page.items.at(-1)).toMatchObject({ recordId: doc, category: 'document', gone: true, changed: false });
    expect(page.items.filter((i) => i.gone).map((i) => i.recordId)).toEqual([doc]);
    const { document: _gone, ...rest } = countsBefore;
    expect(page.counts).toEqual(rest);
    expect(scalar<string>(se, 'SELECT gone_at FROM foi_item WHERE request_id = ? AND record_id = ?', r.id, doc)).toBe(NOW);
    // Nothing further: a gone item stays gone without counting again.
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 0, gone: 0, total: first.total - 1 });

    // The document restored (its removal undone): the same item is back.
    sql(se).prepare('UPDATE person_document SET deleted_at = NULL WHERE id = ?').run(doc);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 1, gone: 0, total: first.total });
    const back = itemsAs(se.foi, r.id, { category: 'document' }).items.find((i) => i.recordId === doc)!;
    expect([back.gone, back.changed]).toEqual([false, false]);
    expect(scalar(se, 'SELECT count(*) FROM foi_item WHERE request_id = ? AND record_id = ?', r.id, doc)).toBe(1);
    expect(itemsAs(se.foi, r.id).counts).toEqual(countsBefore);
  });

  it("marks a person's items gone when they are removed from the request, and brings the same items back when re-added", () => {
    const [a, b] = [fams[6]!.child, fams[7]!.child];
    const r = publicRequest(se, 'se_public_document', [
      { personId: a, role: 'listed' },
      { personId: b, role: 'subject' },
    ]);
    const first = gatherAs(se.foi, r.id);
    const bCount = heldAbout(se, b, null).length;
    expect(first).toEqual({ added: 1 + bCount, changed: 0, gone: 0, total: 1 + bCount });
    const link = one<{ id: string; version: number }>(se, 'SELECT id, version FROM foi_request_person WHERE request_id = ? AND person_id = ?', r.id, b);
    data(se.foi.call('foi.requestPersonRemove', { id: link.id, version: link.version }));
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: 0, gone: bCount, total: 1 });
    const page = itemsAs(se.foi, r.id);
    expect(page.counts).toEqual({ identity: 1 });
    expect(page.items[0]).toMatchObject({ person: { id: a }, gone: false });
    expect(page.items.slice(1).every((i) => i.person.id === b && i.gone)).toBe(true);

    data(se.foi.call('foi.requestPersonAdd', { requestId: r.id, personId: b, role: 'subject' }));
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 0, changed: bCount, gone: 0, total: 1 + bCount });
    expect(everyItem(se.foi, r.id).filter((i) => i.gone)).toEqual([]);
    expect(scalar(se, 'SELECT count(*) FROM foi_item WHERE request_id = ?', r.id)).toBe(1 + bCount);
  });

  it('an address removed by a correction shows gone at once: listed last and not counted, before gathering again', () => {
    const f = fams[7]!;
    const wrong = insertRow(se, 'person_address', { person_id: f.child, kind: 'temporary', care_of: null, street: 'Felgatan 9', postal_code: '999 99', city: 'Fel', country: 'SE', valid_from: '2026-02-01', valid_to: null });
    const r = guardianRequest(se, f.guardians[0], f.child);
    gatherAs(se.foi, r.id);
    expect(itemsAs(se.foi, r.id).counts.address).toBe(2);
    // A correction deletes the mistaken row (core/register/persons.ts syncEffectiveList).
    sql(se).prepare('DELETE FROM person_address WHERE id = ?').run(wrong);
    const page = itemsAs(se.foi, r.id);
    const item = page.items.find((i) => i.recordId === wrong)!;
    expect([item.gone, item.changed]).toEqual([true, false]);
    expect(item.fields).toEqual(SHOWN.person_address!.map((name) => ({ name, value: null, withheld: false })));
    // What the item view says gone is neither counted nor listed among the live items.
    expect({ counted: page.counts.address, last: page.items.at(-1)!.recordId === wrong }).toEqual({ counted: 1, last: true });
  });

  it('the same action again (its mutation id) answers from the record and writes nothing twice', () => {
    const r = guardianRequest(se, main.guardians[0], main.child);
    const mutationId = randomUUID();
    const first = gatherAs(se.foi, r.id, mutationId);
    const log = scalar(se, 'SELECT count(*) FROM change_log WHERE mutation_id = ?', mutationId);
    expect(log).toBe(first.added + 1);
    expect(gatherAs(se.foi, r.id, mutationId)).toEqual(first);
    expect(scalar(se, 'SELECT count(*) FROM change_log WHERE mutation_id = ?', mutationId)).toBe(log);
    expect(scalar(se, 'SELECT count(*) FROM foi_item WHERE request_id = ?', r.id)).toBe(first.total);
  });
});

// ---------- the items' page ----------

describe('foi.items', () => {
  let rid: string;
  let all3: Item[];
  beforeAll(() => {
    // Two subjects and a listed person: items of three persons.
    const r = publicRequest(se, 'se_public_document', [
      { personId: main.child, role: 'subject' },
      { personId: fams[1]!.child, role: 'subject' },
      { personId: main.guardians[1], role: 'listed' },
    ]);
    rid = r.id;
    gatherAs(se.foi, rid);
    all3 = everyItem(se.foi, rid);
  });

  it('orders by person name, then category in the register order, then the day each record is about (earliest first), then record id', () => {
    const persons = pluck(se, `SELECT id FROM person WHERE id IN (?, ?, ?) ORDER BY sort_key, id`, main.child, fams[1]!.child, main.guardians[1]);
    // The day: a period's start, a document's date, an application's day, a fee line's month; none last.
    const dayOf = (i: Item): string | null => {
      const row = one(se, `SELECT * FROM ${i.entity} WHERE id = ?`, i.recordId);
      for (const c of ['valid_from', 'document_date', 'applied_on', 'month']) if (typeof row[c] === 'string') return row[c] as string;
      return null;
    };
    const byText = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
    const sorted = [...all3].sort(
      (x, y) => persons.indexOf(x.person.id) - persons.indexOf(y.person.id) || catIndex(x.category) - catIndex(y.category) || byText(dayOf(x), dayOf(y)) || byText(x.recordId, y.recordId),
    );
    expect(all3.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
    // Two contacts whose ids sort against their days: the earlier day first, whatever the ids say.
    const [late, early] = ['00000000-0000-4000-8000-0000000000c1', 'ffffffff-ffff-4fff-bfff-ffffffffffc1'];
    insertRow(se, 'person_contact', { id: late, person_id: fams[1]!.child, kind: 'phone', value: '070-000 00 01', valid_from: '2026-06-01', valid_to: null });
    insertRow(se, 'person_contact', { id: early, person_id: fams[1]!.child, kind: 'phone', value: '070-000 00 02', valid_from: '2020-01-01', valid_to: '2026-05-31' });
    try {
      const fresh = publicRequest(se, 'se_public_document', [{ personId: fams[1]!.child, role: 'subject' }]);
      gatherAs(se.foi, fresh.id);
      const contacts = everyItem(se.foi, fresh.id, { category: 'contact' }).map((i) => i.recordId).filter((id) => id === late || id === early);
      expect(contacts).toEqual([early, late]);
    } finally {
      sql(se).prepare('DELETE FROM foi_item WHERE record_id IN (?, ?)').run(late, early);
      sql(se).prepare('DELETE FROM person_contact WHERE id IN (?, ?)').run(late, early);
    }
    expect([...new Set(all3.map((i) => i.person.id))]).toEqual(persons);
    // Within a person identity comes first, documents last.
    const mine = all3.filter((i) => i.person.id === main.child);
    expect([mine[0]!.category, mine.at(-1)!.category]).toEqual(['identity', 'document']);
  });

  it('pages by offset and limit with the total, and filters by category with the counts of every category', () => {
    const total = all3.length;
    const counts = countBy(all3);
    const p1 = itemsAs(se.foi, rid, { offset: 0, limit: 5 });
    const p2 = itemsAs(se.foi, rid, { offset: 5, limit: 5 });
    const last = itemsAs(se.foi, rid, { offset: total - 2, limit: 5 });
    expect([p1.total, p2.total, last.total]).toEqual([total, total, total]);
    expect(p1.items.map((i) => i.id)).toEqual(all3.slice(0, 5).map((i) => i.id));
    expect(p2.items.map((i) => i.id)).toEqual(all3.slice(5, 10).map((i) => i.id));
    expect(last.items.map((i) => i.id)).toEqual(all3.slice(total - 2).map((i) => i.id));
    expect(itemsAs(se.foi, rid, { offset: total, limit: 5 })).toEqual({ items: [], total, counts });
    expect(p1.counts).toEqual(counts);
    expect(counts.identity).toBe(3);

    const enr = itemsAs(se.foi, rid, { category: 'enrolment', limit: 1 });
    expect(enr.total).toBe(counts.enrolment);
    expect(enr.items.map((i) => i.id)).toEqual(all3.filter((i) => i.category === 'enrolment').slice(0, 1).map((i) => i.id));
    expect(enr.counts).toEqual(counts);
    const enr2 = itemsAs(se.foi, rid, { category: 'enrolment', offset: 1, limit: 500 });
    expect(enr2.items.map((i) => i.id)).toEqual(all3.filter((i) => i.category === 'enrolment').slice(1).map((i) => i.id));
    expect(itemsAs(se.foi, rid, { category: 'income' })).toEqual({ items: [], total: 0, counts });
    // A request not gathered: nothing yet.
    const fresh = publicRequest(se, 'se_public_document', [{ personId: main.child, role: 'listed' }]);
    expect(itemsAs(se.foi, fresh.id)).toEqual({ items: [], total: 0, counts: {} });
  });

  it('filters to what is left to review (not reviewed, or stale), gone items never, counts the whole list', () => {
    const r = publicRequest(se, 'se_public_document', [{ personId: main.child, role: 'subject' }]);
    gatherAs(se.foi, r.id);
    const every = everyItem(se.foi, r.id);
    const left = (more: Input = {}) => data<Items>(se.foi.call('foi.items', { requestId: r.id, unreviewed: true, limit: 500, ...more }));
    expect(left().items.map((i) => i.id)).toEqual(every.map((i) => i.id));
    // Two reviewed: they leave the filter; the counts stay the whole list's.
    const [a, b] = every.filter((i) => i.category === 'placement' || i.category === 'enrolment');
    for (const i of [a!, b!]) data(se.foi.call('foi.review', { id: i.id, version: i.version, outcome: 'withhold', ground: 'se_osl_23_2', reason: 'Test' }));
    expect(left().items.map((i) => i.id)).toEqual(every.filter((i) => i.id !== a!.id && i.id !== b!.id).map((i) => i.id));
    expect(left()).toMatchObject({ total: every.length - 2, counts: countBy(every) });
    expect(left({ category: a!.category }).items.every((i) => i.category === a!.category && i.id !== a!.id)).toBe(true);
    // One reviewed record changes: stale, so it is left to review again.
    const table = a!.entity;
    const before = scalar<string | null>(se, `SELECT valid_to FROM ${table} WHERE id = ?`, a!.recordId);
    sql(se).prepare(`UPDATE ${table} SET valid_to = '2027-06-30' WHERE id = ?`).run(a!.recordId);
    try {
      expect(left().items.map((i) => i.id)).toContain(a!.id);
      expect(left().items.map((i) => i.id)).not.toContain(b!.id);
      expect(left().items.find((i) => i.id === a!.id)!.review!.stale).toBe(true);
    } finally {
      sql(se).prepare(`UPDATE ${table} SET valid_to = ? WHERE id = ?`).run(before, a!.recordId);
    }
  });

  it('refuses a bad page or category as validation', () => {
    expect(failed(se.foi.call('foi.items', { requestId: rid, limit: 0 })).code).toBe('validation');
    expect(failed(se.foi.call('foi.items', { requestId: rid, limit: 501 })).code).toBe('validation');
    expect(failed(se.foi.call('foi.items', { requestId: rid, offset: -1 })).code).toBe('validation');
    expect(failed(se.foi.call('foi.items', { requestId: rid, category: 'secrets' })).code).toBe('validation');
    expect(failed(se.foi.call('foi.gather', { requestId: rid, extra: 1 })).code).toBe('validation');
  });
});

// ---------- protected persons as the reader may see them ----------

describe("foi.items: a protected person's items", () => {
  let rid: string;
  let doc: string;
  beforeAll(async () => {
    doc = await attach(se, se.clerkAll, maria.child, { title: 'Skyddat brev' });
    rid = guardianRequest(se, maria.guardians[1]!, maria.child).id;
    gatherAs(se.foi, rid);
  });

  it('withholds every value of their identity, names, addresses, contacts, households and documents without protected.reveal', () => {
    const items = everyItem(se.foi, rid);
    expect(items.some((i) => i.recordId === doc)).toBe(true);
    const hidden = new Set(['identity', 'name', 'address', 'contact', 'household', 'document']);
    for (const i of items) {
      expect(i.person).toEqual({ id: maria.child, name: null, protected: true });
      if (hidden.has(i.category)) expect([i.category, i.fields]).toEqual([i.category, allWithheld(i.entity)]);
    }
    expect(countBy(items.filter((i) => hidden.has(i.category)))).toMatchObject({ identity: 1, address: 1, household: 1, document: 1 });
    // A guardianship shows its facts, the protected persons' names withheld.
    const g = items.filter((i) => i.category === 'guardianship');
    expect(g.length).toBe(2);
    for (const i of g) {
      const row = one<Row>(se, 'SELECT kind, lives_with, invoice_share, valid_from, valid_to FROM guardianship WHERE id = ?', i.recordId);
      expect(i.fields).toEqual([
        { name: 'child_id', value: null, withheld: true },
        { name: 'guardian_id', value: null, withheld: true },
        { name: 'kind', value: row.kind, withheld: false },
        { name: 'lives_with', value: String(row.lives_with), withheld: false },
        { name: 'invoice_share', value: String(row.invoice_share), withheld: false },
        { name: 'valid_from', value: row.valid_from, withheld: false },
        { name: 'valid_to', value: null, withheld: false },
      ]);
    }
    // Nothing of the address anywhere in the answer.
    const street = scalar<string>(se, 'SELECT street FROM person_address WHERE person_id = ?', maria.child);
    expect(JSON.stringify(itemsAs(se.foi, rid))).not.toContain(street);
    const idNumber = scalar<string>(se, 'SELECT id_canonical FROM person WHERE id = ?', maria.child);
    for (const shown of [idNumber, formatIdentityNumber(idNumber, { today: TEST_TODAY })]) expect(JSON.stringify(itemsAs(se.foi, rid))).not.toContain(shown);
    expect(JSON.stringify(itemsAs(se.foi, rid))).not.toContain(nameOf(se, maria.child));
  });

  it("withholds a protected guardian's name in an unprotected child's guardianship item", () => {
    // The main child's second guardian becomes protected (the register's shielding would follow; the item reads the protection).
    const f = fams[3]!;
    const [g1, g2] = f.guardians;
    const r = guardianRequest(se, g1, f.child);
    gatherAs(se.foi, r.id);
    sql(se).prepare(`UPDATE person SET protection = 'se_sekretessmarkering' WHERE id = ?`).run(g2);
    try {
      const g = itemsAs(se.foi, r.id, { category: 'guardianship' }).items;
      const byGuardian = (id: string) => g.find((i) => i.recordId === scalar<string>(se, 'SELECT id FROM guardianship WHERE child_id = ? AND guardian_id = ?', f.child, id))!;
      expect(byGuardian(g2).fields.slice(0, 2)).toEqual([
        { name: 'child_id', value: nameOf(se, f.child), withheld: false },
        { name: 'guardian_id', value: null, withheld: true },
      ]);
      expect(byGuardian(g1).fields[1]).toEqual({ name: 'guardian_id', value: nameOf(se, g1), withheld: false });
    } finally {
      sql(se).prepare(`UPDATE person SET protection = 'none' WHERE id = ?`).run(g2);
    }
  });

  it("masks a shielded (not protected) person's whereabouts and withholds their values, showing their identity and name", () => {
    // Shares a protected person's home: shielded, not protected (set here: the demo has none at this size).
    const f = fams[2]!;
    const contact = insertRow(se, 'person_contact', { person_id: f.child, kind: 'phone', value: '08-123 456', valid_from: '2026-01-01', valid_to: null });
    sql(se).prepare('UPDATE person SET shielded = 1 WHERE id = ?').run(f.child);
    try {
      const r = guardianRequest(se, f.guardians[0], f.child);
      gatherAs(se.foi, r.id);
      const items = everyItem(se.foi, r.id);
      expect(items.find((i) => i.category === 'contact')!.recordId).toBe(contact);
      for (const i of items) {
        expect(i.person).toEqual({ id: f.child, name: nameOf(se, f.child), protected: false });
        const masked = i.category === 'address' || i.category === 'contact' || i.category === 'household';
        expect([i.category, i.proposal]).toEqual([i.category, masked ? SE_MASK : DISCLOSE]);
        const hidden = masked || i.category === 'name' || i.category === 'document';
        expect([i.category, i.fields]).toEqual([i.category, hidden ? allWithheld(i.entity) : fieldsOf(se, i.entity, i.recordId)]);
      }
      expect(countBy(items)).toMatchObject({ identity: 1, address: 1, contact: 1, household: 1 });
    } finally {
      sql(se).prepare('UPDATE person SET shielded = 0 WHERE id = ?').run(f.child);
    }
  });

  it('shows the values to an officer who also holds protected.reveal', () => {
    const foiId = se.ids.foi!;
    const roleId = insertRow(se, 'role_assignment', { user_id: foiId, role: 'protected_handler', unit_id: null, deleted_at: null });
    try {
      const revealing = signIn(se, 'foi');
      expect(revealing.session.actor!.permissions.has('protected.reveal')).toBe(true);
      const items = everyItem(revealing, rid);
      for (const i of items) {
        expect(i.person).toEqual({ id: maria.child, name: nameOf(se, maria.child), protected: true });
        expect([i.entity, i.recordId, i.fields]).toEqual([i.entity, i.recordId, fieldsOf(se, i.entity, i.recordId)]);
      }
      const address = items.find((i) => i.category === 'address')!;
      expect(address.fields.find((f) => f.name === 'street')).toEqual({ name: 'street', value: scalar<string>(se, 'SELECT street FROM person_address WHERE person_id = ?', maria.child), withheld: false });
      // The proposals are the same whoever reads them.
      expect(items.map((i) => i.proposal)).toEqual(everyItem(se.foi, rid).map((i) => i.proposal));
    } finally {
      sql(se).prepare('UPDATE role_assignment SET deleted_at = ? WHERE id = ?').run(NOW, roleId);
      sql(se).prepare('UPDATE user_account SET version = version + 1 WHERE id = ?').run(foiId);
    }
    // The role gone, the officer's next call no longer reveals.
    expect(itemsAs(se.foi, rid, { category: 'address' }).items[0]!.fields).toEqual(allWithheld('person_address'));
  });
});

// ---------- refusals ----------

describe('foi.gather and foi.items: refusals', () => {
  it('refuses gathering for a decided, closed or withdrawn request (foi_finished) and one waiting for its decision (foi_move)', () => {
    const items = () => scalar(se, 'SELECT count(*) FROM foi_item');
    const path: Record<string, FoiStatus[]> = { withdrawn: ['withdrawn'], decision: ['review', 'decision'], decided: ['review', 'decision', 'decided'], closed: ['review', 'decision', 'decided', 'closed'] };
    for (const [status, moves] of Object.entries(path)) {
      const r = publicRequest(se, 'se_public_document', [{ personId: main.child, role: 'listed' }]);
      for (const to of moves) move(se, r.id, to);
      const before = items();
      const v = requestOf(se, r.id);
      const e = failed(se.foi.call('foi.gather', { requestId: r.id }));
      const rule = status === 'decision' ? 'foi_move' : 'foi_finished';
      expect([status, e.code, e.rule, e.field]).toEqual([status, 'rule_violation', rule, 'requestId']);
      expect(items()).toBe(before);
      expect(requestOf(se, r.id)).toEqual(v);
      // Its items can still be read.
      expect(itemsAs(se.foi, r.id)).toEqual({ items: [], total: 0, counts: {} });
    }
  });

  it('gathers again in review without moving the request', () => {
    const r = publicRequest(se, 'se_public_document', [{ personId: main.child, role: 'listed' }]);
    move(se, r.id, 'review');
    const v = requestOf(se, r.id);
    expect(gatherAs(se.foi, r.id)).toEqual({ added: 1, changed: 0, gone: 0, total: 1 });
    expect(requestOf(se, r.id)).toEqual(v);
  });

  it('answers not_found for a request that does not exist', () => {
    const missing = randomUUID();
    expect(failed(se.foi.call('foi.gather', { requestId: missing })).code).toBe('not_found');
    expect(failed(se.foi.call('foi.items', { requestId: missing })).code).toBe('not_found');
  });

  it('names the input field requestId when the request does not exist', () => {
    const missing = randomUUID();
    expect(failed(se.foi.call('foi.gather', { requestId: missing }))).toMatchObject({ code: 'not_found', field: 'requestId' });
    expect(failed(se.foi.call('foi.items', { requestId: missing }))).toMatchObject({ code: 'not_found', field: 'requestId' });
  });

  it('refuses every account without foi.write / foi.read, writing nothing', () => {
    const r = publicRequest(se, 'se_public_document', [{ personId: main.child, role: 'listed' }]);
    const before = scalar(se, 'SELECT count(*) FROM foi_item');
    for (const c of [se.clerkAll, se.fee, se.prot]) {
      expect(failed(c.call('foi.gather', { requestId: r.id })).code).toBe('forbidden');
      expect(failed(c.call('foi.items', { requestId: r.id })).code).toBe('forbidden');
    }
    expect(scalar(se, 'SELECT count(*) FROM foi_item')).toBe(before);
    expect(requestOf(se, r.id)).toEqual({ status: 'registered', version: 1 });
    const denied = all<{ method: string; outcome: string }>(se, `SELECT method, outcome FROM audit_log WHERE action = 'denied' ORDER BY seq DESC LIMIT 6`).reverse();
    expect(denied).toEqual([...Array(3)].flatMap(() => [{ method: 'foi.gather', outcome: 'forbidden' }, { method: 'foi.items', outcome: 'forbidden' }]));
  });
});

// ---------- audit ----------

describe('foi.gather and foi.items: audit', () => {
  it("logs the persons and the counts of a gathering, never a value; a page's persons shown", () => {
    const r = publicRequest(se, 'se_public_document', [
      { personId: main.child, role: 'subject' },
      { personId: maria.child, role: 'listed' },
    ]);
    const got = gatherAs(se.foi, r.id);
    const g = lastAudit(se, 'foi.gather');
    expect([g.action, g.outcome, g.reason]).toEqual(['write', 'ok', null]);
    expect(JSON.parse(g.person_ids)).toEqual([main.child, maria.child].sort());
    expect(JSON.parse(g.details)).toEqual({ request: r.id, added: got.added, changed: 0, gone: 0 });
    const text = `${g.person_ids} ${g.details}`;
    for (const v of ['Gamla vägen 1', 'barnet@example.se', scalar<string>(se, 'SELECT street FROM person_address WHERE person_id = ?', maria.child), nameOf(se, main.child).split(', ')[0]!, '3500000']) {
      expect([v, text.includes(v)]).toEqual([v, false]);
    }

    // A page of the first person's items names that person only.
    const items = everyItem(se.foi, r.id);
    const a = lastAudit(se, 'foi.items');
    expect([a.action, a.outcome]).toEqual(['read', 'ok']);
    expect(JSON.parse(a.person_ids)).toEqual([main.child, maria.child].sort());
    expect(JSON.parse(a.details)).toEqual({ request: r.id, items: items.length });
    const firstPerson = items[0]!.person.id;
    itemsAs(se.foi, r.id, { limit: 1 });
    expect(JSON.parse(lastAudit(se, 'foi.items').person_ids)).toEqual([firstPerson]);
    expect(JSON.parse(lastAudit(se, 'foi.items').details)).toEqual({ request: r.id, items: 1 });
    itemsAs(se.foi, r.id, { category: 'income' });
    expect(JSON.parse(lastAudit(se, 'foi.items').person_ids)).toEqual([]);
  });
});

// ---------- the write path ----------

describe('foi.gather: the write path', () => {
  it('writes each item through the change log off the card history, in the request\'s aggregate, with the request\'s move', () => {
    const f = fams[0]!;
    const r = guardianRequest(se, f.guardians[0], f.child);
    const mutationId = randomUUID();
    const got = gatherAs(se.foi, r.id, mutationId);
    const log = all<Row>(se, 'SELECT entity, entity_id, op, version, person_id, related_person_id, actor, at FROM change_log WHERE mutation_id = ? ORDER BY seq', mutationId);
    expect(log.length).toBe(got.added + 1);
    const items = all<Row & { id: string }>(se, 'SELECT * FROM foi_item WHERE request_id = ?', r.id);
    expect(log.filter((l) => l.entity === 'foi_item').map((l) => l.entity_id).sort()).toEqual(items.map((i) => i.id).sort());
    for (const l of log) expect(l).toMatchObject({ op: l.entity === 'foi_request' ? 'update' : 'create', version: l.entity === 'foi_request' ? 2 : 1, person_id: null, related_person_id: null, actor: se.ids.foi, at: NOW });
    expect(log.filter((l) => l.entity === 'foi_request')).toEqual([{ entity: 'foi_request', entity_id: r.id, op: 'update', version: 2, person_id: null, related_person_id: null, actor: se.ids.foi, at: NOW }]);
    // Nothing on the child's card history.
    expect(scalar(se, `SELECT count(*) FROM change_log WHERE (person_id = ? OR related_person_id = ?) AND entity LIKE 'foi%'`, f.child, f.child)).toBe(0);
    for (const i of items) expect(aggregateOf('foi_item', i.id, i)).toBe(`foi:${r.id}`);
    // The change record holds the item's columns, never the record's values.
    const changes = scalar<string>(se, `SELECT group_concat(changes, ' ') FROM change_log WHERE mutation_id = ? AND entity = 'foi_item'`, mutationId);
    expect(changes.includes(r.id)).toBe(true);
    expect(changes.includes(scalar<string>(se, 'SELECT street FROM person_address WHERE person_id = ? ORDER BY valid_from DESC LIMIT 1', f.child))).toBe(false);
    // An update on gathering again (a changed record) is logged the same way.
    sql(se).prepare('UPDATE person_name SET preferred_name = ? WHERE person_id = ?').run('Smeknamn', f.child);
    const m2 = randomUUID();
    expect(gatherAs(se.foi, r.id, m2).changed).toBe(scalar(se, 'SELECT count(*) FROM person_name WHERE person_id = ?', f.child));
    const upd = all<Row>(se, 'SELECT entity, op, version, person_id FROM change_log WHERE mutation_id = ?', m2);
    expect(new Set(upd.map((u) => JSON.stringify(u)))).toEqual(new Set([JSON.stringify({ entity: 'foi_item', op: 'update', version: 2, person_id: null })]));
  });
});

// ---------- Norway ----------

describe('foi.gather in Norway', () => {
  let no: World;
  beforeAll(() => {
    no = openWorld('NO');
  }, 120_000);
  afterAll(() => no?.core.dispose());

  it("masks a protected child's whereabouts on offl. § 13 jf. fvl. § 13, and withholds in an innsyn request on the same ground", () => {
    const p = one<{ child: string; guardian: string }>(
      no,
      `SELECT g.child_id AS child, g.guardian_id AS guardian FROM guardianship g JOIN person c ON c.id = g.child_id
       WHERE c.protection <> 'none' AND g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_to IS NULL ORDER BY g.child_id, g.guardian_id LIMIT 1`,
    );
    expect(p.child).toMatch(/^[0-9a-f-]{36}$/);
    const NO_GROUND = { outcome: 'mask', ground: 'no_offl_13_fvl_13' };
    const r = guardianRequest(no, p.guardian, p.child);
    gatherAs(no.foi, r.id);
    const items = everyItem(no.foi, r.id);
    expect(items.map(keyOf).sort()).toEqual(heldAbout(no, p.child, p.guardian).map(keyOf).sort());
    const addr = items.filter((i) => i.category === 'address');
    expect(addr.length).toBe(scalar(no, 'SELECT count(*) FROM person_address WHERE person_id = ?', p.child));
    expect(addr.length).toBeGreaterThan(0);
    for (const i of addr) expect(i.proposal).toEqual(NO_GROUND);
    for (const i of items.filter((x) => x.category === 'household' || x.category === 'guardianship')) expect([i.category, i.proposal]).toEqual([i.category, NO_GROUND]);
    expect(items.find((i) => i.category === 'identity')!.proposal).toEqual(DISCLOSE);

    // An innsyn request: the protected child listed, an unprotected child as subject.
    const plain = one<{ id: string }>(no, `SELECT c.id FROM person c WHERE c.is_child = 1 AND c.protection = 'none' AND c.shielded = 0 AND EXISTS (SELECT 1 FROM enrolment WHERE pupil_id = c.id AND deleted_at IS NULL) ORDER BY c.id LIMIT 1`).id;
    const pub = publicRequest(no, 'no_innsyn', [
      { personId: p.child, role: 'listed' },
      { personId: plain, role: 'subject' },
    ]);
    gatherAs(no.foi, pub.id);
    const got = everyItem(no.foi, pub.id);
    expect(got.filter((i) => i.person.id === p.child).map((i) => [i.category, i.proposal])).toEqual([['identity', { outcome: 'withhold', ground: 'no_offl_13_fvl_13' }]]);
    const careCats = ['placement', 'enrolment', 'membership', 'guardianship', 'household'];
    const care = got.filter((i) => i.person.id === plain && careCats.includes(i.category));
    expect(care.map(keyOf).sort()).toEqual(heldAbout(no, plain, null).filter((x) => careCats.includes(x.category)).map(keyOf).sort());
    expect(countBy(care)).toMatchObject({ enrolment: expect.any(Number) as number, guardianship: expect.any(Number) as number, household: expect.any(Number) as number });
    for (const i of care) expect([i.category, i.proposal]).toEqual([i.category, { outcome: 'withhold', ground: 'no_offl_13_fvl_13' }]);
    for (const i of got.filter((x) => x.person.id === plain && ['identity', 'name', 'address', 'contact'].includes(x.category))) expect([i.category, i.proposal]).toEqual([i.category, DISCLOSE]);
    expect(PROTECTED_GROUND.NO).toBe('no_offl_13_fvl_13');
  });
});
