/**
 * The synthetic population files: valid against the official XSDs (xmllint, required in CI), read back by the
 * readers into exactly the records they were written from, and a delta that carries every kind of change.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { applyPragmas } from '../../db/open';
import { EVENT_NS, readFreg } from '../imports/freg';
import { checkFileOrder, type PopulationRecord } from '../imports/model';
import { readNavet } from '../imports/navet';
import { collect } from '../imports/fixtures/collect';
import { seedDemo } from './generate';
import {
  demoDelta,
  demoRegister,
  fregPersonXml,
  navetFile,
  normaliseOrder,
  syntheticPopulation,
  syntheticPopulationChunks,
  writeChunks,
  writeDemoPopulationFiles,
  writeFileChunks,
  writeSyntheticPopulationFile,
  type ChangeKind,
  type PopulationFiles,
} from './population-files';

const TODAY = '2026-12-03';
const SCHEMAS = join(__dirname, '..', '..', 'test', 'fixtures', 'schemas');
const NAVET_XSD = join(SCHEMAS, 'navet', 'Navetavisering.xsd');
const FREG_XSD = join(SCHEMAS, 'folkeregisteret', 'kansli-folkeregisteret-v1.xsd');
const PERSON_XSD = join(SCHEMAS, 'folkeregisteret', 'PersondokumentMedHistorikk_v1BETA2.xsd');
const EVENT_XSD = join(SCHEMAS, 'folkeregisteret', 'Hendelsedokument_v1.4.xsd');
const ALL_CHANGES: ChangeKind[] = ['move_within', 'move_out', 'emigrated', 'deceased', 'protection_added', 'protection_lifted', 'custody_changed', 'name_changed', 'number_replaced', 'born', 'moved_in'];

/** Runs xmllint; throws (failing the test) when xmllint is missing or the file is invalid. */
function xmllint(schema: string, file: string): string {
  try {
    return execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new Error('xmllint is not installed (Debian: apt-get install libxml2-utils); the XSD checks cannot run', { cause: e });
    throw new Error(`${file} is not valid against ${schema}:\n${(err.stderr ?? '').slice(0, 2000)}`, { cause: e });
  }
}

let dir: string;
const dbs: Record<'SE' | 'NO', Database.Database> = {} as never;
const files: Record<'SE' | 'NO', PopulationFiles> = {} as never;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-popfiles-'));
  for (const country of ['SE', 'NO'] as const) {
    const db = new Database(join(dir, `${country}.sqlite`));
    applyPragmas(db);
    migrate(db);
    seedDemo(db, { country, persons: 2000, today: TODAY });
    dbs[country] = db;
    files[country] = writeDemoPopulationFiles(db, { outDir: join(dir, country), today: TODAY });
  }
}, 120_000);
afterAll(() => {
  for (const db of Object.values(dbs)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const readFile = (country: 'SE' | 'NO', path: string) =>
  collect(country === 'SE' ? readNavet(createReadStream(path), { today: TODAY }) : readFreg(createReadStream(path), { today: TODAY, allowSynthetic: true }));
const withoutSource = (r: PopulationRecord) => ({ ...r, source: { line: 0, column: 0, index: 0 } });

for (const country of ['SE', 'NO'] as const) {
  const xsd = country === 'SE' ? NAVET_XSD : FREG_XSD;

  describe(`${country}: the full file of the demo municipality`, () => {
    it('is valid against the official XSD', () => {
      expect(xmllint(xsd, files[country].full)).toBe('');
    });

    it('describes every person with an identity number, and reads back into exactly the records written', async () => {
      const reg = demoRegister(dbs[country], { today: TODAY });
      const written = [...reg.records()];
      const withNumber = (dbs[country].prepare(`SELECT count(*) AS n FROM person WHERE id_canonical IS NOT NULL`).get() as { n: number }).n;
      expect(written).toHaveLength(withNumber);
      expect(files[country].persons).toBe(withNumber);
      const c = await readFile(country, files[country].full);
      expect(c.error).toBeNull();
      expect(c.problems).toEqual([]);
      expect(c.header!.kind).toBe('full');
      expect(c.records.map(withoutSource)).toEqual(written.map(withoutSource));
    });

    it('leaves out what the register would not deliver: the address of a protected-address person', async () => {
      const hidden = country === 'SE' ? 'se_skyddad_folkbokforing' : 'no_strengt_fortrolig';
      const ids = new Set((dbs[country].prepare(`SELECT id_canonical AS c FROM person WHERE protection = ? AND id_canonical IS NOT NULL`).all(hidden) as { c: string }[]).map((r) => r.c));
      expect(ids.size).toBeGreaterThan(0);
      const c = await readFile(country, files[country].full);
      const protectedRecords = c.records.filter((r) => ids.has(r.identity!.canonical));
      expect(protectedRecords).toHaveLength(ids.size);
      for (const r of protectedRecords) {
        expect(r.protection[0]!.level).toBe(hidden);
        expect(r.addresses).toEqual([]);
      }
    });
  });

  describe(`${country}: the delta`, () => {
    it('is valid against the official XSD', () => {
      expect(xmllint(xsd, files[country].delta)).toBe('');
    });

    it('follows the full file in the register’s order', async () => {
      const full = await readFile(country, files[country].full);
      const delta = await readFile(country, files[country].delta);
      expect(delta.header!.kind).toBe('delta');
      expect(checkFileOrder(full.header!.ordering, delta.header!)).toMatchObject({ ok: true, note: 'next' });
    });

    it('carries each kind of change once', () => {
      expect(files[country].changes.map((c) => c.change)).toEqual(ALL_CHANGES);
      for (const c of files[country].changes) expect(c.persons.length).toBeGreaterThan(0);
    });

    it('reads back into exactly the records written', async () => {
      const d = demoDelta(dbs[country], { today: TODAY });
      const c = await readFile(country, files[country].delta);
      expect(c.problems).toEqual([]);
      if (country === 'SE') {
        expect(c.records.map(withoutSource)).toEqual(d.records.map(withoutSource));
        expect(c.records.every((r) => r.completeness === 'complete' && r.event?.type)).toBe(true);
      } else {
        expect(c.records).toHaveLength(d.events.length);
        c.records.forEach((r, i) => {
          const e = d.events[i]!;
          expect(r.event).toMatchObject({ sequence: e.sequence, documentId: e.documentId, type: e.type, recordedAt: e.recordedAt });
          expect(r.event!.changes).toEqual(e.changes.map((x) => ({ entity: ({ kontaktadresse: 'postadresse', kontaktadresseIUtlandet: 'postadresseIUtlandet' } as Record<string, string>)[x.entitet] ?? x.entitet, change: x.change })));
          expect({ ...withoutSource(r), event: null }).toEqual(withoutSource(normaliseOrder(e.record!)));
        });
      }
    });

    it('states each change the way the register would', async () => {
      const c = await readFile(country, files[country].delta);
      const changes = files[country].changes;
      // The last record of a person in the file is the person after all changes.
      const last = new Map<string, PopulationRecord>();
      for (const r of c.records) last.set(r.identity!.canonical, r);
      const of = (kind: ChangeKind) => last.get(changes.find((x) => x.change === kind)!.subject)!;
      const current = <T extends { current: boolean }>(xs: T[]) => xs.find((x) => x.current);
      const kommune = country === 'SE' ? '9901' : '9902';

      expect(current(of('move_within').registrations)!.municipalityCode).toBe(kommune);
      expect(of('move_within').addresses.filter((a) => a.kind === 'registered' && !a.current)).toHaveLength(1);
      expect(current(of('move_out').registrations)!.municipalityCode).toBe(country === 'SE' ? '0180' : '0301');
      expect(current(of('emigrated').statuses)).toMatchObject({ code: 'emigrated', registerCode: country === 'SE' ? 'UV' : 'utflyttet' });
      expect(of('emigrated').addresses.some((a) => a.kind === 'foreign' && a.current)).toBe(true);
      expect(current(of('deceased').statuses)).toMatchObject({ code: 'deceased', registerCode: country === 'SE' ? 'AV' : 'doed' });
      expect(current(of('protection_added').protection)!.level).toBe(country === 'SE' ? 'se_sekretessmarkering' : 'no_fortrolig');
      expect(current(of('protection_lifted').protection)!.level).toBe('none');
      const custody = changes.find((x) => x.change === 'custody_changed')!;
      const child = last.get(custody.subject)!;
      const ended = child.relations.filter((r) => r.kind === 'custodian' && !r.current);
      expect(ended.length).toBeGreaterThan(0);
      expect(child.relations.filter((r) => r.kind === 'custodian' && r.current)).toHaveLength(1);
      const renamed = of('name_changed');
      expect(current(renamed.names)!.family).not.toBe(dbs[country].prepare(`SELECT family_name AS f FROM person WHERE id_canonical = ?`).pluck().get(renamed.identity!.canonical));
      const replaced = changes.find((x) => x.change === 'number_replaced')!;
      expect(last.get(replaced.subject)!.previousIdentities.map((p) => p.canonical)).toContain(replaced.previous);
      if (country === 'SE') expect(last.get(replaced.previous!)!.replacedBy!.canonical).toBe(replaced.subject);
      const baby = of('born');
      expect(baby.birthDate! > '2026-11-20').toBe(true);
      expect(baby.relations.filter((r) => r.kind === 'custodian' && r.current).length).toBeGreaterThan(0);
      const mover = of('moved_in');
      expect(mover.registrations.map((r) => [r.municipalityCode, r.current])).toEqual([
        [kommune, true],
        [country === 'SE' ? '0180' : '0301', false],
      ]);
    });
  });
}

describe('Folkeregisteret documents on their own', () => {
  it('a person document validates against PersondokumentMedHistorikk_v1BETA2.xsd alone', () => {
    const reg = demoRegister(dbs.NO, { today: TODAY });
    let n = 0;
    for (const r of reg.records()) {
      if (n++ % 400 !== 0) continue;
      const path = join(dir, `person-${n}.xml`);
      writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\n${fregPersonXml(r, reg.municipality.code, 0, '', true)}`);
      expect(xmllint(PERSON_XSD, path)).toBe('');
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('an event document validates against Hendelsedokument_v1.4.xsd alone', () => {
    const text = readFileSync(files.NO.delta, 'utf8');
    const docs = text.match(/<h:dokumentForHendelse>[\s\S]*?<\/h:dokumentForHendelse>/g)!;
    expect(docs.length).toBe(files.NO.deltaItems);
    docs.forEach((d, i) => {
      const path = join(dir, `event-${i}.xml`);
      writeFileSync(path, d.replace('<h:dokumentForHendelse>', `<h:dokumentForHendelse xmlns:h="${EVENT_NS}">`));
      expect(xmllint(EVENT_XSD, path)).toBe('');
    });
  });

  it('the container schema checks the documents inside it (an invalid kjønn is refused)', () => {
    const path = join(dir, 'invalid.xml');
    writeFileSync(path, readFileSync(files.NO.full, 'utf8').replace('<kjoenn>kvinne</kjoenn>', '<kjoenn>hunkjønn</kjoenn>'));
    expect(() => xmllint(FREG_XSD, path)).toThrow(/hunkjønn|kjoenn/);
  });
});

describe('the synthetic population (no database)', () => {
  for (const country of ['SE', 'NO'] as const) {
    it(`${country}: exactly N persons with unique valid numbers, relations inside the population, XSD-valid, read back unchanged`, async () => {
      const persons = 3000;
      const written = [...syntheticPopulation({ country, persons, today: TODAY, seed: 7 })];
      expect(written).toHaveLength(persons);
      const ids = new Set(written.map((r) => r.identity.canonical));
      expect(ids.size).toBe(persons);
      for (const r of written) for (const rel of r.relations) expect(ids.has(rel.other.identity!.canonical)).toBe(true);
      expect(written.some((r) => r.protection[0]!.level !== 'none')).toBe(true);
      if (country === 'NO') expect(written.some((r) => r.sharedResidences.length > 0)).toBe(true);
      const path = join(dir, `synthetic-${country}.xml`);
      writeSyntheticPopulationFile(path, { country, persons, today: TODAY, seed: 7 });
      expect(xmllint(country === 'SE' ? NAVET_XSD : FREG_XSD, path)).toBe('');
      const c = await readFile(country, path);
      expect(c.problems).toEqual([]);
      expect(c.records.map(withoutSource)).toEqual(written.map(withoutSource));
    }, 120_000);
  }

  it('writes to a stream with backpressure, byte for byte what the file writer writes', async () => {
    const o = { country: 'NO' as const, persons: 300, today: TODAY, seed: 3 };
    const path = join(dir, 'sync.xml');
    writeSyntheticPopulationFile(path, o);
    const sink = new PassThrough({ highWaterMark: 1024 });
    const got: Buffer[] = [];
    const drained = (async () => {
      for await (const c of sink) {
        got.push(c as Buffer);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await writeChunks(sink, syntheticPopulationChunks(o));
    sink.end();
    await drained;
    expect(Buffer.concat(got).equals(readFileSync(path))).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const a = [...syntheticPopulation({ country: 'SE', persons: 50, today: TODAY, seed: 1 })];
    const b = [...syntheticPopulation({ country: 'SE', persons: 50, today: TODAY, seed: 1 })];
    const c = [...syntheticPopulation({ country: 'SE', persons: 50, today: TODAY, seed: 2 })];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('a file whose AntalPoster would not match its posts is not written silently', () => {
    const two = [...syntheticPopulation({ country: 'SE', persons: 2, today: TODAY })];
    const file = navetFile({ kind: 'full', to: TODAY, recipientOrgNr: '2120000019', recipientName: 'Ekdala kommun', lopNr: 1, count: 3 }, two);
    expect(() => writeFileChunks(join(dir, 'short.xml'), file)).toThrow('AntalPoster says 3 but 2 records were written');
  });
});
