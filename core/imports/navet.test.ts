/**
 * The Navet reader: every mapped element of Navetavisering.xsd (hand-written fixture), tilltalsnamn, complete and
 * partial posts, replaced numbers, protection, and the error policy with line-precise problems.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSwedishPersonnummer } from '../../shared/identity';
import { PopulationFileError } from './model';
import { readNavet, resolveTilltalsnamn, tilltalsnamnMarker } from './navet';
import { bytes, collect, lineOf } from './fixtures/collect';

const TODAY = '2026-12-03';
const FULL = readFileSync(join(__dirname, 'fixtures', 'navet-full.xml'), 'utf8');
const read = (text: string | Buffer, opts: Parameters<typeof readNavet>[1] = {}, chunk?: number) => collect(readNavet(bytes(text, chunk), { today: TODAY, ...opts }));

const CHILD = '201605172384';
const MOTHER = '198402294022';
const FATHER = '198211031177';

/** A Navet file around the given posts (no Aviseringsinformation unless given). */
function doc(posts: string, info = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Navetavisering xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${info}<Folkbokforingsposter>\n${posts}</Folkbokforingsposter>\n</Navetavisering>\n`;
}
function post(personNr: string, body = '', outer = ''): string {
  return `<Folkbokforingspost>${outer}\n<Personpost>\n<PersonId><PersonNr>${personNr}</PersonNr></PersonId>\n${body}</Personpost>\n</Folkbokforingspost>\n`;
}

describe('the full fixture', () => {
  it('validates as a whole: header first, eight records, a summary last, no problems', async () => {
    const c = await read(FULL);
    expect(c.error).toBeNull();
    expect(c.problems).toEqual([]);
    expect(c.records).toHaveLength(8);
    expect(c.order[0]).toBe('header');
    expect(c.order[c.order.length - 1]).toBe('end');
    expect(c.summary).toMatchObject({ records: 8, skippedRecords: 0, problems: 0, bytesRead: Buffer.byteLength(FULL) });
  });

  it('maps Aviseringsinformation to the header: a single UtsokningsdatumFromTom date is a full extract', async () => {
    const { header } = await read(FULL);
    expect(header).toEqual({
      format: 'navet',
      country: 'SE',
      kind: 'full',
      kindBasis: 'UtsokningsdatumFromTom 20261130 is a single extract date',
      createdAt: '2026-12-01',
      ordering: { basis: 'navet_selection_dates', stream: '162120000019/00012345', from: null, to: 20261130, serial: 17, part: 1, parts: 1 },
      producer: 'Skatteverket',
      recipient: 'Ekdala kommun',
      fileName: 'NAVET.GRUND.20261201.XML',
      declaredRecords: 8,
    });
  });

  it('maps a child: identity, tilltalsnamn, registration with history, addresses, relations, citizenship, immigration', async () => {
    const [child] = (await read(FULL)).records;
    expect(child!.source).toEqual({ line: lineOf(FULL, '<Folkbokforingspost>'), column: 5, index: 1 });
    expect(child!.completeness).toBe('complete');
    expect(child!.partialMode).toBeNull();
    expect(child!.identity).toEqual({ canonical: CHILD, kind: 'se_personnummer', country: 'SE', status: 'in_use', validFrom: null, validTo: null });
    expect(child!.names).toEqual([
      { given: 'Hedvig Britt-Marie', middle: null, family: 'Åberg', preferred: 'Britt-Marie', preferredMarker: '23', short: null, validFrom: null, validTo: null, current: true },
    ]);
    expect(child!.birthDate).toBe('2016-05-17');
    expect(child!.sex).toBe('F');
    expect(child!.sexSource).toBe('identity_number');
    expect(child!.statuses).toEqual([{ code: 'active', registerCode: null, date: null, country: null, current: true }]);
    expect(child!.registrations).toEqual([
      { municipalityCode: '9901', countyCode: '99', district: '990101', registerType: 'FB', property: 'EKDALA ROSEN 4', validFrom: '2016-05-20', validTo: null, current: true },
      // Historik states no end date: the earlier registration ends the day before the next one began.
      { municipalityCode: '0180', countyCode: '01', district: null, registerType: null, property: null, validFrom: '2016-05-17', validTo: '2016-05-19', current: false },
    ]);
    expect(child!.addresses).toEqual([
      expect.objectContaining({ kind: 'registered', careOf: 'Familjen Åberg', lines: ['STORGATAN 12 LGH 1103'], street: 'STORGATAN 12 LGH 1103', postalCode: '101 11', city: 'EKDALA', country: 'SE', dwelling: 'lagenhet:1234567', validFrom: '2016-05-20', validTo: null, current: true }),
      expect.objectContaining({ kind: 'postal', careOf: null, lines: ['BOX 17', 'SKOLVÄGEN 3'], street: 'BOX 17, SKOLVÄGEN 3', postalCode: '101 12', city: 'EKDALA', validFrom: null, current: true }),
      expect.objectContaining({ kind: 'registered', lines: ['GAMLA VÄGEN 1'], postalCode: '111 22', city: 'STOCKHOLM', validFrom: null, validTo: '2016-05-19', current: false }),
    ]);
    expect(child!.relations.map((r) => [r.kind, r.registerCode, r.other.identity?.canonical, r.validFrom, r.validTo, r.registerStatus, r.current])).toEqual([
      ['custodian', 'V', MOTHER, '2016-05-17', null, null, true],
      ['custodian', 'V', FATHER, '2016-05-17', '2024-03-01', null, false],
      ['mother', 'MO', MOTHER, null, null, null, true],
      ['father', 'FA', FATHER, null, null, 'NY', true],
    ]);
    expect(child!.citizenships).toEqual([
      { country: 'SE', codeSystem: 'iso3166-alpha2', from: '2016-05-17', validTo: null, current: true },
      { country: 'FI', codeSystem: 'iso3166-alpha2', from: null, validTo: null, current: true },
    ]);
    expect(child!.immigrationDate).toBe('2023-08-15');
    expect(child!.protection).toEqual([{ level: 'none', registerCodes: [], from: null, to: null, current: true }]);
    expect(child!.sharedResidences).toEqual([]);
    expect(child!.event).toBeNull();
  });

  it('maps sekretessmarkering, Aviseringsnamn and relations to persons without a Swedish number', async () => {
    const mother = (await read(FULL)).records[1]!;
    expect(mother.protection).toEqual([{ level: 'se_sekretessmarkering', registerCodes: ['sekretessmarkering'], from: null, to: null, current: true }]);
    expect(mother.names[0]).toMatchObject({ given: 'Anna Maria', middle: 'Lind', family: 'Åberg', preferred: 'Anna', short: 'Lind Åberg, Anna' });
    expect(mother.relations.map((r) => [r.kind, r.registerCode])).toEqual([
      ['custody_of', 'VF'],
      ['child', 'B'],
      ['spouse', 'M'],
      ['parent', 'F'],
    ]);
    expect(mother.relations[3]!.other).toEqual({ identity: null, birthDate: '1955-03-11', name: { given: 'Karin', middle: null, family: 'Lind' }, organisationNumber: null, deregistration: { code: 'AV', date: '2020-03' } });
  });

  it('maps skyddad folkbokföring (no address is delivered) and an ended custody relation', async () => {
    const father = (await read(FULL)).records[2]!;
    expect(father.protection[0]).toEqual({ level: 'se_skyddad_folkbokforing', registerCodes: ['sekretessmarkering', 'skyddad_folkbokforing'], from: null, to: null, current: true });
    expect(father.addresses).toEqual([]);
    expect(father.registrations).toEqual([expect.objectContaining({ municipalityCode: '9901', validFrom: null, current: true })]);
    expect(father.relations[0]).toMatchObject({ kind: 'custody_of', registerStatus: 'AS', validTo: '2024-03-01', current: false });
  });

  it('maps a replaced samordningsnummer both ways: the old post points forward, the new one back', async () => {
    const [, , , old, renewed] = (await read(FULL)).records;
    expect(old!.identity).toMatchObject({ canonical: '199007742712', kind: 'se_samordningsnummer', status: 'ceased' });
    expect(old!.statuses).toEqual([{ code: 'number_replaced', registerCode: 'GS', date: '2026-11-15', country: null, current: true }]);
    expect(old!.replacedBy).toEqual({ canonical: '199007142756', kind: 'se_personnummer', country: 'SE' });
    expect(old!.previousIdentities).toEqual([]);
    // A samordningsnummer carries the birth day + 60; the birth date is the real one.
    expect(old!.birthDate).toBe('1990-07-14');
    expect(renewed!.identity).toMatchObject({ canonical: '199007142756', status: 'in_use' });
    expect(renewed!.replacedBy).toBeNull();
    expect(renewed!.previousIdentities).toEqual([{ canonical: '199007742712', kind: 'se_samordningsnummer', country: 'SE', status: 'ceased', validFrom: null, validTo: null }]);
  });

  it('maps deceased and emigrated posts, a foreign address and an incomplete birth date', async () => {
    const [, , , , , dead, emigrant, nil] = (await read(FULL)).records;
    expect(dead!.statuses).toEqual([{ code: 'deceased', registerCode: 'AV', date: '2026-11-20', country: null, current: true }]);
    expect(emigrant!.identity!.canonical).toBe('197912246688'); // read from TilldelatPersonNrSamordningsNr
    expect(emigrant!.statuses[0]).toMatchObject({ code: 'emigrated', registerCode: 'UV', date: '2026-10-01' });
    expect(emigrant!.birthDate).toBe('1979-12');
    expect(emigrant!.addresses).toEqual([
      expect.objectContaining({ kind: 'foreign', lines: ['STORGATA 5', '0155 OSLO'], countryName: 'NORGE', country: null, postalCode: null, validFrom: '2026-10-01' }),
    ]);
    // xsi:nil values: a nil Sekretessmarkering means N, a nil Fornamn no given name.
    expect(nil!.protection[0]!.level).toBe('none');
    expect(nil!.names[0]!.given).toBe('');
  });

  it('reads the same records whatever the chunk boundaries (one byte at a time)', async () => {
    const whole = await read(FULL);
    const bytewise = await read(FULL, {}, 1);
    expect(bytewise.records).toEqual(whole.records);
    expect(bytewise.header).toEqual(whole.header);
  });

  it('reports progress as bytes read, ending at the file size', async () => {
    const seen: number[] = [];
    await read(FULL, { onProgress: (b) => seen.push(b) }, 1000);
    expect(seen.length).toBeGreaterThan(5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[seen.length - 1]).toBe(Buffer.byteLength(FULL));
  });
});

describe('tilltalsnamn', () => {
  it.each([
    ['Eva Ulla-Karin Isa', '23', 'Ulla-Karin'],
    ['Eva Ulla-Karin Isa', '40', 'Isa'],
    ['Eva Ulla-Karin Isa', '10', 'Eva'],
    ['Kjell Olof Stig', '12', 'Kjell Olof'],
    ['Hedvig Britt-Marie', '23', 'Britt-Marie'],
    ['Eva Mia', '20', 'Mia'],
    ['Karl Johan Erik', '13', 'Karl Erik'],
  ])('%s with marker %s is %s, and the marker comes back from it', (given, marker, preferred) => {
    expect(resolveTilltalsnamn(given, marker)).toBe(preferred);
    expect(resolveTilltalsnamn(given, tilltalsnamnMarker(given, preferred)!)).toBe(preferred);
  });

  it.each([
    ['Eva Mia', '30'],
    ['Eva Mia', '21'],
    ['Eva Mia', '05'],
  ])('%s has no name at marker %s', (given, marker) => {
    expect(resolveTilltalsnamn(given, marker)).toBeNull();
  });

  it('reports a marker that names a given name that does not exist, on its line', async () => {
    const text = doc(post(CHILD, '<Namn>\n<Tilltalsnamnsmarkering>30</Tilltalsnamnsmarkering>\n<Fornamn>Eva Mia</Fornamn>\n<Efternamn>Berg</Efternamn>\n</Namn>\n'));
    const c = await read(text);
    expect(c.records).toEqual([]);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'inconsistent', line: lineOf(text, '<Tilltalsnamnsmarkering>'), element: 'Tilltalsnamnsmarkering', subject: CHILD, recordIndex: 1 })]);
  });
});

describe('notices (deltas)', () => {
  const info = (sel: string, extra = '') =>
    `<Aviseringsinformation><Medieleverantor><OrgNr>162021005448</OrgNr></Medieleverantor><Mediemottagare><OrgNr>162120000019</OrgNr></Mediemottagare>` +
    `<Filinformation><BestallningsId>00012345-FO01-0001</BestallningsId><Bestallningstyp>X</Bestallningstyp><Produkt>NAVET</Produkt><Utfil><Filnamn>A</Filnamn>` +
    `<Effektueringsdatum>20261203</Effektueringsdatum><AntalPoster>1</AntalPoster><AntalPosterTotalt>1</AntalPosterTotalt><AntalFiler>2</AntalFiler><FilNr>1</FilNr>` +
    `<JobbId>1</JobbId><LopNr>44</LopNr>${extra}${sel ? `<UtsokningsdatumFromTom>${sel}</UtsokningsdatumFromTom>` : ''}</Utfil></Filinformation></Aviseringsinformation>\n`;

  it('reads a selection period as a delta with its dates as the ordering', async () => {
    const c = await read(doc(post(CHILD), info('20261126-20261202')));
    expect(c.header).toMatchObject({
      kind: 'delta',
      kindBasis: 'UtsokningsdatumFromTom 20261126-20261202 is a selection period',
      ordering: { basis: 'navet_selection_dates', stream: '162120000019', from: 20261126, to: 20261202, serial: 44, part: 1, parts: 2 },
    });
  });

  it('never takes a file without a selection date for a full extract unless told so', async () => {
    const without = await read(doc(post(CHILD), info('')));
    expect(without.header).toMatchObject({ kind: 'delta', ordering: null });
    const bare = await read(doc(post(CHILD)));
    expect(bare.header).toMatchObject({ kind: 'delta', ordering: null, kindBasis: expect.stringContaining('no Aviseringsinformation') });
    const told = await read(doc(post(CHILD)), { kind: 'full' });
    expect(told.header).toMatchObject({ kind: 'full', kindBasis: 'the kind option' });
  });

  it('reads a post without totalpost as partial: only the groups present are stated, a nil group says "removed"', async () => {
    const text = doc(
      post(
        MOTHER,
        '<Namn><Fornamn>Anna</Fornamn><Efternamn>Berg</Efternamn></Namn>\n<Adresser><SarskildPostadress xsi:nil="true"/></Adresser>\n',
        '\n<Arendeuppgift andringstidpunkt="20261202101500" utsokningsdatum="20261202"><PostId>P1</PostId><Arendetyp>Namnändring</Arendetyp></Arendeuppgift>',
      ),
    );
    const c = await read(text);
    expect(c.problems).toEqual([]);
    const r = c.records[0]!;
    expect(r.completeness).toBe('partial');
    expect(r.partialMode).toBe('replace_parts');
    expect(r.parts).toEqual(['identity', 'name', 'birth', 'sex', 'address.postal']);
    expect(r.addresses).toEqual([]);
    expect(r.protection).toEqual([]);
    expect(r.statuses).toEqual([]);
    expect(r.event).toEqual({ sequence: null, documentId: 'P1', type: 'Namnändring', recordedAt: '20261202101500', changes: [] });
  });

  it('refuses to decide the protection from one flag of a partial post', async () => {
    const text = doc(post(MOTHER, '', '\n<Sekretessmarkering>J</Sekretessmarkering>\n<Arendeuppgift/>'));
    const c = await read(text);
    expect(c.records).toEqual([]);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'inconsistent', element: 'Sekretessmarkering', line: lineOf(text, '<Sekretessmarkering>') })]);
  });

  it('reads a post with totalpost="J" as complete', async () => {
    const c = await read(doc(post(MOTHER, '', '<Arendeuppgift totalpost="J"/>')));
    expect(c.records[0]!.completeness).toBe('complete');
    expect(c.records[0]!.protection[0]!.level).toBe('none');
  });
});

describe('problems skip one record, with its line', () => {
  it('a bad check digit on line M: that record is skipped and the others are read', async () => {
    const bad = '201605172385';
    const text = doc(post(MOTHER) + post(bad) + post(FATHER));
    const c = await read(text);
    expect(c.error).toBeNull();
    expect(c.records.map((r) => r.identity!.canonical)).toEqual([MOTHER, FATHER]);
    expect(c.problems).toEqual([
      {
        line: lineOf(text, bad),
        column: 11,
        element: 'PersonNr',
        reason: `<PersonNr> ${bad}: Check digit is 5 but should be 4`,
        code: 'bad_identity_number',
        severity: 'record',
        recordIndex: 2,
        subject: bad,
      },
    ]);
    expect(c.summary).toMatchObject({ records: 2, skippedRecords: 1, problems: 1 });
  });

  it('a relation naming a number with a bad check digit skips the record', async () => {
    const text = doc(post(CHILD, '<Relationer>\n<Relation><RelationId><PersonNr>198402294023</PersonNr></RelationId><Relationstyp>V</Relationstyp></Relation>\n</Relationer>\n'));
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'bad_identity_number', line: lineOf(text, '198402294023'), subject: CHILD })]);
  });

  it.each([
    ['an unknown code', '<Avregistrering>\n<AvregistreringsorsakKod>XX</AvregistreringsorsakKod>\n</Avregistrering>\n', 'AvregistreringsorsakKod', 'unknown_code', 'is not one of AV, UV, GN, AN, AS, GS, OB, TA'],
    ['an unknown relation type', '<Relationer>\n<Relation><RelationId><PersonNr>198402294022</PersonNr></RelationId>\n<Relationstyp>VH</Relationstyp></Relation>\n</Relationer>\n', 'Relationstyp', 'unknown_code', '"VH"'],
    ['an unknown element', '<Namn>\n<Smeknamn>Bosse</Smeknamn>\n</Namn>\n', 'Smeknamn', 'unknown_element', '<Smeknamn> is not allowed in <Namn>'],
    ['a misplaced element', '<Namn>\n<Efternamn>Berg</Efternamn>\n<Fornamn>Eva</Fornamn>\n</Namn>\n', 'Fornamn', 'element_order', '<Fornamn> must come before <Efternamn>'],
    ['a repeated element', '<Namn>\n<Fornamn>Eva</Fornamn>\n<Fornamn>Mia</Fornamn>\n</Namn>\n', 'Fornamn', 'repeated_element', 'only once'],
    ['a date that is not a date', '<Fodelsedatum>20230230</Fodelsedatum>\n', 'Fodelsedatum', 'bad_date', '20230230 is not a date'],
    ['a value too long', `<Namn>\n<Efternamn>${'Å'.repeat(61)}</Efternamn>\n</Namn>\n`, 'Efternamn', 'bad_value', 'at most 60'],
    ['a J/N flag with another value', '', 'Sekretessmarkering', 'unknown_code', '"X"'],
    ['an unknown attribute', '<Namn>\n<Fornamn kalla="x">Eva</Fornamn>\n</Namn>\n', 'Fornamn', 'unknown_attribute', 'kalla'],
    ['text where elements belong', '<Adresser>\nStorgatan 1\n</Adresser>\n', 'Adresser', 'unexpected_text', 'holds elements, not text'],
  ])('%s', async (_what, body, element, code, reason) => {
    const outer = element === 'Sekretessmarkering' ? '\n<Sekretessmarkering>X</Sekretessmarkering>' : '';
    const text = doc(post(MOTHER) + post(CHILD, body, outer));
    const c = await read(text);
    expect(c.records.map((r) => r.identity!.canonical)).toEqual([MOTHER]);
    expect(c.problems).toHaveLength(1);
    const p = c.problems[0]!;
    expect(p).toMatchObject({ element, code, severity: 'record', recordIndex: 2, subject: CHILD });
    expect(p.reason).toContain(reason);
    const needle = element === 'Adresser' ? '<Adresser>' : code === 'element_order' ? '<Fornamn>' : code === 'repeated_element' ? '<Fornamn>Mia' : `<${element}`;
    expect(p.line).toBe(lineOf(text, needle, text.lastIndexOf('<Folkbokforingspost>', text.indexOf(CHILD))));
  });

  it('a missing required element is reported at its parent', async () => {
    const text = doc(post(CHILD, '<Relationer>\n<Relation><RelationId><PersonNr>198402294022</PersonNr></RelationId></Relation>\n</Relationer>\n'));
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'missing_element', element: 'Relation', reason: '<Relation> lacks <Relationstyp>', line: lineOf(text, '<Relation>') })]);
  });

  it('bytes that are not UTF-8 are reported at the element holding them', async () => {
    const text = doc(post(CHILD, '<Namn>\n<Efternamn>BERG</Efternamn>\n</Namn>\n'));
    const buf = Buffer.from(text, 'utf8');
    const at = buf.indexOf('BERG');
    buf[at + 1] = 0xff;
    const c = await read(buf);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'bad_value', element: 'Efternamn', line: lineOf(text, 'BERG') })]);
  });

  it('a stray element between posts is reported and skipped; the posts around it are read', async () => {
    const text = doc(post(MOTHER) + '<Kommentar>x</Kommentar>\n' + post(CHILD));
    const c = await read(text);
    expect(c.records).toHaveLength(2);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'unknown_element', element: 'Kommentar', line: lineOf(text, '<Kommentar>'), recordIndex: null })]);
  });
});

describe('file errors stop the read', () => {
  it('a wrong closing tag on line N', async () => {
    const text = doc(post(MOTHER) + '<Folkbokforingspost>\n<Personpost>\n<PersonId><PersonNr>201605172384</PersonNr></PersonID>\n</Personpost>\n</Folkbokforingspost>\n');
    const c = await read(text);
    expect(c.error).toBeInstanceOf(PopulationFileError);
    expect(c.error!.problem).toMatchObject({ code: 'malformed_xml', severity: 'file', line: lineOf(text, '</PersonID>') });
    expect(c.error!.problem.reason).toMatch(/^Malformed XML: /);
    expect(c.error!.message).toContain(`line ${lineOf(text, '</PersonID>')}`);
  });

  it('a file cut off in the middle of a post', async () => {
    const text = doc(post(MOTHER) + post(CHILD));
    const c = await read(text.slice(0, text.indexOf(CHILD) + 5));
    expect(c.error!.problem.code).toBe('malformed_xml');
  });

  it('fewer posts than AntalPoster says (a truncated or concatenated delivery)', async () => {
    const c = await read(FULL.replace('<AntalPoster>8</AntalPoster>', '<AntalPoster>9</AntalPoster>'));
    expect(c.error!.problem).toMatchObject({ code: 'count_mismatch', severity: 'file' });
    expect(c.error!.problem.reason).toContain('holds 9 posts (AntalPoster) but has 8');
  });

  it('a file that is not Navet', async () => {
    const c = await read('<?xml version="1.0"?>\n<enterprise><person/></enterprise>');
    expect(c.error!.problem).toMatchObject({ code: 'wrong_root', line: 2, column: 1 });
    expect(c.records).toEqual([]);
  });

  it('an invalid Aviseringsinformation: kind and order could not be trusted', async () => {
    const c = await read(FULL.replace('<LopNr>17</LopNr>', '<LopNr>sjutton</LopNr>'));
    expect(c.error!.problem).toMatchObject({ code: 'bad_value', element: 'LopNr', line: lineOf(FULL, '<LopNr>') });
    expect(c.error!.problem.reason).toContain('Aviseringsinformation is invalid');
  });

  it('more problems than maxProblems', async () => {
    const bad = Array.from({ length: 5 }, () => post('201605172385')).join('');
    const c = await read(doc(bad), { maxProblems: 3 });
    expect(c.problems).toHaveLength(3);
    expect(c.error!.problem.code).toBe('too_many_problems');
  });

  it('an encoding other than UTF-8, UTF-16 or ISO-8859-1', async () => {
    const c = await read(`<?xml version="1.0" encoding="EBCDIC-CP-SE"?>\n<Navetavisering/>`);
    expect(c.error!.problem).toMatchObject({ code: 'unsupported_encoding', line: 1 });
  });
});

describe('encodings', () => {
  it('reads an ISO-8859-1 file', async () => {
    const text = doc(post(MOTHER, '<Namn><Fornamn>Åsa</Fornamn><Efternamn>Öberg</Efternamn></Namn>\n')).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const c = await read(Buffer.from(text, 'latin1'), {}, 7);
    expect(c.problems).toEqual([]);
    expect(c.records[0]!.names[0]).toMatchObject({ given: 'Åsa', family: 'Öberg' });
  });

  it('reads UTF-8 with a byte-order mark and UTF-16 with one', async () => {
    const text = doc(post(MOTHER, '<Namn><Fornamn>Åsa</Fornamn><Efternamn>Öberg</Efternamn></Namn>\n'));
    const bom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), {}, 3);
    expect(bom.records[0]!.names[0]!.given).toBe('Åsa');
    const utf16 = await read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('UTF-8', 'UTF-16'), 'utf16le')]), {}, 5);
    expect(utf16.records[0]!.names[0]!.family).toBe('Öberg');
  });
});

describe('cancellation', () => {
  const many = doc(Array.from({ length: 400 }, (_, i) => post(makeSwedishPersonnummer('1980-01-01', i + 1))).join(''));

  it('stops reading when the signal fires and releases the input', async () => {
    const ac = new AbortController();
    const input = bytes(many, 1024);
    let records = 0;
    await expect(
      (async () => {
        for await (const it of readNavet(input, { signal: ac.signal, today: TODAY })) {
          if (it.type === 'record' && ++records === 3) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(records).toBe(3);
    expect(input.destroyed).toBe(true);
  });

  it('reads nothing when already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('closed by the clerk'));
    await expect(collect(readNavet(bytes(many), { signal: ac.signal }))).rejects.toThrow('closed by the clerk');
  });
});
