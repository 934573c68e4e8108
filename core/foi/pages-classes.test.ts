/**
 * A class's pupils on a request (foi.requestGroupAdd) and a gathered document's page for the review
 * (foi.documentPage), on a real core over a demo register (docs/foi.md "Requests", "Review"): who a class
 * adds on a day, what the answer counts (protected pupils by number only), the refusals by name, the audit,
 * the gathering that follows (a protected pupil's identity withheld on OSL 21:3); a page rendered as it is
 * (no mask burnt: the officer sees what a region covers), its count and size, a page beyond the document,
 * a protected person's document only with protected.reveal and a logged reason.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { aggregateOf } from '../sync/records';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

type ApiErr = Extract<CallResult, { ok: false }>['error'];
type Row = Record<string, unknown>;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
const failed = (r: CallResult): ApiErr => {
  if (r.ok) throw new Error(`unexpectedly succeeded: ${JSON.stringify(r.data).slice(0, 300)}`);
  return r.error;
};
const NOW = `${TEST_TODAY}T12:00:00.000Z`;

let core: TestCore;
let foi: Connection;
let clerk: Connection;
const sql = () => core.db.sqlite;
const one = <T = Row>(q: string, ...p: unknown[]) => sql().prepare(q).get(...p) as T;
const pluck = <T = string>(q: string, ...p: unknown[]) => sql().prepare(q).pluck().all(...p) as T[];
const lastAudit = (method: string) =>
  one<{ action: string; outcome: string; person_ids: string; details: string; reason: string | null }>(`SELECT action, outcome, person_ids, details, reason FROM audit_log WHERE method = ? ORDER BY seq DESC LIMIT 1`, method);

function signIn(username: string): Connection {
  const c = core.connect(`foi-pages-${username}`);
  data(c.call('auth.signIn', { username, password: DEMO_PASSWORD }));
  expect([username, c.session.state]).toEqual([username, 'signed_in']);
  return c;
}

const publicRequest = (persons: { personId: string; role: 'listed' | 'subject' | 'other' }[] = []) =>
  data<MethodOutput<'foi.requestCreate'>>(
    foi.call('foi.requestCreate', { kind: 'se_public_document', receivedOn: TEST_TODAY, channel: 'email', language: 'sv', askedFor: 'Klasslista', requesterKind: 'anonymous', persons }),
  );

/** A class's members on a day, as SQL finds them. */
const membersOn = (group: string, on: string) =>
  pluck(
    `SELECT DISTINCT m.person_id FROM group_membership m JOIN person p ON p.id = m.person_id
     WHERE m.group_id = ? AND m.deleted_at IS NULL AND p.deleted_at IS NULL AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?) ORDER BY m.person_id`,
    group,
    on,
    on,
  );

let klass: string;
let protectedPupil: string;
let shieldedPupil: string;

beforeAll(() => {
  core = makeTestCore({ persons: 300 });
  foi = signIn('foi');
  clerk = signIn('clerk.all');
  // The class with the most pupils today; one of them protected (set here when the demo protected none).
  klass = one<{ id: string }>(
    `SELECT g.id FROM school_group g JOIN group_membership m ON m.group_id = g.id
     WHERE g.kind = 'class' AND g.deleted_at IS NULL AND m.deleted_at IS NULL AND m.valid_from <= @d AND (m.valid_to IS NULL OR m.valid_to >= @d)
     GROUP BY g.id ORDER BY count(*) DESC, g.id LIMIT 1`,
    { d: TEST_TODAY } as unknown as string,
  ).id;
  const members = membersOn(klass, TEST_TODAY);
  expect(members.length).toBeGreaterThan(3);
  protectedPupil = pluck(`SELECT id FROM person WHERE id IN (${members.map(() => '?').join(',')}) AND protection <> 'none' ORDER BY id`, ...members)[0] ?? members[1]!;
  sql().prepare(`UPDATE person SET protection = 'se_sekretessmarkering', shielded = 1 WHERE id = ?`).run(protectedPupil);
  // A pupil shielded only through a relative: their whereabouts are masked, their identity is not withheld.
  shieldedPupil = members.find((m) => m !== protectedPupil && one<{ protection: string }>('SELECT protection FROM person WHERE id = ?', m).protection === 'none')!;
  sql().prepare(`UPDATE person SET shielded = 1 WHERE id = ?`).run(shieldedPupil);
}, 120_000);
afterAll(() => core?.dispose());

describe('foi.requestGroupAdd', () => {
  it("adds the class's pupils on the request's day as listed persons, counting the protected ones without naming them", () => {
    const r = publicRequest();
    const members = membersOn(klass, TEST_TODAY);
    const protectedCount = pluck(`SELECT id FROM person WHERE id IN (${members.map(() => '?').join(',')}) AND protection <> 'none'`, ...members).length;
    // The shielded-only pupil is not counted: the gathering discloses their identity.
    expect(pluck(`SELECT id FROM person WHERE id IN (${members.map(() => '?').join(',')}) AND (protection <> 'none' OR shielded = 1)`, ...members).length).toBe(protectedCount + 1);
    expect(protectedCount).toBeGreaterThanOrEqual(1);
    const got = data<MethodOutput<'foi.requestGroupAdd'>>(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }));
    expect(got).toEqual({ added: members.length, already: 0, protected: protectedCount });
    expect(pluck(`SELECT person_id FROM foi_request_person WHERE request_id = ? AND deleted_at IS NULL AND role = 'listed' ORDER BY person_id`, r.id)).toEqual(members);
    // Again: nothing added twice.
    expect(data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }))).toEqual({ added: 0, already: members.length, protected: protectedCount });
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM foi_request_person WHERE request_id = ? AND deleted_at IS NULL`, r.id).n).toBe(members.length);
    // The write path: the links are the request's aggregate's records, off every card.
    const links = sql().prepare(`SELECT * FROM foi_request_person WHERE request_id = ?`).all(r.id) as Row[];
    expect([...new Set(links.map((l) => aggregateOf('foi_request_person', String(l.id), l)))]).toEqual([`foi:${r.id}`]);
    const logged = sql().prepare(`SELECT count(*) AS n, sum(person_id IS NOT NULL OR related_person_id IS NOT NULL) AS onCards FROM change_log WHERE entity = 'foi_request_person' AND entity_id IN (SELECT id FROM foi_request_person WHERE request_id = ?)`).get(r.id) as { n: number; onCards: number };
    expect(logged).toEqual({ n: members.length, onCards: 0 });
  });

  it('keeps a person already concerned as they were (their role too) and counts them as already there', () => {
    const members = membersOn(klass, TEST_TODAY);
    const r = publicRequest([{ personId: members[0]!, role: 'other' }]);
    expect(data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }))).toMatchObject({ added: members.length - 1, already: 1 });
    expect(one<{ role: string }>(`SELECT role FROM foi_request_person WHERE request_id = ? AND person_id = ?`, r.id, members[0]).role).toBe('other');
  });

  it('takes the members on the day asked: a pupil who left before it is not added, one who joined after it neither', () => {
    const members = membersOn(klass, TEST_TODAY);
    const [left, joined] = [members[0]!, members[2]!];
    const save = sql().prepare(`SELECT id, valid_from, valid_to FROM group_membership WHERE group_id = ? AND person_id IN (?, ?)`).all(klass, left, joined) as { id: string; valid_from: string; valid_to: string | null }[];
    expect(save.length).toBeGreaterThanOrEqual(2);
    sql().prepare(`UPDATE group_membership SET valid_to = '2026-09-30' WHERE group_id = ? AND person_id = ? AND deleted_at IS NULL`).run(klass, left);
    sql().prepare(`UPDATE group_membership SET valid_from = '2026-11-01' WHERE group_id = ? AND person_id = ? AND deleted_at IS NULL`).run(klass, joined);
    try {
      const r = publicRequest();
      data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass, on: '2026-10-15' }));
      const added = pluck(`SELECT person_id FROM foi_request_person WHERE request_id = ? ORDER BY person_id`, r.id);
      expect(added).toEqual(membersOn(klass, '2026-10-15'));
      expect(added).not.toContain(left);
      expect(added).not.toContain(joined);
      // Default: the request's received day, when both count as members again (today's list).
      const today = publicRequest();
      data(foi.call('foi.requestGroupAdd', { requestId: today.id, groupId: klass }));
      expect(pluck(`SELECT person_id FROM foi_request_person WHERE request_id = ? ORDER BY person_id`, today.id)).toContain(joined);
    } finally {
      for (const m of save) {
        sql().prepare('UPDATE group_membership SET valid_from = ?, valid_to = ? WHERE id = ?').run(m.valid_from, m.valid_to, m.id);
      }
    }
  });

  it('refuses by name: a subject-access request, a class without members that day, an unknown class, a finished request, a clerk', () => {
    const child = membersOn(klass, TEST_TODAY).find((p) => p !== protectedPupil)!;
    const gdpr = data<MethodOutput<'foi.requestCreate'>>(
      foi.call('foi.requestCreate', { kind: 'gdpr_access', receivedOn: TEST_TODAY, channel: 'letter', language: 'sv', askedFor: 'Allt om mig', requesterKind: 'subject', requesterPersonId: child, persons: [{ personId: child, role: 'subject' }] }),
    );
    expect(failed(foi.call('foi.requestGroupAdd', { requestId: gdpr.id, groupId: klass }))).toMatchObject({ code: 'rule_violation', rule: 'foi_group_kind', field: 'groupId' });
    const r = publicRequest();
    expect(failed(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass, on: '1990-01-01' }))).toMatchObject({ code: 'rule_violation', rule: 'foi_group_empty', field: 'on' });
    expect(failed(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'groupId' });
    expect(failed(foi.call('foi.requestGroupAdd', { requestId: randomUUID(), groupId: klass }))).toMatchObject({ code: 'not_found', field: 'requestId' });
    expect(failed(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass, on: '2026-13-01' })).code).toBe('validation');
    const withdrawn = publicRequest();
    data(foi.call('foi.requestMove', { id: withdrawn.id, version: withdrawn.version, to: 'withdrawn', reason: 'Återkallad av den som frågade' }));
    expect(failed(foi.call('foi.requestGroupAdd', { requestId: withdrawn.id, groupId: klass }))).toMatchObject({ code: 'rule_violation', rule: 'foi_finished' });
    expect(failed(clerk.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass })).code).toBe('forbidden');
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM foi_request_person WHERE request_id IN (?, ?)`, r.id, withdrawn.id).n).toBe(0);
  });

  it('logs the pupils, the class and the count, never a name', () => {
    const r = publicRequest();
    data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }));
    const a = lastAudit('foi.requestGroupAdd');
    expect([a.action, a.outcome]).toEqual(['write', 'ok']);
    expect(JSON.parse(a.person_ids)).toEqual(membersOn(klass, TEST_TODAY));
    expect(JSON.parse(a.details)).toEqual({ request: r.id, group: klass, on: TEST_TODAY, added: membersOn(klass, TEST_TODAY).length });
    const p = one<{ given_name: string; family_name: string }>('SELECT given_name, family_name FROM person WHERE id = ?', protectedPupil);
    expect(`${a.person_ids} ${a.details}`).not.toContain(p.family_name);
  });

  it("gathers the class list: each pupil's identity, the protected pupil's withheld on OSL 21:3 and unnamed to the officer", () => {
    const r = publicRequest();
    data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }));
    data(foi.call('foi.gather', { requestId: r.id }));
    const items = data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: r.id, category: 'identity', limit: 500 })).items;
    expect(items.map((i) => i.person.id).sort()).toEqual(membersOn(klass, TEST_TODAY));
    const prot = items.find((i) => i.person.id === protectedPupil)!;
    expect(prot.proposal).toEqual({ outcome: 'withhold', ground: 'se_osl_21_3' });
    expect(prot.person.name).toBeNull();
    expect(prot.fields.every((f) => f.value === null && f.withheld)).toBe(true);
    for (const i of items.filter((x) => x.person.id !== protectedPupil && !x.person.protected)) expect(i.proposal.outcome).toBe('disclose');
    expect(items.find((i) => i.person.id === shieldedPupil)!.proposal.outcome).toBe('disclose');
    // The officer cannot name the protected pupil: listed after the named ones, not in their alphabetical place.
    const named = items.filter((i) => i.person.name !== null);
    expect(items.slice(0, named.length)).toEqual(named);
    expect(items.at(-1)!.person.id).toBe(protectedPupil);
    const view = data<MethodOutput<'foi.request'>>(foi.call('foi.request', { id: r.id }));
    expect(view.persons.at(-1)!.id).toBe(protectedPupil);
    expect(view.links.at(-1)!.person.id).toBe(protectedPupil);
    expect(view.persons.slice(0, -1).every((p) => p.name !== null)).toBe(true);
  });

  it('a proposal names its ground only while the table has it in force: an ended ground leaves the choice to the officer', () => {
    const before = data<MethodOutput<'foi.grounds'>>(foi.call('foi.grounds', {}));
    const ended = before.grounds.map((g) => (g.code === 'se_osl_21_3' ? { ...g, validTo: '2026-11-01' } : g));
    const stored = data<MethodOutput<'foi.groundsUpdate'>>(foi.call('foi.groundsUpdate', { grounds: ended, version: before.version }));
    try {
      const r = publicRequest();
      data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }));
      data(foi.call('foi.gather', { requestId: r.id }));
      const items = data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: r.id, category: 'identity', limit: 500 })).items;
      expect(items.find((i) => i.person.id === protectedPupil)!.proposal).toEqual({ outcome: 'withhold', ground: null });
      data(foi.call('foi.requestMove', { id: r.id, version: data<{ version: number }>(foi.call('foi.request', { id: r.id })).version, to: 'review' }));
      const accepted = data<MethodOutput<'foi.reviewAccept'>>(foi.call('foi.reviewAccept', { requestId: r.id, items: items.map((i) => ({ id: i.id, version: i.version })) }));
      expect(accepted.skipped).toEqual([{ id: items.find((i) => i.person.id === protectedPupil)!.id, why: 'ground' }]);
    } finally {
      data(foi.call('foi.groundsUpdate', { grounds: before.grounds, version: stored.version }));
    }
  });

  it("the extract lists the class by name and the protected pupil after them as 'Person 1', not in their alphabetical place", async () => {
    const r = publicRequest();
    data(foi.call('foi.requestGroupAdd', { requestId: r.id, groupId: klass }));
    data(foi.call('foi.gather', { requestId: r.id }));
    data(foi.call('foi.requestMove', { id: r.id, version: data<{ version: number }>(foi.call('foi.request', { id: r.id })).version, to: 'review' }));
    const items = data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: r.id, limit: 500 })).items;
    expect(data<MethodOutput<'foi.reviewAccept'>>(foi.call('foi.reviewAccept', { requestId: r.id, items: items.map((i) => ({ id: i.id, version: i.version })) })).skipped).toEqual([]);
    const out = data<MethodOutput<'foi.extract'>>(await foi.callAsync('foi.extract', { requestId: r.id }));
    const path = core.services.files.pathOf(core.services.files.get(out.file.fileId, foi.session.actor!.id));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
    // Not their name (a classmate may share the surname: the whole name is looked for) nor their number.
    const p = one<{ given_name: string; family_name: string; id_canonical: string }>('SELECT given_name, family_name, id_canonical FROM person WHERE id = ?', protectedPupil);
    expect(text).not.toContain(`${p.family_name}, ${p.given_name}`);
    for (const n of [p.id_canonical, `${p.id_canonical.slice(0, 8)}-${p.id_canonical.slice(8)}`, `${p.id_canonical.slice(2, 8)}-${p.id_canonical.slice(8)}`]) expect(text).not.toContain(n);
    // Every named pupil comes before "Person 1"; the protected pupil is not between two of them.
    const others = membersOn(klass, TEST_TODAY).filter((m) => m !== protectedPupil);
    const hidden = text.indexOf('Person 1 (identiteten undantagen');
    expect(hidden).toBeGreaterThan(0);
    for (const m of others) {
      const o = one<{ given_name: string; family_name: string }>('SELECT given_name, family_name FROM person WHERE id = ?', m);
      const at = text.indexOf(`${o.family_name}, ${o.given_name}`);
      expect([m, at >= 0 && at < hidden]).toEqual([m, true]);
    }
  });
});

// ---------- a gathered document's page ----------

/** A PDF of `pages` A4 pages, each white with a black bar at its top left (to tell a burnt mask from the page). */
async function pdf(pages: number): Promise<Buffer> {
  const { PDFDocument, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  for (let n = 0; n < pages; n++) doc.addPage([595, 842]).drawRectangle({ x: 40, y: 760, width: 120, height: 40, color: rgb(0, 0, 0) });
  return Buffer.from(await doc.save());
}

async function attach(personId: string, bytes: Buffer, name: string): Promise<string> {
  const file = await core.services.files.receive({ kind: 'document', ownerId: clerk.session.actor!.id, name, source: Readable.from([bytes]) });
  const r = await clerk.callAsync('document.add', { personId, fileId: file.id, title: 'Beslut', kind: 'decision', documentDate: '2026-11-02', classification: 'open', classificationGround: null, retentionClass: 'years_5' });
  return data<{ id: string }>(r).id;
}

/** The item a subject-access request for `person` gathers for the document. */
async function documentItem(person: string, documentId: string): Promise<MethodOutput<'foi.items'>['items'][number]> {
  const r = data<MethodOutput<'foi.requestCreate'>>(
    foi.call('foi.requestCreate', { kind: 'gdpr_access', receivedOn: TEST_TODAY, channel: 'letter', language: 'sv', askedFor: 'Allt om mig', requesterKind: 'subject', requesterPersonId: person, persons: [{ personId: person, role: 'subject' }] }),
  );
  data(foi.call('foi.gather', { requestId: r.id }));
  return data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: r.id, category: 'document', limit: 500 })).items.find((i) => i.recordId === documentId)!;
}

const pixel = async (image: string, x: number, y: number) => {
  const img = await loadImage(Buffer.from(image.slice(image.indexOf(',') + 1), 'base64'));
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return [...g.getImageData(Math.floor(x * img.width), Math.floor(y * img.height), 1, 1).data.slice(0, 3)];
};

describe('foi.documentPage', () => {
  let person: string;
  let item: MethodOutput<'foi.items'>['items'][number];
  beforeAll(async () => {
    person = one<{ id: string }>(`SELECT id FROM person WHERE is_child = 1 AND protection = 'none' AND shielded = 0 AND deleted_at IS NULL ORDER BY id LIMIT 1 OFFSET 7`).id;
    item = await documentItem(person, await attach(person, await pdf(3), 'beslut.pdf'));
  });

  it('renders a page as it is, at about 100 dpi, with the document\'s page count; a reviewed region is not burnt into it', async () => {
    const p2 = data<MethodOutput<'foi.documentPage'>>(await foi.callAsync('foi.documentPage', { itemId: item.id, page: 2 }));
    expect({ page: p2.page, pages: p2.pages, width: p2.width, height: p2.height }).toEqual({ page: 2, pages: 3, width: 827, height: 1170 });
    expect(p2.image.startsWith('data:image/jpeg;base64,')).toBe(true);
    // The bar drawn at the top left is on the page; the page's middle is white.
    expect((await pixel(p2.image, 0.15, 0.08)).every((v) => v < 60)).toBe(true);
    expect((await pixel(p2.image, 0.5, 0.5)).every((v) => v > 200)).toBe(true);
    // A region reviewed over the page's middle: the page shown to the officer still shows what is under it.
    data(foi.call('foi.review', { id: item.id, version: item.version, outcome: 'mask', ground: 'se_osl_21_3', reason: 'Test', regions: [{ page: 2, x: 0.4, y: 0.4, w: 0.2, h: 0.2, ground: null }] }));
    const again = data<MethodOutput<'foi.documentPage'>>(await foi.callAsync('foi.documentPage', { itemId: item.id, page: 2 }));
    expect((await pixel(again.image, 0.5, 0.5)).every((v) => v > 200)).toBe(true);
  });

  it('renders an image document as its one page', async () => {
    const c = createCanvas(400, 300);
    const g = c.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 400, 300);
    const imageItem = await documentItem(person, await attach(person, c.toBuffer('image/png'), 'skanning.png'));
    const p = data<MethodOutput<'foi.documentPage'>>(await foi.callAsync('foi.documentPage', { itemId: imageItem.id, page: 1 }));
    expect({ pages: p.pages, width: p.width, height: p.height }).toEqual({ pages: 1, width: 400, height: 300 });
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: imageItem.id, page: 2 }))).toMatchObject({ code: 'rule_violation', rule: 'foi_region_page', field: 'page', details: { pages: 1 } });
  });

  it('refuses a page beyond the document, an item that is no document, an unknown item and a clerk', async () => {
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: item.id, page: 4 }))).toMatchObject({ code: 'rule_violation', rule: 'foi_region_page', field: 'page', details: { pages: 3 } });
    const identity = one<{ id: string }>(`SELECT id FROM foi_item WHERE request_id = (SELECT request_id FROM foi_item WHERE id = ?) AND category = 'identity'`, item.id).id;
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: identity, page: 1 }))).toMatchObject({ code: 'rule_violation', rule: 'foi_not_document', field: 'itemId' });
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: randomUUID(), page: 1 }))).toMatchObject({ code: 'not_found', field: 'id' });
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: item.id, page: 0 })).code).toBe('validation');
    expect(failed(await clerk.callAsync('foi.documentPage', { itemId: item.id, page: 1 })).code).toBe('forbidden');
  });

  it('logs the person, the request, the item and the page', async () => {
    data(await foi.callAsync('foi.documentPage', { itemId: item.id, page: 3 }));
    const a = lastAudit('foi.documentPage');
    expect([a.action, a.outcome, a.reason]).toEqual(['read', 'ok', null]);
    expect(JSON.parse(a.person_ids)).toEqual([person]);
    expect(JSON.parse(a.details)).toEqual({ request: one<{ request_id: string }>('SELECT request_id FROM foi_item WHERE id = ?', item.id).request_id, item: item.id, page: 3 });
  });

  it("shows a protected person's document only with protected.reveal and a reason, logged as a reveal", async () => {
    const protItem = await documentItem(protectedPupil, await attach(protectedPupil, await pdf(1), 'brev.pdf'));
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: protItem.id, page: 1 }))).toMatchObject({ code: 'forbidden', field: 'itemId' });
    expect(failed(await foi.callAsync('foi.documentPage', { itemId: protItem.id, page: 1, reason: 'Sekretessprövning av beslutet' })).code).toBe('forbidden');
    const foiId = foi.session.actor!.id;
    const role = randomUUID();
    sql()
      .prepare(`INSERT INTO role_assignment (id, version, created_at, created_by, updated_at, updated_by, user_id, role, unit_id, deleted_at) VALUES (?, 1, ?, ?, ?, ?, ?, 'protected_handler', NULL, NULL)`)
      .run(role, NOW, foiId, NOW, foiId, foiId);
    sql().prepare('UPDATE user_account SET version = version + 1 WHERE id = ?').run(foiId);
    try {
      const revealing = signIn('foi');
      expect(failed(await revealing.callAsync('foi.documentPage', { itemId: protItem.id, page: 1 }))).toMatchObject({ code: 'validation', field: 'reason' });
      const shown = data<MethodOutput<'foi.documentPage'>>(await revealing.callAsync('foi.documentPage', { itemId: protItem.id, page: 1, reason: 'Sekretessprövning av beslutet' }));
      expect(shown.pages).toBe(1);
      const a = lastAudit('foi.documentPage');
      expect([a.action, a.reason, JSON.parse(a.person_ids)]).toEqual(['reveal', 'Sekretessprövning av beslutet', [protectedPupil]]);
    } finally {
      sql().prepare('UPDATE role_assignment SET deleted_at = ? WHERE id = ?').run(NOW, role);
      sql().prepare('UPDATE user_account SET version = version + 1 WHERE id = ?').run(foiId);
    }
  });
});
