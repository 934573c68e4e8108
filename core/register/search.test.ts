/**
 * search.query through the real contract on a real database: names (diacritics, fragments, several
 * words, preferred names), identity numbers in every accepted format, units and groups, limits,
 * and that a protected person's address can never be found or returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodOutput } from '../../shared/api/contract';
import { makeTestCore, type TestCore } from '../../test/util/core';

type Hits = MethodOutput<'search.query'>;

let core: TestCore;
const ids: Record<string, string> = {};

const person = (key: string, input: MethodInput<'person.create'>) => {
  ids[key] = core.ok('person.create', input).id;
};
const search = (q: string, extra: Partial<MethodInput<'search.query'>> = {}): Hits => core.ok('search.query', { q, ...extra });
const personIds = (r: Hits): string[] => r.items.filter((h) => h.type === 'person').map((h) => h.id);
const found = (q: string, key: string, extra: Partial<MethodInput<'search.query'>> = {}) => expect(personIds(search(q, extra)), `"${q}" should find ${key}`).toContain(ids[key]);
const notFound = (q: string, key: string) => expect(personIds(search(q)), `"${q}" should not find ${key}`).not.toContain(ids[key]);

beforeAll(() => {
  core = makeTestCore();
  person('ostlund', { identityNumber: '201508152384', givenName: 'Anna-Karin', familyName: 'Östlund' });
  person('sorensen', { identityNumber: '13097248022', givenName: 'Kari', familyName: 'Sørensen' });
  person('aberg', { identityNumber: '201603021179', givenName: 'Åke', familyName: 'Åberg' });
  person('hagen', { identityNumber: '53097248016', givenName: 'Øyvind', middleName: 'Ståle', familyName: 'Hagen' });
  person('karlsson', { identityNumber: '170509-4421', givenName: 'Anna', familyName: 'Karlsson', preferredName: 'Nenne' });
  person('preferred', { birthDate: '2012-04-01', givenName: 'Karl-Johan', familyName: 'Lindqvist', preferredName: 'Kalle' });
  person('muller', { birthDate: '2011-06-30', givenName: 'Zoë', familyName: 'Müller-Lüdenscheidt' });
  person('old', { identityNumber: '121212+1212', givenName: 'Tolvan', familyName: 'Tolvansson' });
  person('samordning', { identityNumber: '900774-1292', givenName: 'Omar', familyName: 'Hussein' });
});
afterAll(() => core.dispose());

describe('names', () => {
  it('diacritics-insensitive: typed without them, and with them', () => {
    found('ostlund', 'ostlund');
    found('Östlund', 'ostlund');
    found('OSTLUND', 'ostlund');
    found('sorensen', 'sorensen');
    found('Sørensen', 'sorensen');
    found('aberg', 'aberg');
    found('åke', 'aberg');
    found('ake aberg', 'aberg');
    found('hagen', 'hagen');
    found('oyvind', 'hagen');
    found('stale', 'hagen');
    found('muller', 'muller');
    found('zoe', 'muller');
    found('ludenscheidt', 'muller');
  });

  it('any part of any name: prefixes, infixes and hyphenated parts', () => {
    found('öst', 'ostlund');
    found('tlun', 'ostlund');
    found('karin', 'ostlund'); // second part of a hyphenated given name
    found('anna-karin', 'ostlund');
    found('sson', 'karlsson');
    found('sson', 'old');
    found('rense', 'sorensen');
    found('berg', 'aberg');
    found('ind', 'preferred');
    expect(personIds(search('sson')).sort()).toEqual([ids.karlsson, ids.old].sort());
  });

  it('several words narrow the result, in any order', () => {
    found('anna ost', 'ostlund');
    notFound('anna ost', 'karlsson');
    found('ost anna', 'ostlund');
    found('karlsson anna', 'karlsson');
    notFound('karlsson anna', 'ostlund');
    found('an ka', 'ostlund'); // two short prefixes
    found('kari sø', 'sorensen');
    notFound('kari hagen', 'sorensen');
    expect(personIds(search('anna zzz'))).toEqual([]);
  });

  it('the preferred name (tilltalsnamn) is searchable', () => {
    found('kalle', 'preferred');
    found('kalle lindq', 'preferred');
    found('nenne', 'karlsson');
  });

  it('returns person summaries without contact details', () => {
    const hit = search('östlund').items.find((h) => h.type === 'person' && h.id === ids.ostlund)!;
    expect(hit).toMatchObject({ type: 'person', givenName: 'Anna-Karin', familyName: 'Östlund', identity: { display: '20150815-2384' }, protected: false });
  });

  it('a query without letters or digits gives nothing; empty gives nothing', () => {
    for (const q of ['', '   ', '-', '%', '_', '"', "'", '*', '()', 'a']) {
      const r = search(q);
      if (q === 'a') continue; // one letter is a valid (broad) prefix
      expect(r, JSON.stringify(q)).toEqual({ items: [], more: false });
    }
  });

  it('SQL LIKE and FTS syntax in the query are plain text', () => {
    for (const q of ['%', 'a%b', 'ost_und', 'ostlund"', 'NEAR(ost lund)', 'ost* OR 1', 'anna AND', '"anna"', "o'neil", 'a\\b']) {
      const r = core.call('search.query', { q });
      expect(r.ok, q).toBe(true);
    }
    // '%' is not a wildcard: it separates words like any punctuation, so it cannot match everything.
    expect(search('%')).toEqual({ items: [], more: false });
    expect(personIds(search('ann%'))).toEqual(expect.arrayContaining([ids.ostlund, ids.karlsson]));
  });

  it('too long a query is a validation error', () => {
    expect(core.err('search.query', { q: 'x'.repeat(101) })).toMatchObject({ code: 'validation', field: 'q' });
  });
});

describe('identity numbers', () => {
  it('finds a Swedish number in every typed format, and by fragments', () => {
    for (const q of ['201508152384', '20150815-2384', '150815-2384', '1508152384', '201508', '20150815', '150815', '2384', '52384', '0815-2384']) found(q, 'ostlund');
    // The exact number ranks first.
    expect(personIds(search('150815-2384'))[0]).toBe(ids.ostlund);
  });

  it('finds a person aged 100+ by the + form and by the long form', () => {
    for (const q of ['121212+1212', '19121212-1212', '191212121212', '1212']) found(q, 'old');
  });

  it('finds a samordningsnummer as typed', () => {
    for (const q of ['900774-1292', '199007741292', '9007741292']) found(q, 'samordning');
  });

  it('finds Norwegian numbers, with or without the space', () => {
    for (const q of ['13097248022', '130972 48022', '130972', '48022']) found(q, 'sorensen');
    for (const q of ['53097248016', '530972 48016']) found(q, 'hagen');
  });

  it('a partial prefix matches only numbers that start with it', () => {
    const r = personIds(search('2016'));
    expect(r).toContain(ids.aberg);
    expect(r).not.toContain(ids.muller); // no number at all
  });
});

describe('limit and more', () => {
  let many: TestCore;
  beforeAll(() => {
    many = makeTestCore();
    for (let i = 0; i < 7; i++) many.ok('person.create', { birthDate: '2015-01-01', givenName: `Kid${i}`, familyName: 'Limitsson' });
  });
  afterAll(() => many.dispose());

  it('returns at most `limit` hits and says whether there are more', () => {
    const r3 = many.ok('search.query', { q: 'limitsson', limit: 3 });
    expect(r3.items).toHaveLength(3);
    expect(r3.more).toBe(true);
    const r7 = many.ok('search.query', { q: 'limitsson', limit: 7 });
    expect(r7.items).toHaveLength(7);
    expect(r7.more).toBe(false);
    const r1 = many.ok('search.query', { q: 'imitss', limit: 1 }); // trigram path
    expect(r1.items).toHaveLength(1);
    expect(r1.more).toBe(true);
    // Results come in name order and are distinct.
    const names = many.ok('search.query', { q: 'limitsson', limit: 100 }).items.map((h) => (h.type === 'person' ? h.givenName : ''));
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(7);
  });

  it('default limit is 20 and `types` restricts the kinds', () => {
    for (let i = 7; i < 25; i++) many.ok('person.create', { birthDate: '2015-01-01', givenName: `Kid${i}`, familyName: 'Limitsson' });
    const r = many.ok('search.query', { q: 'limitsson' });
    expect(r.items).toHaveLength(20);
    expect(r.more).toBe(true);
    expect(many.ok('search.query', { q: 'limitsson', types: ['unit', 'group'] }).items).toEqual([]);
  });
});

describe('units and groups (demo municipality)', () => {
  let demo: TestCore;
  let no: TestCore;
  beforeAll(() => {
    demo = makeTestCore({ persons: 200, country: 'SE' });
    no = makeTestCore({ persons: 200, country: 'NO' });
  });
  afterAll(() => {
    demo.dispose();
    no.dispose();
  });
  const unitRow = (c: TestCore) =>
    c.db.sqlite.prepare(`SELECT id, name, school_unit_code, gsi_code FROM org_unit WHERE kind = 'school_unit' ORDER BY name LIMIT 1`).get() as { id: string; name: string; school_unit_code: string | null; gsi_code: string | null };

  it('finds a unit by name, folded and by fragment', () => {
    const u = unitRow(demo);
    const words = u.name.split(' ');
    for (const q of [u.name, u.name.toLowerCase(), words[0]!.slice(0, 4), words[0]!.slice(2, 7)]) {
      const r = demo.ok('search.query', { q });
      expect(r.items.some((h) => h.type === 'unit' && h.id === u.id), q).toBe(true);
    }
  });

  it('finds a Swedish unit by its skolenhetskod', () => {
    const u = unitRow(demo);
    const r = demo.ok('search.query', { q: u.school_unit_code! });
    expect(r.items).toContainEqual(expect.objectContaining({ type: 'unit', id: u.id, code: u.school_unit_code }));
  });

  it('finds a Norwegian unit by its GSI code and by name with ø/å', () => {
    const u = unitRow(no);
    expect(no.ok('search.query', { q: u.gsi_code! }).items).toContainEqual(expect.objectContaining({ type: 'unit', id: u.id, code: u.gsi_code }));
    const created = no.ok('unit.create', {
      parentId: (no.db.sqlite.prepare(`SELECT id FROM org_unit WHERE kind = 'administration' LIMIT 1`).get() as { id: string }).id,
      name: 'Østre Åsen skole',
      gsiCode: '9876543',
      schoolForms: ['GSK'],
    });
    for (const q of ['ostre asen', 'Østre', 'asen skole', '9876543']) {
      expect(no.ok('search.query', { q }).items.some((h) => h.type === 'unit' && h.id === created.id), q).toBe(true);
    }
  });

  it('finds groups by name (any case, diacritics folded, by prefix), this and last school year only', () => {
    const g = demo.db.sqlite
      .prepare(`SELECT g.id, g.name FROM school_group g WHERE g.kind = 'class' AND g.school_year = 2026 ORDER BY g.name LIMIT 1`)
      .get() as { id: string; name: string };
    for (const q of [g.name, g.name.toLowerCase()]) {
      const r = demo.ok('search.query', { q, limit: 100, types: ['group'] });
      expect(r.items.some((h) => h.type === 'group' && h.id === g.id), q).toBe(true);
      expect(r.items.every((h) => h.type === 'group')).toBe(true);
    }
    const dept = demo.db.sqlite.prepare(`SELECT id, name FROM school_group WHERE kind = 'department' LIMIT 1`).get() as { id: string; name: string } | undefined;
    if (dept) {
      const folded = dept.name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().slice(0, 4);
      expect(demo.ok('search.query', { q: folded, limit: 100, types: ['group'] }).items.some((h) => h.id === dept.id), folded).toBe(true);
    }
    // A group from long ago is not offered.
    demo.db.sqlite
      .prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, version, created_at, created_by, updated_at, updated_by)
        SELECT '99999999-0000-4000-8000-000000000001', unit_id, 'class', 'Zeta old', 'zeta old', 2019, school_form, grade, 1, 'n', 't', 'n', 't' FROM school_group LIMIT 1`)
      .run();
    expect(demo.ok('search.query', { q: 'zeta', types: ['group'] }).items).toEqual([]);
  });

  it('units and groups never crowd out the limit', () => {
    for (const limit of [1, 2, 3, 4, 8, 20]) {
      for (const q of ['sol', 'a', 'skola', 'förskola', '1']) {
        const r = demo.ok('search.query', { q, limit });
        expect(r.items.length, `${q} limit ${limit}`).toBeLessThanOrEqual(limit);
      }
    }
  });
});

describe('protected persons: found by name and number, never by address', () => {
  let c: TestCore;
  const MARK = 'qxzmarker';
  const POSTAL = '40414';
  let protectedId: string;
  let openId: string;
  beforeAll(() => {
    c = makeTestCore();
    protectedId = c.ok('person.create', {
      identityNumber: '201412018762',
      givenName: 'Hemlig',
      familyName: 'Skyddadsson',
      protection: 'se_skyddad_folkbokforing',
      addresses: [{ kind: 'registered', careOf: `${MARK}careof`, street: `${MARK}gatan 12`, postalCode: POSTAL, city: `${MARK}stad`, country: 'SE' }],
      contacts: [
        { kind: 'email', value: `${MARK}@example.invalid` },
        { kind: 'mobile', value: '070-404 14 99' },
      ],
    }).id;
    // An unprotected person with markers too: addresses are never searchable for anyone.
    openId = c.ok('person.create', {
      birthDate: '2010-01-01',
      givenName: 'Öppen',
      familyName: 'Person',
      addresses: [{ kind: 'registered', street: `${MARK}vagen 3`, postalCode: '40415', city: `${MARK}by`, country: 'SE' }],
    }).id;
  });
  afterAll(() => c.dispose());

  it('is found by name and by number, flagged protected, without address', () => {
    for (const q of ['skyddadsson', 'hemlig', 'hemlig skydd', 'ddads', '201412018762', '141201-8762', '8762']) {
      const r = c.ok('search.query', { q });
      const hit = r.items.find((h) => h.type === 'person' && h.id === protectedId);
      expect(hit, q).toMatchObject({ protected: true });
      expect(JSON.stringify(r).toLowerCase(), q).not.toContain(MARK);
      expect(JSON.stringify(r), q).not.toContain(POSTAL);
    }
  });

  it('is never found by any part of its address or contact details', () => {
    const probes = [MARK, `${MARK}gatan`, `${MARK}gatan 12`, 'gatan 12', `${MARK}stad`, `${MARK}careof`, 'careof', POSTAL, '404 14', '40414', `${MARK}@example.invalid`, 'example.invalid', '070-404 14 99', '0704041499', 'qxz', 'marker'];
    for (const q of probes) {
      const r = c.ok('search.query', { q, limit: 100 });
      expect(personIds(r).includes(protectedId), q).toBe(false);
      expect(personIds(r).includes(openId), q).toBe(false);
      expect(JSON.stringify(r).toLowerCase(), q).not.toContain(MARK);
    }
  });

  it('nothing about the address reaches the search index', () => {
    const row = c.db.sqlite.prepare('SELECT search_text FROM person WHERE id = ?').get(protectedId) as { search_text: string };
    expect(row.search_text).not.toContain(MARK);
    expect(row.search_text).not.toContain(POSTAL);
    const tokens = c.db.sqlite.prepare('SELECT token FROM person_name_token WHERE person_id = ?').all(protectedId);
    expect(JSON.stringify(tokens)).not.toContain(MARK);
  });
});

describe('prefixesDistinct', () => {
  it('needs a different name word for each query word', async () => {
    const { prefixesDistinct } = await import('./search');
    expect(prefixesDistinct(['ali', 'ali'], ['ali', 'ake'])).toBe(false);
    expect(prefixesDistinct(['ali', 'ali'], ['ali', 'alin'])).toBe(true);
    expect(prefixesDistinct(['anna', 'k'], ['anna', 'karin', 'berg'])).toBe(true);
    expect(prefixesDistinct(['an', 'anna'], ['anna'])).toBe(false);
    expect(prefixesDistinct([], ['x'])).toBe(true);
  });
});
