/**
 * Reading the audit log: filters, the person filter by id, identity number or reserve number, paging,
 * and the CSV export, on a real core over a real SQLite file. Persons are created through the core, which
 * audits those calls itself; expectations are therefore computed from the table by a plain model of the
 * filter rather than from hard-coded counts.
 */
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { makeSwedishPersonnummer } from '../../shared/identity';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { appendAudit, type AuditInput } from './chain';
import { AUDIT_EXPORT_MAX_ROWS, exportAuditCsv, queryAudit, resolvePersonFilter, type AuditFilter } from './query';

const OPTS = { today: TEST_TODAY, demo: false };
const ANNA_NUMBER = makeSwedishPersonnummer('2015-08-15', 238);
/** A Norwegian synthetic test number (month + 80): accepted in demo databases only. */
const SYNTHETIC_NO = '04831551246';

let core: TestCore;
let sqlite: Database.Database;
let anna: string;
let bo: string;
let cilla: string;
const GHOST = '00000000-0000-4000-8000-000000000999';

function add(e: Partial<AuditInput>): void {
  sqlite.transaction(() =>
    appendAudit(sqlite, {
      at: '2026-11-21T10:00:00.000Z',
      actorId: 'u-admin',
      actorName: 'Ada Admin',
      workstation: 'WS-1',
      method: 'person.get',
      action: 'read',
      outcome: 'ok',
      personIds: [],
      details: {},
      reason: null,
      ...e,
    }),
  )();
}

beforeEach(() => {
  core = makeTestCore();
  sqlite = core.db.sqlite;
  anna = core.ok('person.create', { givenName: 'Anna', familyName: 'Berg', identityNumber: ANNA_NUMBER }).id;
  bo = core.ok('person.create', { givenName: 'Bo', familyName: 'Ek', reserveNumber: 'R-2026-0001', birthDate: '2016-01-01' }).id;
  cilla = core.ok('person.create', { givenName: 'Cilla', familyName: 'Lie', birthDate: '2015-04-08' }).id;
  // Only the demo generator writes synthetic numbers; a test database is not a demo, so set one directly.
  sqlite.prepare(`UPDATE person SET id_canonical = ?, id_kind = 'no_synthetic', id_country = 'NO' WHERE id = ?`).run(SYNTHETIC_NO, cilla);

  add({ at: '2026-11-19T23:59:59.999Z', personIds: [anna], actorId: 'u-bo', actorName: 'Bo Clerk' });
  add({ at: '2026-11-20T00:00:00.000Z', personIds: [anna, bo], action: 'read', method: 'person.list' });
  add({ at: '2026-11-20T12:00:00.000Z', personIds: [bo], actorId: 'u-bo', actorName: 'Bo Clerk', action: 'write', method: 'person.update' });
  add({ at: '2026-11-20T23:59:59.999Z', personIds: [anna], action: 'reveal', method: 'person.reveal', reason: 'Placement decision, case 12' });
  // Mentions Anna only in its details: the person filter must not find it.
  add({ at: '2026-11-21T00:00:00.000Z', personIds: [bo], details: { note: `not about ${anna}` } });
  add({ at: '2026-11-21T08:00:00.000Z', personIds: [], actorId: 'u-eve', actorName: 'Eve', action: 'denied', outcome: 'forbidden', method: 'person.get' });
  add({ at: '2026-11-22T09:00:00.000Z', personIds: [anna, GHOST], actorId: 'u-bo', actorName: 'Bo Clerk-Lind', action: 'read' });
  add({ at: '2026-11-22T10:00:00.000Z', personIds: [cilla], action: 'write', method: 'person.update' });
  add({ at: '2026-11-23T07:00:00.000Z', personIds: [], action: 'sign_in', method: 'auth.signIn', actorId: 'u-bo', actorName: 'Bo Clerk-Lind' });
});
afterEach(() => core.dispose());

interface Raw {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  person_ids: string;
  action: string;
}

/** The filter's meaning, spelled out over the whole table: seqs newest first. */
function model(f: AuditFilter, personId?: string | null): number[] {
  const rows = sqlite.prepare('SELECT seq, at, actor_id, actor_name, person_ids, action FROM audit_log ORDER BY seq DESC').all() as Raw[];
  return rows
    .filter((r) => !f.userId || r.actor_id === f.userId)
    .filter((r) => personId === undefined || (personId !== null && (JSON.parse(r.person_ids) as string[]).includes(personId)))
    .filter((r) => !f.from || r.at.slice(0, 10) >= f.from)
    .filter((r) => !f.to || r.at.slice(0, 10) <= f.to)
    .filter((r) => !f.action || r.action === f.action)
    .map((r) => r.seq);
}

function query(f: AuditFilter, offset = 0, limit = 500) {
  const r = queryAudit(sqlite, f, offset, limit, OPTS);
  expect(contract['audit.query'].output.parse(r)).toEqual(r);
  return r;
}

const total = () => (sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

describe('queryAudit', () => {
  it('without a filter: every entry, newest first, with the users of the whole log', () => {
    const r = query({});
    expect(r.total).toBe(total());
    expect(r.items.map((i) => i.seq)).toEqual(model({}));
    const newest = r.items[0]!;
    expect(newest).toMatchObject({ at: '2026-11-23T07:00:00.000Z', actorId: 'u-bo', action: 'sign_in', personIds: [], details: {}, reason: null });
    const reveal = r.items.find((i) => i.action === 'reveal')!;
    expect(reveal).toMatchObject({ method: 'person.reveal', reason: 'Placement decision, case 12', personIds: [anna], workstation: 'WS-1', outcome: 'ok' });
    // Each actor once, with the name of their latest entry.
    const actors = [...new Set((sqlite.prepare('SELECT actor_id FROM audit_log').all() as { actor_id: string }[]).map((x) => x.actor_id))];
    expect(r.users.map((u) => u.id).sort()).toEqual(actors.sort());
    expect(r.users).toContainEqual({ id: 'u-bo', name: 'Bo Clerk-Lind' });
    expect(r.users).toContainEqual({ id: 'u-admin', name: 'Ada Admin' });
    const names = r.users.map((u) => u.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  const single: [string, AuditFilter][] = [
    ['userId', { userId: 'u-bo' }],
    ['from', { from: '2026-11-21' }],
    ['to', { to: '2026-11-20' }],
    ['action', { action: 'write' }],
  ];
  for (const [name, f] of single) {
    it(`filters by ${name} alone`, () => {
      const want = model(f);
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(total());
      const r = query(f);
      expect(r.items.map((i) => i.seq)).toEqual(want);
      expect(r.total).toBe(want.length);
    });
  }

  it('from and to are inclusive dates of the UTC timestamp', () => {
    const r = query({ from: '2026-11-20', to: '2026-11-20' });
    expect(r.items.map((i) => i.at)).toEqual(['2026-11-20T23:59:59.999Z', '2026-11-20T12:00:00.000Z', '2026-11-20T00:00:00.000Z']);
    expect(query({ from: '2026-11-19', to: '2026-11-19' }).items.map((i) => i.at)).toEqual(['2026-11-19T23:59:59.999Z']);
  });

  it('filters by person id through the person index and its unindexed tail, not the details text', () => {
    const want = model({}, anna);
    expect(want).toHaveLength(4 + 1); // four entries above plus person.create
    // Nothing is indexed yet (the indexer runs when the core is idle), then a few entries per step: the
    // answer is the same at every point, and never includes the entry naming Anna only in its details.
    const indexer = core.services.auditIndex;
    expect(indexer.lag()).toBe(sqlite.prepare('SELECT count(*) AS n FROM audit_log').pluck().get());
    for (;;) {
      const r = query({ person: anna });
      expect(r.items.map((i) => i.seq)).toEqual(want);
      expect(r.items.some((i) => JSON.stringify(i.details).includes(anna) && !i.personIds.includes(anna))).toBe(false);
      expect(query({ person: bo }).items.map((i) => i.seq)).toEqual(model({}, bo));
      if (!indexer.lag()) break;
      expect(indexer.runStep(2)).not.toBeNull();
    }
    expect(sqlite.prepare('SELECT count(*) AS n FROM audit_person WHERE person_id = ?').pluck().get(anna)).toBe(want.length);
    const plan = sqlite
      .prepare(`EXPLAIN QUERY PLAN SELECT seq FROM audit_log WHERE seq IN (SELECT seq FROM audit_person WHERE person_id = ?)`)
      .all(anna) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toContain('audit_person_person');
  });

  it('filters by identity number in any accepted format, and by reserve number', () => {
    const byId = query({ person: anna }).items.map((i) => i.seq);
    for (const typed of [ANNA_NUMBER, '20150815-2384', '150815-2384', '1508152384', ' 20150815\u20132384 ']) {
      expect(resolvePersonFilter(sqlite, typed, OPTS), typed).toBe(anna);
      expect(query({ person: typed }).items.map((i) => i.seq), typed).toEqual(byId);
    }
    expect(resolvePersonFilter(sqlite, 'r-2026-0001', OPTS)).toBe(bo);
    expect(query({ person: 'R-2026-0001' }).items.map((i) => i.seq)).toEqual(model({}, bo));
    expect(resolvePersonFilter(sqlite, anna.toUpperCase(), OPTS)).toBe(anna);
  });

  it('synthetic test numbers resolve only in a demo database', () => {
    expect(resolvePersonFilter(sqlite, SYNTHETIC_NO, OPTS)).toBeNull();
    expect(resolvePersonFilter(sqlite, SYNTHETIC_NO, { ...OPTS, demo: true })).toBe(cilla);
    expect(queryAudit(sqlite, { person: SYNTHETIC_NO }, 0, 100, { ...OPTS, demo: true }).items.map((i) => i.seq)).toEqual(model({}, cilla));
  });

  it('a soft-deleted person is still found by number: the audit trail outlives the record', () => {
    sqlite.prepare(`UPDATE person SET deleted_at = ? WHERE id = ?`).run('2026-11-23T12:00:00.000Z', anna);
    expect(resolvePersonFilter(sqlite, ANNA_NUMBER, OPTS)).toBe(anna);
  });

  it('an unknown person gives an empty page, never an error that would reveal who is registered', () => {
    const users = query({}).users;
    for (const unknown of [makeSwedishPersonnummer('2014-02-03', 111), 'R-1999-9999', 'nobody', '123']) {
      expect(resolvePersonFilter(sqlite, unknown, OPTS), unknown).toBeNull();
      expect(query({ person: unknown }), unknown).toEqual({ items: [], total: 0, persons: {}, users });
    }
    // A UUID is taken as it is, looked up in the person index only.
    expect(query({ person: '00000000-0000-4000-8000-000000000001' })).toEqual({ items: [], total: 0, persons: {}, users });
    // The same answer as for a registered person without entries matching the rest of the filter.
    expect(query({ person: anna, action: 'sign_in' })).toEqual({ items: [], total: 0, persons: {}, users });
  });

  it('combines filters', () => {
    const f: AuditFilter = { userId: 'u-admin', from: '2026-11-20', to: '2026-11-22', action: 'read' };
    const r = query({ ...f, person: ANNA_NUMBER });
    expect(r.items.map((i) => i.seq)).toEqual(model(f, anna));
    expect(r.items.map((i) => i.at)).toEqual(['2026-11-20T00:00:00.000Z']);
    expect(query({ userId: 'u-bo', action: 'read', person: anna }).items.map((i) => i.at)).toEqual(['2026-11-22T09:00:00.000Z', '2026-11-19T23:59:59.999Z']);
  });

  it('names the persons of the returned entries only, as "Family, Given"', () => {
    const r = query({ userId: 'u-bo' });
    expect(r.persons).toEqual({ [anna]: 'Berg, Anna', [bo]: 'Ek, Bo' });
    // An id that is not a person has no name; Cilla appears only in entries outside this page.
    expect(r.persons[GHOST]).toBeUndefined();
    expect(query({ action: 'write', userId: 'u-admin' }).persons).toEqual({ [cilla]: 'Lie, Cilla' });
  });

  it('pages with offset and limit; the total is the whole filtered count', () => {
    const all = model({});
    const seen: number[] = [];
    for (let offset = 0; offset < all.length; offset += 4) {
      const r = query({}, offset, 4);
      expect(r.total).toBe(all.length);
      expect(r.items.length).toBe(Math.min(4, all.length - offset));
      seen.push(...r.items.map((i) => i.seq));
    }
    expect(seen).toEqual(all);
    expect(query({}, all.length + 10, 4)).toMatchObject({ items: [], total: all.length });
  });

  it('refuses an end date before the start date', () => {
    expect(() => query({ from: '2026-11-22', to: '2026-11-21' })).toThrow(DomainError);
    try {
      query({ from: '2026-11-22', to: '2026-11-21' });
    } catch (e) {
      expect(e).toMatchObject({ code: 'validation', field: 'to' });
    }
  });

  it('binds filter values as parameters', () => {
    expect(query({ userId: `u-bo' OR 1=1 --` }).total).toBe(0);
    expect(query({ action: `read' OR 'a'='a` }).total).toBe(0);
  });
});

/** RFC 4180 reader for the test: fields may be quoted, quotes doubled, records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const m = /[,\r]/.exec(text.slice(i));
      const end = m ? i + m.index : text.length;
      field = text.slice(i, end);
      expect(field).not.toMatch(/["\n]/);
      i = end;
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

const HEADER = ['seq', 'at', 'actor_id', 'actor_name', 'workstation', 'method', 'action', 'outcome', 'person_ids', 'person_names', 'reason', 'details', 'hash'];
const NOW = '2026-11-23T12:34:56.000Z';
const EXPORT_OPTS = { ...OPTS, now: NOW };

/** The head line every export ends with: the chain's last entry, whatever the filter. */
function headRow(): string[] {
  const last = sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  return ['#audit-head', `seq=${last.seq}`, `hash=${last.hash}`, `exported=${NOW}`, ...Array<string>(9).fill('')];
}

describe('exportAuditCsv', () => {
  it('writes RFC 4180 CSV with a BOM, oldest first, named after today', () => {
    const r = exportAuditCsv(sqlite, {}, EXPORT_OPTS);
    expect(contract['audit.export'].output.parse(r)).toEqual(r);
    expect(r.filename).toBe('kansli-audit-2026-11-23.csv');
    expect(r.csv.startsWith('\uFEFFseq,at,actor_id,')).toBe(true);
    expect(r.csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(r.csv.slice(1));
    expect(rows[0]).toEqual(HEADER);
    expect(r.rows).toBe(total());
    expect(rows).toHaveLength(total() + 2);
    expect(rows.slice(1, -1).map((x) => Number(x[0]))).toEqual([...model({})].reverse());
    expect(rows[rows.length - 1]).toEqual(headRow());
    for (const x of rows) expect(x).toHaveLength(HEADER.length);

    const stored = sqlite.prepare('SELECT details, hash FROM audit_log WHERE seq = ?');
    const list = rows.find((x) => x[5] === 'person.list')!;
    expect(list[8]).toBe([anna, bo].sort().join(' '));
    expect(list[9]).toBe([anna, bo].sort().map((id) => (id === anna ? 'Berg, Anna' : 'Ek, Bo')).join('; '));
    expect({ details: list[11], hash: list[12] }).toEqual(stored.get(Number(list[0])));
    const reveal = rows.find((x) => x[6] === 'reveal')!;
    expect(reveal.slice(1, 11)).toEqual(['2026-11-20T23:59:59.999Z', 'u-admin', 'Ada Admin', 'WS-1', 'person.reveal', 'reveal', 'ok', anna, 'Berg, Anna', 'Placement decision, case 12']);
  });

  it('keeps å, ä, ö and ø as UTF-8 and escapes commas, quotes and line breaks', () => {
    add({ at: `${TEST_TODAY}T10:00:00.000Z`, actorName: 'Åsa Öberg-Lie, "Øyvind"', reason: 'line one\r\nline two, "quoted"', details: { note: 'ä,"x"\n' } });
    const r = exportAuditCsv(sqlite, { from: TEST_TODAY, action: 'read' }, OPTS);
    expect(r.rows).toBe(1);
    expect(r.csv).toContain('"Åsa Öberg-Lie, ""Øyvind"""');
    expect(r.csv).toContain('"line one\r\nline two, ""quoted"""');
    const row = parseCsv(r.csv.slice(1))[1]!;
    expect(row[3]).toBe('Åsa Öberg-Lie, "Øyvind"');
    expect(row[10]).toBe('line one\r\nline two, "quoted"');
    expect(JSON.parse(row[11]!)).toEqual({ note: 'ä,"x"\n' });
    expect(Buffer.from(r.csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    const evil = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    for (const reason of evil) add({ at: `${TEST_TODAY}T10:00:00.000Z`, reason, actorName: reason });
    const r = exportAuditCsv(sqlite, { from: TEST_TODAY, action: 'read' }, OPTS);
    const rows = parseCsv(r.csv.slice(1)).slice(1, -1);
    expect(rows.map((x) => x[10])).toEqual(evil.map((s) => `'${s}`));
    expect(rows.map((x) => x[3])).toEqual(evil.map((s) => `'${s}`));
    // Ordinary values are left alone.
    expect(rows[0]![1]).toMatch(/^2026-/);
  });

  it('applies the filter; an unknown person exports the header only', () => {
    const r = exportAuditCsv(sqlite, { person: 'R-2026-0001' }, EXPORT_OPTS);
    expect(r.rows).toBe(model({}, bo).length);
    // The head is the whole chain's, not the last row exported.
    const rows = parseCsv(r.csv.slice(1));
    expect(rows[rows.length - 1]).toEqual(headRow());
    expect(Number(rows[rows.length - 2]![0])).toBeLessThan(total());
    const none = exportAuditCsv(sqlite, { person: 'nobody' }, EXPORT_OPTS);
    expect(none).toEqual({ filename: 'kansli-audit-2026-11-23.csv', csv: `\uFEFF${HEADER.join(',')}\r\n${headRow().join(',')}\r\n`, rows: 0 });
  });

  it(`refuses more than ${AUDIT_EXPORT_MAX_ROWS} rows, asking for a narrower filter`, () => {
    // Bulk rows straight into the table: only the export's cap is under test here, not the chain.
    sqlite
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO audit_log (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash)
         SELECT (SELECT max(seq) FROM audit_log) + i, '2026-10-01T00:00:00.000Z', 'u-bulk', 'Bulk', 'WS', 'person.get', 'read', 'ok', '[]', '{}', NULL, 'x', 'x' FROM n`,
      )
      .run(AUDIT_EXPORT_MAX_ROWS + 1);
    expect(() => exportAuditCsv(sqlite, {}, OPTS)).toThrow(/Narrow the filter/);
    try {
      exportAuditCsv(sqlite, { userId: 'u-bulk', to: '2026-10-01' }, OPTS);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'validation' });
    }
    expect(exportAuditCsv(sqlite, { from: '2026-11-01' }, OPTS).rows).toBe(model({ from: '2026-11-01' }).length);
  });
});
