/**
 * The secrecy review (core/foi/review.ts; foi.review, foi.reviewAccept, foi.grounds, foi.groundsUpdate) on a
 * real core: each rule by name, the protected-identity reveal (refused without protected.reveal, logged as a
 * reveal with its reason with it), Norway's merinnsyn, the table of grounds, and the request's move to its
 * decision only once every item is reviewed on its record as it is now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEFAULT_FOI_GROUNDS } from '../../shared/domain/foi';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

type Items = MethodOutput<'foi.items'>;
type Item = Items['items'][number];
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
const failed = (r: CallResult) => {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.data).slice(0, 200)}`);
  return r.error as { code: string; field?: string; rule?: string; details?: Record<string, unknown> };
};

function signIn(core: TestCore, username: string, tag = username): Connection {
  const c = core.connect(`foi-review-${tag}`);
  data(c.call('auth.signIn', { username, password: DEMO_PASSWORD }));
  return c;
}

/** A GDPR request by a guardian (custody from the register) for their child, gathered. */
function gatheredFor(core: TestCore, c: Connection, child: string, guardian: string): string {
  const { id } = data<{ id: string }>(
    c.call('foi.requestCreate', {
      kind: 'gdpr_access',
      receivedOn: TEST_TODAY,
      channel: 'counter',
      requesterKind: 'guardian',
      requesterPersonId: guardian,
      identityVerified: 'register_custody',
      language: 'sv',
      askedFor: 'Allt om mitt barn',
      persons: [{ personId: child, role: 'subject' }],
    }),
  );
  data(c.call('foi.gather', { requestId: id }));
  return id;
}

const itemsOf = (c: Connection, requestId: string) => data<Items>(c.call('foi.items', { requestId, limit: 500 })).items;

function familyOf(core: TestCore, protectedChild: boolean): { child: string; guardian: string } {
  return core.db.sqlite
    .prepare(
      `SELECT g.child_id AS child, g.guardian_id AS guardian FROM guardianship g JOIN person c ON c.id = g.child_id
       WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_from <= ? AND (g.valid_to IS NULL OR g.valid_to >= ?)
         AND ${protectedChild ? "c.protection <> 'none'" : "c.protection = 'none' AND c.shielded = 0"}
         AND EXISTS (SELECT 1 FROM person_address a WHERE a.person_id = c.id)
       ORDER BY c.id LIMIT 1`,
    )
    .get(TEST_TODAY, TEST_TODAY) as { child: string; guardian: string };
}

describe('the review in a Swedish register', () => {
  let core: TestCore;
  let foi: Connection;
  let revealer: Connection;
  let request: string;
  let protectedRequest: string;

  beforeAll(() => {
    core = makeTestCore({ persons: 400, seed: 37 });
    foi = signIn(core, 'foi');
    // An FOI officer who may also open protected details (a second role, as a municipality would grant it).
    const other = core.db.sqlite.prepare(`SELECT id FROM user_account WHERE username = 'protected'`).pluck().get() as string;
    core.db.sqlite
      .prepare(`INSERT INTO role_assignment (id, user_id, role, unit_id, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'foi_officer', NULL, 'x', 'test', 'x', 'test')`)
      .run(crypto.randomUUID(), other);
    revealer = signIn(core, 'protected', 'revealer');
    const plain = familyOf(core, false);
    request = gatheredFor(core, foi, plain.child, plain.guardian);
    const prot = familyOf(core, true);
    protectedRequest = gatheredFor(core, foi, prot.child, prot.guardian);
  });
  afterAll(() => core.dispose());

  it('masks an item on a ground, records who and when, and lists the review with the item', () => {
    const address = itemsOf(foi, request).find((i) => i.category === 'address')!;
    expect(address.review).toBeNull();
    const r = data<{ id: string; version: number }>(foi.call('foi.review', { id: address.id, version: address.version, outcome: 'mask', ground: 'se_osl_23_2', reason: 'Elevens förhållanden' }));
    expect(r).toEqual({ id: address.id, version: address.version + 1 });
    const after = itemsOf(foi, request).find((i) => i.id === address.id)!;
    expect(after.review).toEqual({
      outcome: 'mask',
      ground: 'se_osl_23_2',
      fields: {},
      regions: [],
      reason: 'Elevens förhållanden',
      merinnsyn: null,
      reviewedByName: 'Fia Insyn (demo)',
      reviewedAt: `${TEST_TODAY}T12:00:00.000Z`,
      stale: false,
    });
  });

  it('refuses each rule by name', () => {
    const items = itemsOf(foi, request);
    // An item with a from-day (the field masked on its own below): a placement, an enrolment, an address…
    const it0 = items.find((i) => i.category === 'placement' || i.category === 'enrolment') ?? items.find((i) => i.fields.some((f) => f.name === 'valid_from'))!;
    const v = it0.version;
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'withhold' }))).toMatchObject({ rule: 'foi_ground_required', field: 'ground' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask' }))).toMatchObject({ rule: 'foi_ground_required', field: 'ground' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask', ground: 'no_offl_13_fvl_13' }))).toMatchObject({ rule: 'foi_ground_invalid', field: 'ground' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask', ground: 'made_up' }))).toMatchObject({ rule: 'foi_ground_invalid' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'disclose', ground: 'se_osl_23_2' }))).toMatchObject({ code: 'validation', field: 'ground' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'disclose', fields: { valid_from: { outcome: 'mask', ground: null } } }))).toMatchObject({ code: 'validation', field: 'fields' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask', fields: { no_such_field: { outcome: 'mask', ground: 'se_osl_23_2' } } }))).toMatchObject({ code: 'validation', field: 'fields.no_such_field' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask', fields: { valid_from: { outcome: 'mask', ground: null } } }))).toMatchObject({ rule: 'foi_ground_required', field: 'fields.valid_from.ground' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask', ground: 'se_osl_23_2', merinnsyn: 'assessed_withheld' }))).toMatchObject({ code: 'validation', field: 'merinnsyn' });
    expect(failed(foi.call('foi.review', { id: it0.id, version: v + 5, outcome: 'disclose' }))).toMatchObject({ code: 'conflict' });
    // A field masked on its own, on the item's ground.
    expect(data<{ version: number }>(foi.call('foi.review', { id: it0.id, version: v, outcome: 'mask', ground: 'se_osl_23_2', fields: { valid_from: { outcome: 'mask', ground: null } } })).version).toBe(v + 1);
  });

  it('a protected child\'s address: the officer without protected.reveal may not disclose it; one with it must say why, logged as a reveal', () => {
    const address = itemsOf(foi, protectedRequest).find((i) => i.category === 'address')!;
    expect(address.guarded).toBe(true);
    expect(address.proposal).toEqual({ outcome: 'mask', ground: 'se_osl_21_3' });
    expect(address.fields.every((f) => f.value === null && f.withheld)).toBe(true);
    expect(failed(foi.call('foi.review', { id: address.id, version: address.version, outcome: 'disclose', revealReason: 'Vårdnadshavaren bor på adressen' }))).toMatchObject({ code: 'forbidden' });
    expect(failed(revealer.call('foi.review', { id: address.id, version: address.version, outcome: 'disclose' }))).toMatchObject({ rule: 'foi_reveal_reason', field: 'revealReason' });
    data(revealer.call('foi.review', { id: address.id, version: address.version, outcome: 'disclose', revealReason: 'Vårdnadshavaren bor på adressen' }));
    const entry = core.db.sqlite.prepare(`SELECT action, reason, details FROM audit_log WHERE method = 'foi.review' ORDER BY seq DESC LIMIT 1`).get() as { action: string; reason: string; details: string };
    expect(entry).toMatchObject({ action: 'reveal', reason: 'Vårdnadshavaren bor på adressen' });
    // Masking it needs no reveal.
    const contact = itemsOf(foi, protectedRequest).find((i) => i.category === 'contact');
    if (contact) data(foi.call('foi.review', { id: contact.id, version: contact.version, outcome: 'mask', ground: 'se_osl_21_3' }));
  });

  it('takes the whole list\'s proposals, skipping what needs the officer (a reveal, a ground), and the decision waits for a complete review', () => {
    const items = itemsOf(foi, protectedRequest);
    const r = data<MethodOutput<'foi.reviewAccept'>>(foi.call('foi.reviewAccept', { requestId: protectedRequest, items: items.map((i) => ({ id: i.id, version: i.version })) }));
    const needsReveal = items.filter((i) => i.guarded && i.proposal.outcome === 'disclose' && i.review === null);
    expect(r.skipped.filter((s) => s.why === 'reveal').map((s) => s.id).sort()).toEqual(needsReveal.map((i) => i.id).sort());
    expect(r.accepted + r.skipped.length).toBe(items.length);
    // The address the officer with protected.reveal disclosed keeps that review.
    const address = items.find((i) => i.category === 'address')!;
    expect(r.skipped).toContainEqual({ id: address.id, why: 'reviewed' });
    const open = () => itemsOf(foi, protectedRequest).filter((i) => i.review === null);
    data(foi.call('foi.requestMove', { id: protectedRequest, version: data<{ version: number }>(foi.call('foi.request', { id: protectedRequest })).version, to: 'review' }));
    const version = () => data<{ version: number }>(foi.call('foi.request', { id: protectedRequest })).version;
    // The protected child's own identity is among them (disclosing it would need a reveal).
    expect(needsReveal.length).toBeGreaterThan(0);
    expect(open().length).toBe(needsReveal.length);
    expect(failed(foi.call('foi.requestMove', { id: protectedRequest, version: version(), to: 'decision' }))).toMatchObject({ rule: 'foi_review_incomplete', details: { unreviewed: open().length, stale: 0 } });
    for (const i of open()) data(foi.call('foi.review', { id: i.id, version: i.version, outcome: 'withhold', ground: 'gdpr_15_4' }));
    // A record changed after its review: reviewed again before the decision.
    const identity = itemsOf(foi, protectedRequest).find((i) => i.category === 'identity')!;
    core.db.sqlite.prepare(`UPDATE person SET mother_tongue = 'fi', version = version + 1 WHERE id = ?`).run(identity.recordId);
    expect(itemsOf(foi, protectedRequest).find((i) => i.id === identity.id)!.review!.stale).toBe(true);
    expect(failed(foi.call('foi.requestMove', { id: protectedRequest, version: version(), to: 'decision' }))).toMatchObject({ rule: 'foi_review_incomplete', details: { unreviewed: 0, stale: 1 } });
    const again = itemsOf(foi, protectedRequest).find((i) => i.id === identity.id)!;
    data(foi.call('foi.review', { id: again.id, version: again.version, outcome: 'withhold', ground: 'se_osl_21_3' }));
    expect(data<{ version: number }>(foi.call('foi.requestMove', { id: protectedRequest, version: version(), to: 'decision' })).version).toBeGreaterThan(1);
    // Decided: no more reviewing.
    const item = itemsOf(foi, protectedRequest)[0]!;
    expect(failed(foi.call('foi.review', { id: item.id, version: item.version, outcome: 'withhold', ground: 'se_osl_21_3' }))).toMatchObject({ rule: 'foi_move' });
  });

  it('the grounds table: the shipped defaults, stored with a version, a used ground not removed, codes once, dates in order', () => {
    const g = data<MethodOutput<'foi.grounds'>>(foi.call('foi.grounds', {}));
    expect(g.defaults).toBe(true);
    expect(g.grounds.map((x) => x.code)).toEqual(DEFAULT_FOI_GROUNDS.map((x) => x.code));
    const without = g.grounds.filter((x) => x.code !== 'se_osl_21_3');
    expect(failed(foi.call('foi.groundsUpdate', { grounds: without, version: g.version }))).toMatchObject({ rule: 'foi_ground_in_use' });
    expect(failed(foi.call('foi.groundsUpdate', { grounds: [...g.grounds, g.grounds[0]!], version: g.version }))).toMatchObject({ rule: 'foi_ground_twice', field: `grounds.${g.grounds.length}.code` });
    const ended = g.grounds.map((x) => (x.code === 'se_osl_26_1' ? { ...x, validTo: '2000-01-01' } : x));
    expect(failed(foi.call('foi.groundsUpdate', { grounds: ended, version: g.version }))).toMatchObject({ rule: 'end_before_start' });
    const next = g.grounds.map((x) => (x.code === 'se_osl_26_1' ? { ...x, validTo: '2026-11-01' } : x));
    const stored = data<MethodOutput<'foi.groundsUpdate'>>(foi.call('foi.groundsUpdate', { grounds: next, version: g.version }));
    expect(stored.defaults).toBe(false);
    expect(stored.version).not.toBe(g.version);
    expect(failed(foi.call('foi.groundsUpdate', { grounds: next, version: g.version }))).toMatchObject({ code: 'conflict' });
    // An ended ground is no longer used in a new review.
    const item = itemsOf(foi, request).find((i) => i.review === null)!;
    expect(failed(foi.call('foi.review', { id: item.id, version: item.version, outcome: 'withhold', ground: 'se_osl_26_1' }))).toMatchObject({ rule: 'foi_ground_invalid' });
  });

  it('lists the officers in Swedish alphabetical order (Å before Ä before Ö), not by code point', () => {
    const s = core.db.sqlite;
    const add = s.prepare(
      `INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'x', 'x', 'x', 'test', 'x', 'test')`,
    );
    const role = s.prepare(`INSERT INTO role_assignment (id, user_id, role, unit_id, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'foi_officer', NULL, 'x', 'test', 'x', 'test')`);
    for (const [u, name] of [['o.t', 'Östen Test'], ['a.t', 'Åsa Test'], ['z.t', 'Ärla Test'], ['e.t', 'Eva Test']]) {
      const id = crypto.randomUUID();
      add.run(id, u, name);
      role.run(crypto.randomUUID(), id);
    }
    const names = data<MethodOutput<'foi.officers'>>(foi.call('foi.officers', {})).items.map((o) => o.name).filter((n) => n.endsWith(' Test'));
    // By code point Ä (U+00C4) would come before Å (U+00C5).
    expect(names).toEqual(['Eva Test', 'Åsa Test', 'Ärla Test', 'Östen Test']);
  });

  it('is the FOI officer\'s: a clerk for the whole municipality is refused', () => {
    const clerk = signIn(core, 'clerk.all');
    const item: Item = itemsOf(foi, request)[0]!;
    expect(failed(clerk.call('foi.review', { id: item.id, version: item.version, outcome: 'withhold', ground: 'se_osl_21_3' }))).toMatchObject({ code: 'forbidden' });
    expect(failed(clerk.call('foi.grounds', {}))).toMatchObject({ code: 'forbidden' });
  });
});

describe('the review in a Norwegian register', () => {
  it('masking on a ground that may be waived needs the merinnsyn assessment (offentleglova § 11)', () => {
    const core = makeTestCore({ persons: 300, country: 'NO' });
    try {
      const foi = signIn(core, 'foi');
      const f = familyOf(core, false);
      const request = gatheredFor(core, foi, f.child, f.guardian);
      const item = itemsOf(foi, request).find((i) => i.category === 'placement' || i.category === 'enrolment' || i.category === 'identity')!;
      expect(failed(foi.call('foi.review', { id: item.id, version: item.version, outcome: 'withhold', ground: 'no_offl_14' }))).toMatchObject({ rule: 'foi_merinnsyn_required', field: 'merinnsyn' });
      expect(failed(foi.call('foi.review', { id: item.id, version: item.version, outcome: 'withhold', ground: 'se_osl_23_2' }))).toMatchObject({ rule: 'foi_ground_invalid' });
      // A duty of confidentiality (§ 13) is not waived: no assessment.
      expect(data<{ version: number }>(foi.call('foi.review', { id: item.id, version: item.version, outcome: 'withhold', ground: 'no_offl_13_fvl_13' })).version).toBe(item.version + 1);
      const again = itemsOf(foi, request).find((i) => i.id === item.id)!;
      data(foi.call('foi.review', { id: again.id, version: again.version, outcome: 'withhold', ground: 'no_offl_14', merinnsyn: 'assessed_withheld' }));
      expect(itemsOf(foi, request).find((i) => i.id === item.id)!.review).toMatchObject({ ground: 'no_offl_14', merinnsyn: 'assessed_withheld' });
      // A mask whose every part has its own ground (§ 13): the item's waivable ground is used by no part, so
      // no assessment is asked for; a part without its own takes the item's, and then it is.
      const masked = itemsOf(foi, request).find((i) => i.id !== item.id && i.review === null && i.fields.some((x) => x.value !== null))!;
      const field = masked.fields.find((x) => x.value !== null)!.name;
      expect(data<{ version: number }>(foi.call('foi.review', { id: masked.id, version: masked.version, outcome: 'mask', ground: 'no_offl_14', fields: { [field]: { outcome: 'mask', ground: 'no_offl_13_fvl_13' } } })).version).toBe(masked.version + 1);
      expect(failed(foi.call('foi.review', { id: masked.id, version: masked.version + 1, outcome: 'mask', ground: 'no_offl_14', fields: { [field]: { outcome: 'mask', ground: null } } }))).toMatchObject({ rule: 'foi_merinnsyn_required' });
    } finally {
      core.dispose();
    }
  });
});
