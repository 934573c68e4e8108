/**
 * The Folkeregisteret reader: the person document with history (erGjeldende picks the current entries), every
 * mapped entity, all protection grades, the event feed in Kansli's container (complete and partial records),
 * single documents, and the error policy with line-precise problems.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFreg, EVENT_NS, KANSLI_NS, PERSON_NS } from './freg';
import { bytes, collect, lineOf } from './fixtures/collect';

const TODAY = '2026-12-03';
const PERSONS = readFileSync(join(__dirname, 'fixtures', 'freg-persons.xml'), 'utf8');
const EVENTS = readFileSync(join(__dirname, 'fixtures', 'freg-events.xml'), 'utf8');
const read = (text: string | Buffer, opts: Parameters<typeof readFreg>[1] = {}, chunk?: number) =>
  collect(readFreg(bytes(text, chunk), { today: TODAY, allowSynthetic: true, ...opts }));

const CHILD = '17851651225';
const MOTHER = '29828424066';
const FATHER = '03918211763';
const SIBLING = '08831762080';

/** A single person document (root folkeregisterperson) with the given entities. */
const person = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<folkeregisterperson xmlns="${PERSON_NS}">\n${body}</folkeregisterperson>\n`;
const id = (nr: string, extra = '') =>
  `<identifikasjonsnummer>${extra}<status>iBruk</status><foedselsEllerDNummer>${nr}</foedselsEllerDNummer><identifikatortype>foedselsnummer</identifikatortype></identifikasjonsnummer>\n`;
/** A persons container with the given documents. */
const persons = (docs: string[], antall = docs.length) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<k:folkeregisterpersoner xmlns:k="${KANSLI_NS}" xmlns="${PERSON_NS}">\n` +
  `<k:uttrekk><k:opprettet>2026-12-01T06:00:00+01:00</k:opprettet><k:kommunenummer>9902</k:kommunenummer><k:sisteSekvensnummer>7</k:sisteSekvensnummer><k:antall>${antall}</k:antall></k:uttrekk>\n` +
  docs.map((d) => `<folkeregisterperson>\n${d}</folkeregisterperson>\n`).join('') +
  '</k:folkeregisterpersoner>\n';

describe('person documents', () => {
  it('reads the extract: header first, four complete records, no problems', async () => {
    const c = await read(PERSONS);
    expect(c.error).toBeNull();
    expect(c.problems).toEqual([]);
    expect(c.header).toEqual({
      format: 'freg',
      country: 'NO',
      kind: 'full',
      kindBasis: 'a <folkeregisterpersoner> extract',
      createdAt: '2026-12-01T06:00:00+01:00',
      ordering: { basis: 'freg_sequence', stream: '9902', from: null, to: 500100, serial: null, part: 1, parts: 1 },
      producer: 'Skatteetaten (Folkeregisteret)',
      recipient: '9902',
      fileName: null,
      declaredRecords: 4,
    });
    expect(c.records.map((r) => [r.identity!.canonical, r.completeness, r.parts.length])).toEqual([
      [CHILD, 'complete', 15],
      ['14879027595', 'complete', 15],
      [SIBLING, 'complete', 15],
      [MOTHER, 'complete', 15],
    ]);
  });

  it('keeps history and takes the current values from erGjeldende', async () => {
    const child = (await read(PERSONS)).records[0]!;
    expect(child.source).toEqual({ line: lineOf(PERSONS, '<folkeregisterperson>'), column: 3, index: 1 });
    expect(child.names).toEqual([
      { given: 'Ingrid Sofie', middle: 'Haugen', family: 'Hansen', preferred: null, preferredMarker: null, short: 'Hansen Ingrid S H', validFrom: '2020-03-01', validTo: null, current: true },
      { given: 'Ingrid', middle: null, family: 'Hansen', preferred: null, preferredMarker: null, short: null, validFrom: '2016-05-18', validTo: '2020-03-01', current: false },
    ]);
    expect(child.registrations).toEqual([
      // flyttedato is the registration's date; a UTC opphoerstidspunkt is a Norwegian date.
      { municipalityCode: '9902', countyCode: null, district: '7', registerType: null, property: null, validFrom: '2021-07-30', validTo: null, current: true },
      { municipalityCode: '0301', countyCode: null, district: null, registerType: null, property: null, validFrom: '2016-05-17', validTo: '2021-08-01', current: false },
    ]);
    expect(child.protection).toEqual([
      { level: 'none', registerCodes: [], from: null, to: null, current: true },
      { level: 'no_fortrolig', registerCodes: ['fortrolig'], from: '2019-01-01', to: '2020-01-01', current: false },
    ]);
  });

  it('maps the addresses: bosted with history, post box, a temporary address abroad, and delt bosted', async () => {
    const child = (await read(PERSONS)).records[0]!;
    expect(child.addresses).toEqual([
      expect.objectContaining({ kind: 'registered', lines: ['Gamleveien 3'], postalCode: '0150', city: 'OSLO', municipalityCode: '0301', grading: 'ugradert', validFrom: '2016-05-17', validTo: '2021-08-01', current: false }),
      {
        kind: 'registered',
        careOf: 'c/o Hansen',
        lines: ['Storgata 12B H0101'],
        street: 'Storgata 12B H0101',
        postalCode: '1001',
        city: 'EIKVIK',
        country: 'NO',
        countryName: null,
        municipalityCode: '9902',
        dwelling: '987654/H0101',
        grading: 'ugradert',
        validFrom: '2021-07-30',
        validTo: null,
        current: true,
      },
      expect.objectContaining({ kind: 'postal', lines: ['Hansen', 'Postboks 55'], postalCode: '1009', city: 'EIKVIK', current: true }),
      expect.objectContaining({ kind: 'temporary', lines: ['Storgatan 1'], postalCode: '111 22', city: 'Stockholm', country: 'SE', validFrom: '2026-06-20', current: true }),
    ]);
    expect(child.sharedResidences).toEqual([
      { address: expect.objectContaining({ lines: ['Eikeveien 4'], postalCode: '1002', municipalityCode: '9902', validFrom: '2024-01-01', validTo: null }), municipalityCode: '9902', from: '2024-01-01', to: null, current: true },
    ]);
  });

  it('maps foreldreansvar and familierelasjon, kjønn, fødsel and statsborgerskap', async () => {
    const child = (await read(PERSONS)).records[0]!;
    expect(child.relations.map((r) => [r.kind, r.registerCode, r.custody, r.other.identity?.canonical, r.validFrom, r.current])).toEqual([
      ['custodian', 'foreldreansvar:felles', 'joint', MOTHER, '2016-05-18', true],
      ['custodian', 'foreldreansvar:felles', 'joint', FATHER, '2016-05-18', true],
      ['mother', 'familierelasjon:mor', null, MOTHER, null, true],
      ['father', 'familierelasjon:far', null, FATHER, null, true],
      ['sibling', 'familierelasjon:soesken', null, SIBLING, null, true],
    ]);
    expect(child.sex).toBe('F');
    expect(child.sexSource).toBe('register');
    expect(child.birthDate).toBe('2016-05-17');
    expect(child.citizenships).toEqual([{ country: 'NOR', codeSystem: 'iso3166-alpha3', from: '2016-05-17', validTo: null, current: true }]);
    expect(child.statuses).toEqual([{ code: 'active', registerCode: 'bosatt', date: '2016-05-18', country: null, current: true }]);
  });

  it('maps a D-nummer replaced by a fødselsnummer, a matrikkeladresse, fortrolig adresse and innflytting', async () => {
    const r = (await read(PERSONS)).records[1]!;
    expect(r.identity).toEqual({ canonical: '14879027595', kind: 'no_synthetic', country: 'NO', status: 'in_use', validFrom: '2026-11-10', validTo: null });
    expect(r.previousIdentities).toEqual([{ canonical: '54879027155', kind: 'no_synthetic', country: 'NO', status: 'ceased', validFrom: '2012-02-01', validTo: '2026-11-10' }]);
    expect(r.statuses.map((s) => [s.registerCode, s.current])).toEqual([
      ['bosatt', true],
      ['midlertidig', false],
    ]);
    expect(r.addresses).toEqual([expect.objectContaining({ kind: 'registered', lines: ['Nordre Haugen', '12/34/2 H0201'], municipalityCode: '9902', grading: 'fortrolig', validFrom: '2026-11-01' })]);
    expect(r.protection).toEqual([{ level: 'no_fortrolig', registerCodes: ['fortrolig'], from: '2026-11-10', to: null, current: true }]);
    expect(r.immigrationDate).toBe('2012-02-01');
    // foedsel gives only the year; the number carries the whole date (and the sex, under the classic rule).
    expect(r.birthDate).toBe('1990-07-14');
    expect(r.sex).toBe('M');
    expect(r.sexSource).toBe('identity_number');
  });

  it('maps strengt fortrolig adresse (no address at all), an organisation with parental responsibility and a verge', async () => {
    const r = (await read(PERSONS)).records[2]!;
    expect(r.protection[0]).toEqual({ level: 'no_strengt_fortrolig', registerCodes: ['strengtFortrolig'], from: null, to: null, current: true });
    expect(r.addresses).toEqual([]);
    expect(r.registrations).toEqual([]);
    expect(r.relations).toEqual([
      expect.objectContaining({ kind: 'custodian', custody: 'other', other: { identity: null, birthDate: null, name: null, organisationNumber: '974778874', deregistration: null } }),
      expect.objectContaining({ kind: 'appointed_guardian', registerCode: 'verge:ensligMindreaarigAsylsoeker', other: expect.objectContaining({ name: { given: 'Kari', middle: null, family: 'Verge' } }) }),
    ]);
    // Without erGjeldende on any entry, the entries that have not ended are current.
    expect(r.statuses[0]).toMatchObject({ code: 'active', current: true });
  });

  it('maps an emigrant: status, destination, post abroad, custody of a child; leaves out a stillborn child', async () => {
    const r = (await read(PERSONS)).records[3]!;
    expect(r.statuses).toEqual([
      { code: 'emigrated', registerCode: 'utflyttet', date: '2026-10-02', country: 'SWE', current: true },
      { code: 'active', registerCode: 'bosatt', date: null, country: null, current: false },
    ]);
    expect(r.addresses).toEqual([expect.objectContaining({ kind: 'foreign', lines: ['Kungsgatan 5'], postalCode: '411 19', city: 'Göteborg', country: 'SE', validFrom: '2026-10-02' })]);
    expect(r.relations.map((x) => [x.kind, x.custody, x.other.identity?.canonical])).toEqual([
      ['custody_of', 'joint', CHILD],
      ['child', null, CHILD],
    ]);
  });

  it.each([
    ['ugradert', 'none'],
    ['klientadresse', 'no_klientadresse'],
    ['fortrolig', 'no_fortrolig'],
    ['strengtFortrolig', 'no_strengt_fortrolig'],
  ])('maps graderingsnivaa %s to %s', async (grade, level) => {
    const c = await read(person(id(CHILD) + `<adressebeskyttelse><erGjeldende>true</erGjeldende><graderingsnivaa>${grade}</graderingsnivaa></adressebeskyttelse>\n`));
    expect(c.problems).toEqual([]);
    expect(c.records[0]!.protection.find((p) => p.current)!.level).toBe(level);
    expect(c.header).toMatchObject({ kind: 'delta', ordering: null });
  });

  it('refuses synthetic numbers outside demo and test mode', async () => {
    const text = person(id(CHILD));
    const c = await read(text, { allowSynthetic: false });
    expect(c.records).toEqual([]);
    expect(c.problems[0]).toMatchObject({ code: 'bad_identity_number', line: lineOf(text, CHILD), element: 'foedselsEllerDNummer' });
    expect(c.problems[0]!.reason).toContain('synthetic test number');
  });

  it('reads the same whatever the chunk boundaries', async () => {
    expect((await read(PERSONS, {}, 3)).records).toEqual((await read(PERSONS)).records);
  });
});

describe('the event feed', () => {
  it('reads the header as a delta covering fraSekvensnummer–tilSekvensnummer', async () => {
    const c = await read(EVENTS);
    expect(c.problems).toEqual([]);
    expect(c.header).toMatchObject({ kind: 'delta', ordering: { basis: 'freg_sequence', stream: '9902', from: 500101, to: 500110 }, declaredRecords: 4 });
    expect(c.records.map((r) => r.event!.sequence)).toEqual([500101, 500104, 500107, 500110]);
  });

  it('an event without its person document is a partial record carrying only the changed entity', async () => {
    const [moved] = (await read(EVENTS)).records;
    expect(moved!.completeness).toBe('partial');
    expect(moved!.partialMode).toBe('apply_changes');
    expect(moved!.parts).toEqual(['identity', 'registration', 'address.registered']);
    expect(moved!.identity!.canonical).toBe(CHILD);
    expect(moved!.addresses).toEqual([expect.objectContaining({ kind: 'registered', lines: ['Sjøgata 8'], validFrom: '2026-11-28', current: true })]);
    expect(moved!.names).toEqual([]);
    expect(moved!.event).toEqual({
      sequence: 500101,
      documentId: 'c0134f24-44b1-4ed4-9d21-1c3d796b767e',
      type: 'endringIBostedsadresse',
      recordedAt: '2026-12-01T10:15:00+01:00',
      changes: [{ entity: 'bostedsadresse', change: 'registrereNy' }],
    });
  });

  it('maps the entity name kontaktadresse to the postadresse it carries', async () => {
    const post = (await read(EVENTS)).records[1]!;
    expect(post.parts).toEqual(['identity', 'address.postal']);
    expect(post.addresses).toEqual([expect.objectContaining({ kind: 'postal', lines: ['Postboks 9'] })]);
    expect(post.event!.changes).toEqual([{ entity: 'postadresse', change: 'korrigere' }]);
  });

  it('an annulment carries no entity: only the change is stated', async () => {
    const annulled = (await read(EVENTS)).records[2]!;
    expect(annulled.parts).toEqual(['identity']);
    expect(annulled.protection).toEqual([]);
    expect(annulled.event!.changes).toEqual([{ entity: 'adressebeskyttelse', change: 'annullere' }]);
  });

  it('an event with its person document is a complete record of the person after the event', async () => {
    const dead = (await read(EVENTS)).records[3]!;
    expect(dead.completeness).toBe('complete');
    expect(dead.statuses).toEqual([
      { code: 'deceased', registerCode: 'doed', date: '2026-11-29', country: null, current: true },
      { code: 'active', registerCode: 'bosatt', date: '2000-01-01', country: null, current: false },
    ]);
    expect(dead.event).toMatchObject({ type: 'personErDoed', changes: [{ entity: 'status', change: 'registrereNy' }, { entity: 'doedsfall', change: 'registrereNy' }] });
  });

  it('reads a bare dokumentForHendelse', async () => {
    const start = EVENTS.indexOf('<h:dokumentForHendelse>');
    const one = EVENTS.slice(start, EVENTS.indexOf('</h:dokumentForHendelse>') + '</h:dokumentForHendelse>'.length).replace('<h:dokumentForHendelse>', `<h:dokumentForHendelse xmlns:h="${EVENT_NS}">`);
    const c = await read(one);
    expect(c.problems).toEqual([]);
    expect(c.header).toMatchObject({ kind: 'delta', ordering: null });
    expect(c.records[0]!.event).toMatchObject({ sequence: null, type: 'endringIBostedsadresse' });
  });
});

describe('problems skip one record, with its line', () => {
  it('a bad check digit', async () => {
    const bad = '17851651226';
    const text = persons([id(CHILD), id(bad), id(MOTHER)]);
    const c = await read(text);
    expect(c.records.map((r) => r.identity!.canonical)).toEqual([CHILD, MOTHER]);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'bad_identity_number', element: 'foedselsEllerDNummer', line: lineOf(text, bad), recordIndex: 2, subject: bad })]);
  });

  it('an unknown code', async () => {
    const text = persons([id(CHILD) + '<adressebeskyttelse>\n<graderingsnivaa>hemmelig</graderingsnivaa>\n</adressebeskyttelse>\n']);
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'unknown_code', element: 'graderingsnivaa', line: lineOf(text, 'hemmelig'), subject: CHILD })]);
  });

  it('a date in a format xs:date does not allow', async () => {
    const text = persons([id(CHILD) + '<foedsel>\n<foedselsdato>20160517</foedselsdato>\n<foedselsaar>2016</foedselsaar>\n</foedsel>\n']);
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'bad_date', element: 'foedselsdato', line: lineOf(text, '<foedselsdato>') })]);
  });

  it('an element in the wrong namespace', async () => {
    const text = persons([id(CHILD) + `<navn xmlns="urn:other"><fornavn>A</fornavn><etternavn>B</etternavn></navn>\n`]);
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'unknown_element', element: 'navn', line: lineOf(text, '<navn ') })]);
    expect(c.problems[0]!.reason).toContain('in namespace "urn:other"');
  });

  it('entities out of the XSD order, and a missing required element', async () => {
    const text = persons([id(CHILD) + '<navn><fornavn>A</fornavn><etternavn>B</etternavn></navn>\n<kjoenn><kjoenn>mann</kjoenn></kjoenn>\n<statsborgerskap><ervervsdato>2001-01-01</ervervsdato></statsborgerskap>\n']);
    const c = await read(text);
    expect(c.problems.map((p) => [p.code, p.element, p.line])).toEqual([
      ['element_order', 'kjoenn', lineOf(text, '<kjoenn><kjoenn>')],
      ['element_order', 'statsborgerskap', lineOf(text, '<statsborgerskap>')],
      ['missing_element', 'statsborgerskap', lineOf(text, '<statsborgerskap>')],
    ]);
  });

  it('erGjeldende inside an event entity (the Hendelsedokument has none)', async () => {
    const text = EVENTS.replace('<h:bostedsadresse>\n', '<h:bostedsadresse>\n<h:erGjeldende>true</h:erGjeldende>\n');
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'unknown_element', element: 'erGjeldende', line: lineOf(text, '<h:erGjeldende>'), recordIndex: 1 })]);
    expect(c.records).toHaveLength(3);
  });

  it('an identifikatortype that contradicts the number', async () => {
    const text = persons([id(CHILD).replace('foedselsnummer</identifikatortype>', 'dNummer</identifikatortype>')]);
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'inconsistent', element: 'identifikatortype' })]);
  });

  it('events out of feed order or outside the stated range', async () => {
    const text = EVENTS.replace('<k:sekvensnummer>500104</k:sekvensnummer>', '<k:sekvensnummer>500099</k:sekvensnummer>');
    const c = await read(text);
    expect(c.problems.map((p) => [p.code, p.line])).toEqual([
      ['inconsistent', lineOf(text, '500099')],
      ['inconsistent', lineOf(text, '500099')],
    ]);
    expect(c.problems[0]!.reason).toContain('outside the file');
    expect(c.problems[1]!.reason).toContain('does not follow 500101');
  });

  it('an event whose person document is someone else', async () => {
    const text = EVENTS.replace('<h:folkeregisteridentifikator>03918211763', `<h:folkeregisteridentifikator>${SIBLING}`);
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'inconsistent', element: 'folkeregisteridentifikator', subject: SIBLING })]);
  });

  it('an entitet that names another entity than the one carried', async () => {
    const text = EVENTS.replace('<h:entitet>bostedsadresse</h:entitet>', '<h:entitet>oppholdsadresse</h:entitet>');
    const c = await read(text);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'inconsistent', element: 'bostedsadresse' })]);
  });
});

describe('file errors stop the read', () => {
  it('malformed XML on line N', async () => {
    const text = PERSONS.replace('<kjoenn>kvinne</kjoenn>', '<kjoenn>kvinne</kjonn>');
    const c = await read(text);
    expect(c.error!.problem).toMatchObject({ code: 'malformed_xml', severity: 'file', line: lineOf(text, '</kjonn>') });
  });

  it('a count different from antall', async () => {
    const c = await read(persons([id(CHILD)], 2));
    expect(c.error!.problem).toMatchObject({ code: 'count_mismatch' });
  });

  it('a container without uttrekk', async () => {
    const text = persons([id(CHILD)]).replace(/<k:uttrekk>.*<\/k:uttrekk>\n/, '');
    const c = await read(text);
    expect(c.error!.problem).toMatchObject({ code: 'missing_element' });
  });

  it('a root that is not Folkeregisteret', async () => {
    const c = await read(`<folkeregisterperson xmlns="urn:not-freg"/>`);
    expect(c.error!.problem).toMatchObject({ code: 'wrong_root', line: 1 });
  });
});
