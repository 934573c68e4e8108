/**
 * Identity numbers (domain.md §1). Only public test numbers are used:
 * - Sweden: 189001019802 (Skatteverket test number), 191212121212 (the textbook example),
 *   Skatteverket's Luhn worked examples 640823-3234 / 811218-9876, and entries of the public
 *   personnummer/meta test data (testdata/list.json, testdata/interim.json).
 * - Norway: numbers from navikt/fnrvalidator's public test suite.
 * Everything else is constructed here from the check-digit algorithms, not taken from people.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatIdentityNumber,
  identityDigitsForSearch,
  luhnCheckDigit,
  makeNorwegianFodselsnummer,
  makeSwedishPersonnummer,
  norwegianBirthYear,
  norwegianIndividRanges,
  norwegianK1Candidates2032,
  norwegianK1Classic,
  norwegianK2,
  parseIdentityNumber,
  type IdOptions,
  type IdParseResult,
} from './index';
import { daysInMonth } from './dates';

const TODAY = '2025-06-01';
const parse = (input: string, opts: IdOptions = {}): IdParseResult => parseIdentityNumber(input, { today: TODAY, ...opts });

function expectOk(r: IdParseResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r;
}
function expectErr(r: IdParseResult, code: string) {
  if (r.ok) throw new Error(`expected ${code}, got ok ${r.canonical}`);
  expect(r.code).toBe(code);
  return r;
}

/** Swedish: append the Luhn digit to YYMMDDNNN (optionally prefixed with a century). */
function se(nine: string, century = ''): string {
  return century + nine + luhnCheckDigit(nine);
}
/** Norwegian: append classic k1/k2 to nine digits; throws if the nine digits have none. */
function no(nine: string): string {
  const k1 = norwegianK1Classic(nine);
  if (k1 === null) throw new Error(`no classic k1 for ${nine}`);
  const k2 = norwegianK2(nine + k1);
  if (k2 === null) throw new Error(`no k2 for ${nine}${k1}`);
  return `${nine}${k1}${k2}`;
}
/** Norwegian with a chosen k1 (2032 rule) and the matching k2, or null if k2 would be 10. */
function noWithK1(nine: string, k1: number): string | null {
  const k2 = norwegianK2(nine + k1);
  return k2 === null ? null : `${nine}${k1}${k2}`;
}

describe('luhnCheckDigit', () => {
  it("matches Skatteverket's worked examples", () => {
    expect(luhnCheckDigit('640823323')).toBe(4);
    expect(luhnCheckDigit('811218987')).toBe(6);
  });
  it('rejects anything but nine digits', () => {
    expect(() => luhnCheckDigit('12345678')).toThrow(RangeError);
    expect(() => luhnCheckDigit('12345678X')).toThrow(RangeError);
  });
});

describe('parseIdentityNumber: general input handling', () => {
  it('reports empty input', () => {
    expectErr(parse(''), 'empty');
    expectErr(parse('   '), 'empty');
    expectErr(parseIdentityNumber(undefined as unknown as string), 'empty');
  });
  it('rejects lengths that fit neither country, naming both', () => {
    const r = expectErr(parse('850709-980'), 'bad_length');
    expect(r.message).toContain('10 or 12 digits');
    expect(r.message).toContain('11 digits');
    expectErr(parse('1234567890123'), 'bad_length');
  });
  it('rejects punctuation other than the separators', () => {
    expectErr(parse('850709/9805'), 'bad_characters');
    expectErr(parse('85.07.09-9805'), 'bad_characters');
  });
  it('throws for a malformed today option (a programming error, not user input)', () => {
    expect(() => parseIdentityNumber('191212121212', { today: '2025-02-30' })).toThrow(RangeError);
    expect(() => parseIdentityNumber('191212121212', { today: '1/6/2025' })).toThrow(RangeError);
  });
  it('defaults today to the current date', () => {
    expect(parseIdentityNumber('191212121212').ok).toBe(true);
  });
  it('restricts to one country when asked', () => {
    expectErr(parse('191212121212', { country: 'NO' }), 'bad_length');
    expectErr(parse('13097248022', { country: 'SE' }), 'bad_length');
    expect(expectOk(parse('13097248022', { country: 'NO' })).country).toBe('NO');
    expect(expectOk(parse('191212121212', { country: 'SE' })).country).toBe('SE');
  });
});

describe('Sweden: personnummer', () => {
  it('accepts the public examples in every typed form', () => {
    const r = expectOk(parse('189001019802'));
    expect(r).toMatchObject({ kind: 'se_personnummer', country: 'SE', birthDate: '1890-01-01', sex: 'F' });
    expect(r.display).toBe('18900101-9802');
    for (const form of ['191212121212', '19121212-1212', '121212+1212']) {
      expect(expectOk(parse(form))).toMatchObject({ canonical: '191212121212', birthDate: '1912-12-12', sex: 'M' });
    }
  });
  it('accepts the personnummer/meta valid entries', () => {
    const cases: Array<[string, string, 'M' | 'F']> = [
      ['19090527+1474', '1909-05-27', 'M'],
      ['090527+1474', '1909-05-27', 'M'],
      ['821105-9954', '1982-11-05', 'M'],
      ['19901211-9948', '1990-12-11', 'F'],
      ['791221+9990', '1879-12-21', 'M'],
      ['0012099891', '2000-12-09', 'M'],
    ];
    for (const [input, birthDate, sex] of cases) {
      expect(expectOk(parse(input))).toMatchObject({ kind: 'se_personnummer', birthDate, sex });
    }
  });
  it('rejects the personnummer/meta invalid entries with a precise check-digit message', () => {
    const r = expectErr(parse('198707049996'), 'bad_checksum');
    expect(r.message).toBe('Check digit is 6 but should be 8');
    expectErr(parse('201211209941'), 'bad_checksum');
  });
  it('rejects spaces: they are not separators in Sweden', () => {
    const r = expectErr(parse('19090527 1474'), 'bad_characters');
    expect(r.message).toMatch(/Spaces are not allowed/);
    expectErr(parse('850709 9805'), 'bad_characters');
    expectErr(parse('8507 099805'), 'bad_characters');
  });
  it('accepts typographic dashes pasted from word processors as "-"', () => {
    expect(expectOk(parse('121212\u20131212')).canonical).toBe('201212121212');
  });
  it('rejects misplaced or doubled separators', () => {
    expectErr(parse('8507-099805'), 'bad_characters');
    expectErr(parse('19121212--1212'), 'bad_characters');
    expectErr(parse('1912-1212-1212'), 'bad_characters');
  });
  it('rejects letters outside the interim position', () => {
    const r = expectErr(parse('19121A121212'), 'bad_characters');
    expect(r.message).toMatch(/Letter 'A'/);
    expectErr(parse('121212-121A'), 'bad_characters');
  });
  it('rejects birth number 000', () => {
    const r = expectErr(parse('201509160006'), 'bad_individual_number');
    expect(r.message).toMatch(/000/);
    expectErr(parse(se('850709000')), 'bad_individual_number');
  });
  it('reads sex from the third digit of the birth number', () => {
    expect(expectOk(parse(makeSwedishPersonnummer('1985-07-09', 981))).sex).toBe('M');
    expect(expectOk(parse(makeSwedishPersonnummer('1985-07-09', 980))).sex).toBe('F');
  });
  it('rejects impossible dates', () => {
    expectErr(parse(se('851309123', '19')), 'bad_date');
    expectErr(parse(se('850431123', '19')), 'bad_date');
    expectErr(parse(se('850700123', '19')), 'bad_date');
    expectErr(parse(se('850132123', '19')), 'bad_date');
  });
  it('rejects birth dates after today', () => {
    const r = expectErr(parse(makeSwedishPersonnummer('2025-06-02', 123)), 'future_date');
    expect(r.message).toContain('2025-06-02');
    expectOk(parse(makeSwedishPersonnummer('2025-06-01', 123)));
  });
});

describe('Sweden: leap days', () => {
  it('1900-02-29 is invalid (1900 was not a leap year)', () => {
    const r = expectErr(parse(se('000229123', '19')), 'bad_date');
    expect(r.message).toContain('1900-02-29');
  });
  it('2000-02-29 and 2024-02-29 are valid', () => {
    expect(expectOk(parse(se('000229123', '20'))).birthDate).toBe('2000-02-29');
    expect(expectOk(parse(se('240229123', '20'))).birthDate).toBe('2024-02-29');
  });
  it('2023-02-29 is invalid', () => {
    expectErr(parse(se('230229123', '20')), 'bad_date');
  });
  it('the century sign decides leap-day validity of 10-digit input', () => {
    const nine = '000229123';
    const c = luhnCheckDigit(nine);
    expect(expectOk(parse(`000229-123${c}`)).birthDate).toBe('2000-02-29');
    expectErr(parse(`000229+123${c}`), 'bad_date'); // 1900
  });
  it('samordningsnummer leap days follow the real date', () => {
    expect(expectOk(parse(se('000289123', '20'))).birthDate).toBe('2000-02-29');
    expectErr(parse(se('000289123', '19')), 'bad_date');
  });
});

describe('Sweden: century of 10-digit numbers depends on today and the sign', () => {
  const n = '121212-1212';
  it("'-' means under 100 in the current calendar year", () => {
    expect(expectOk(parse(n, { today: '2025-06-01' })).birthDate).toBe('2012-12-12');
    expect(expectOk(parse(n, { today: '2011-01-01' })).birthDate).toBe('1912-12-12');
  });
  it("no separator is read like '-'", () => {
    expect(expectOk(parse('1212121212', { today: '2025-06-01' })).birthDate).toBe('2012-12-12');
    expect(expectOk(parse('1212121212', { today: '2011-01-01' })).birthDate).toBe('1912-12-12');
  });
  it("'+' means 100 or older in the current calendar year", () => {
    expect(expectOk(parse('121212+1212', { today: '2025-06-01' })).birthDate).toBe('1912-12-12');
    expect(expectOk(parse('121212+1212', { today: '2011-01-01' })).birthDate).toBe('1812-12-12');
  });
  it("switches to '+' at the start of the year the person turns 100 (not the birthday)", () => {
    const short = se('251231123'); // YYMMDD = 251231
    const withPlus = `${short.slice(0, 6)}+${short.slice(6)}`;
    const withMinus = `${short.slice(0, 6)}-${short.slice(6)}`;
    // 2024: a person born 1925-12-31 turns 99 this year → still '-'.
    expect(expectOk(parse(withMinus, { today: '2024-12-31' })).birthDate).toBe('1925-12-31');
    // 2025: that person turns 100 this year → '+'; '-' can only mean 2025-12-31, still in the future.
    expect(expectOk(parse(withPlus, { today: '2025-01-01' })).birthDate).toBe('1925-12-31');
    expectErr(parse(withMinus, { today: '2025-01-01' }), 'future_date');
    expect(expectOk(parse(withMinus, { today: '2025-12-31' })).birthDate).toBe('2025-12-31');
  });
  it('12-digit input carries its own century regardless of today and sign', () => {
    expect(expectOk(parse('19121212-1212', { today: '2011-01-01' })).birthDate).toBe('1912-12-12');
    expect(expectOk(parse('19121212+1212', { today: '2025-06-01' })).birthDate).toBe('1912-12-12');
  });
});

describe('Sweden: samordningsnummer', () => {
  it('day + 60 is a samordningsnummer; birthDate has the real day', () => {
    expect(expectOk(parse('195705749959'))).toMatchObject({
      kind: 'se_samordningsnummer',
      canonical: '195705749959',
      display: '19570574-9959',
      birthDate: '1957-05-14',
      sex: 'M',
    });
    expect(expectOk(parse('730674-9982'))).toMatchObject({ kind: 'se_samordningsnummer', birthDate: '1973-06-14', sex: 'F' });
  });
  it('rejects a bad check digit (personnummer/meta invalid samordningsnummer)', () => {
    expectErr(parse('193901829913'), 'bad_checksum');
    expectErr(parse('201210759984'), 'bad_checksum');
  });
  it('rejects samordningsnummer days that do not exist', () => {
    expectErr(parse(se('850492123', '19')), 'bad_date'); // 32nd
    expectErr(parse(se('850431123', '19')), 'bad_date'); // 31 April as a plain day
    const r = expectErr(parse(se('850491123', '19')), 'bad_date'); // 31 April as samordning
    expect(r.message).toMatch(/samordningsnummer/);
    expectErr(parse(se('850460123', '19')), 'bad_date'); // day 0
  });
});

describe('Sweden: interim numbers', () => {
  it('are rejected unless configured', () => {
    expectErr(parse('20000101T220'), 'interim_not_allowed');
    expectErr(parse('000101-T220'), 'interim_not_allowed');
  });
  it('are accepted when configured, keep the letter, carry no sex', () => {
    const r = expectOk(parse('000101-T220', { allowInterim: true }));
    expect(r).toMatchObject({
      kind: 'se_personnummer',
      canonical: '20000101T220',
      display: '20000101-T220',
      birthDate: '2000-01-01',
      sex: null,
      interim: true,
    });
    expect(expectOk(parse('20000101p220', { allowInterim: true })).canonical).toBe('20000101P220');
  });
  it('still verify the check digit (the letter counts as 1)', () => {
    const r = expectErr(parse('20000101T221', { allowInterim: true }), 'bad_checksum');
    expect(r.message).toBe('Check digit is 1 but should be 0');
  });
  it('reject letters that are not interim letters, or in other positions', () => {
    expectErr(parse('20000101O220', { allowInterim: true }), 'bad_characters'); // O looks like 0
    expectErr(parse('20000101-2T20', { allowInterim: true }), 'bad_characters');
  });
  it('ordinary numbers are unaffected and have no interim flag', () => {
    expect(expectOk(parse('191212121212', { allowInterim: true })).interim).toBeUndefined();
  });
});

describe('Norway: fødselsnummer', () => {
  it('accepts navikt/fnrvalidator valid numbers', () => {
    expect(expectOk(parse('13097248022'))).toMatchObject({
      kind: 'no_fodselsnummer',
      country: 'NO',
      canonical: '13097248022',
      display: '130972 48022',
      birthDate: '1972-09-13',
      sex: 'F',
      checkRule: 'classic',
    });
    expect(expectOk(parse('15021951940')).birthDate).toBe('2019-02-15'); // k2 = 11 → 0
  });
  it('accepts one space or dash between birth date and personal number', () => {
    expect(expectOk(parse('130972 48022')).canonical).toBe('13097248022');
    expect(expectOk(parse('130972-48022')).canonical).toBe('13097248022');
    expect(expectOk(parse('130972\u00a048022')).canonical).toBe('13097248022');
  });
  it('rejects other separators, positions and multiples', () => {
    expectErr(parse('1309 7248022'), 'bad_characters');
    expectErr(parse('130972  48022'), 'bad_characters');
    expectErr(parse('13 09 72 48022'), 'bad_characters');
    expectErr(parse('130972+48022', { country: 'NO' }), 'bad_characters');
  });
  it('rejects letters and wrong lengths', () => {
    const r = expectErr(parse('1234567891A', { country: 'NO' }), 'bad_characters');
    expect(r.message).toMatch(/Letter 'A'/);
    expectErr(parse('1234567890', { country: 'NO' }), 'bad_length');
    expectErr(parse('123456789101', { country: 'NO' }), 'bad_length');
  });
  it('rejects wrong check digits with the expected value in the message', () => {
    // k1 6 where classic wants 2 and the 2032 rule allows 2–5.
    const r1 = expectErr(parse('13097248062'), 'bad_checksum');
    expect(r1.message).toBe('First check digit (k1) is 6 but should be 2 (classic rule), or one of 2, 3, 4, 5 under the 2032 rule');
    const r2 = expectErr(parse('13097248023'), 'bad_checksum');
    expect(r2.message).toBe('Second check digit (k2) is 3 but should be 2 (given k1 = 2)');
    expectErr(parse('13097248032'), 'bad_checksum');
  });
  it('nine digits whose classic k1 would be 10 are only usable under the 2032 rule', () => {
    let nine = '';
    for (let i = 0; i <= 499 && !nine; i++) {
      const candidate = `090785${String(i).padStart(3, '0')}`;
      if (norwegianK1Classic(candidate) === null) nine = candidate;
    }
    expect(nine).not.toBe('');
    expect(norwegianK1Candidates2032(nine)).toHaveLength(3);
    const usable = norwegianK1Candidates2032(nine)
      .map((k1) => noWithK1(nine, k1))
      .filter((n): n is string => n !== null);
    expect(usable.length).toBeGreaterThan(0);
    for (const n of usable) expect(expectOk(parse(n))).toMatchObject({ checkRule: '2032', sex: null });
  });
  it('rejects impossible dates', () => {
    expectErr(parse(no('320172123')), 'bad_date');
    expectErr(parse(no('310472123')), 'bad_date');
    expectErr(parse(no('001372123')), 'bad_date');
    expectErr(parse(no('150072123')), 'bad_date');
  });
  it('rejects birth dates after today; accepts them once the day has come', () => {
    const r = expectErr(parse('02013299997'), 'future_date');
    expect(r.message).toContain('2032-01-02');
    expectOk(parse('02013299997', { today: '2032-01-02' }));
  });
});

describe('Norway: leap days', () => {
  it('accepts 29 February in leap years (navikt: 1996, 2000)', () => {
    expect(expectOk(parse('29029648784')).birthDate).toBe('1996-02-29');
    expect(expectOk(parse('29020075838')).birthDate).toBe('2000-02-29');
    expect(expectOk(parse(no('290224500'))).birthDate).toBe('2024-02-29');
  });
  it('rejects 29 February 1900 (individnummer < 500 puts 00 in the 1900s) and 2023', () => {
    const r = expectErr(parse(no('290200123')), 'bad_date');
    expect(r.message).toContain('1900-02-29');
    expectErr(parse(no('290223500')), 'bad_date');
  });
});

describe('Norway: individnummer and century', () => {
  it('000–499 → 1900s', () => {
    expect(expectOk(parse('01010101006')).birthDate).toBe('1901-01-01');
    expect(expectOk(parse(no('010100499'))).birthDate).toBe('1900-01-01');
  });
  it('500–749 with year 54–99 → 1800s', () => {
    expect(expectOk(parse(no('010155500'))).birthDate).toBe('1855-01-01');
    expect(expectOk(parse(no('311299748'))).birthDate).toBe('1899-12-31');
  });
  it('500–999 with year 00–39 → 2000s', () => {
    expect(expectOk(parse(no('010139999'), { today: '2039-01-01' })).birthDate).toBe('2039-01-01');
    expect(expectOk(parse(no('010100500'))).birthDate).toBe('2000-01-01');
  });
  it('900–999 with year 40–99 → 1900s', () => {
    expect(expectOk(parse('30108299920')).birthDate).toBe('1982-10-30');
    expect(expectOk(parse(no('010140900'))).birthDate).toBe('1940-01-01');
  });
  it('rejects combinations that are never issued', () => {
    const r = expectErr(parse(no('010145500')), 'bad_individual_number'); // 500–749 with 40–53
    expect(r.message).toMatch(/Individnummer 500/);
    expectErr(parse(no('010153749')), 'bad_individual_number');
    expectErr(parse(no('010170750')), 'bad_individual_number'); // 750–899 with 40–99
    expectErr(parse(no('010199899')), 'bad_individual_number');
  });
  it('norwegianBirthYear and norwegianIndividRanges agree', () => {
    const mismatches: string[] = [];
    for (let year = 1850; year <= 2045; year++) {
      for (let individ = 0; individ <= 999; individ++) {
        const fits = norwegianIndividRanges(year).some(([lo, hi]) => individ >= lo && individ <= hi);
        if ((norwegianBirthYear(year % 100, individ) === year) !== fits) mismatches.push(`${year}/${individ}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('Norway: D-nummer, H-nummer, synthetic numbers', () => {
  it('D-nummer: first digit + 4', () => {
    expect(expectOk(parse('53097248016'))).toMatchObject({ kind: 'no_d_nummer', birthDate: '1972-09-13', sex: 'F' });
    expect(expectOk(parse('70108299914'))).toMatchObject({ kind: 'no_d_nummer', birthDate: '1982-10-30' });
  });
  it('D-nummer with an impossible real day is a bad date', () => {
    expectErr(parse(no('710472123')), 'bad_date'); // 31 April
    expectErr(parse(no('800172123')), 'bad_date'); // day field 80 (old H-nummer style)
  });
  it('H-nummer (month + 40) is rejected unless allowed', () => {
    const r = expectErr(parse('13527248013'), 'h_number_not_allowed');
    expect(r.message).toMatch(/H-nummer/);
    expect(expectOk(parse('13527248013', { allowHNumber: true }))).toMatchObject({
      kind: 'no_h_nummer',
      birthDate: '1972-12-13',
    });
  });
  it('H-nummer combined with D-nummer (navikt dnr-and-hnr)', () => {
    expectErr(parse('68467038838'), 'h_number_not_allowed');
    expect(expectOk(parse('68467038838', { allowHNumber: true }))).toMatchObject({
      kind: 'no_h_nummer',
      birthDate: '1970-06-28',
    });
  });
  it('synthetic numbers (month + 80) only in demo/test mode', () => {
    expectErr(parse('10915596784'), 'synthetic_not_allowed');
    expect(expectOk(parse('10915596784', { allowSynthetic: true }))).toMatchObject({
      kind: 'no_synthetic',
      birthDate: '1955-11-10',
    });
    // navikt dnr-and-tnr: synthetic takes precedence over D.
    expectErr(parse('50846202355'), 'synthetic_not_allowed');
    expect(expectOk(parse('50846202355', { allowSynthetic: true }))).toMatchObject({
      kind: 'no_synthetic',
      birthDate: '1962-04-10',
    });
  });
  it('allowSynthetic does not unlock H-numbers and vice versa', () => {
    expectErr(parse('13527248013', { allowSynthetic: true }), 'h_number_not_allowed');
    expectErr(parse('10915596784', { allowHNumber: true }), 'synthetic_not_allowed');
  });
  it('month fields outside every range are bad dates', () => {
    expectErr(parse(no('011372123')), 'bad_date'); // 13
    expectErr(parse(no('015372123'), { allowHNumber: true }), 'bad_date'); // 53
    expectErr(parse(no('019372123'), { allowSynthetic: true }), 'bad_date'); // 93
    expectErr(parse(no('016072123')), 'bad_date'); // 60: not reported as an H-nummer
    expectErr(parse(no('019972123')), 'bad_date'); // 99: not reported as a test number
  });
});

describe('Norway: the 2032 check-digit rule', () => {
  it('accepts navikt examples valid only under the new rule; sex is then unknown', () => {
    expect(expectOk(parse('30108299939'))).toMatchObject({ checkRule: '2032', sex: null, birthDate: '1982-10-30' });
    expect(expectOk(parse('30108299920'))).toMatchObject({ checkRule: 'classic', sex: 'M' });
  });
  it('accepts every k1 the rule allows for the same nine digits', () => {
    const nine = '010120500';
    const classic = norwegianK1Classic(nine);
    const candidates = norwegianK1Candidates2032(nine);
    expect(candidates.length).toBeGreaterThanOrEqual(3);
    let accepted = 0;
    for (const k1 of candidates) {
      const n = noWithK1(nine, k1);
      if (n === null) continue;
      const r = expectOk(parse(n));
      expect(r.checkRule).toBe(k1 === classic ? 'classic' : '2032');
      expect(r.birthDate).toBe('2020-01-01');
      accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(2);
  });
  it('constructs a number valid only under the 2032 rule', () => {
    const nine = '150610567';
    const classic = norwegianK1Classic(nine);
    const k1 = norwegianK1Candidates2032(nine).find((k) => k !== classic && noWithK1(nine, k) !== null);
    expect(k1).toBeDefined();
    const n = noWithK1(nine, k1 as number) as string;
    expect(expectOk(parse(n))).toMatchObject({ checkRule: '2032', sex: null, birthDate: '2010-06-15' });
  });
  it('covers sum mod 11 = 0, where k1 may be 0, 1, 2 or 3', () => {
    // Find nine digits whose weighted k1 sum is a multiple of 11 (classic k1 = 0).
    let nine = '';
    for (let i = 500; i <= 999 && !nine; i++) {
      const candidate = `010120${i}`;
      if (norwegianK1Classic(candidate) === 0) nine = candidate;
    }
    expect(norwegianK1Candidates2032(nine)).toEqual([0, 1, 2, 3]);
  });
  it('still rejects k1 outside the allowed set, and any wrong k2', () => {
    const r = expectErr(parse('02013299987'), 'bad_checksum');
    expect(r.message).toMatch(/one of 0, 1, 9 under the 2032 rule/);
    expectErr(parse('02013299996', { today: '2040-01-01' }), 'bad_checksum');
  });
});

describe('formatIdentityNumber', () => {
  it('Sweden: YYYYMMDD-NNNC by default', () => {
    expect(formatIdentityNumber('191212121212')).toBe('19121212-1212');
    expect(formatIdentityNumber('20000101T220')).toBe('20000101-T220');
  });
  it("Sweden short form: '+' from the calendar year the person turns 100", () => {
    expect(formatIdentityNumber('191212121212', { form: 'short', today: '2011-12-31' })).toBe('121212-1212');
    expect(formatIdentityNumber('191212121212', { form: 'short', today: '2012-01-01' })).toBe('121212+1212');
  });
  it('Norway: DDMMYY IIIKK', () => {
    expect(formatIdentityNumber('13097248022')).toBe('130972 48022');
  });
  it('returns anything else unchanged', () => {
    expect(formatIdentityNumber('abc')).toBe('abc');
    expect(formatIdentityNumber('')).toBe('');
  });
});

describe('identityDigitsForSearch', () => {
  it('strips separators of partial numbers', () => {
    expect(identityDigitsForSearch('850709-98')).toBe('85070998');
    expect(identityDigitsForSearch(' 12 03 45 ')).toBe('120345');
    expect(identityDigitsForSearch('85.07.09')).toBe('850709');
    expect(identityDigitsForSearch('121212+1212')).toBe('1212121212');
    expect(identityDigitsForSearch('19')).toBe('19');
  });
  it('returns null for things that are not number fragments', () => {
    expect(identityDigitsForSearch('')).toBeNull();
    expect(identityDigitsForSearch('7')).toBeNull();
    expect(identityDigitsForSearch('--')).toBeNull();
    expect(identityDigitsForSearch('Anna 85')).toBeNull();
    expect(identityDigitsForSearch('20000101T220')).toBeNull();
    expect(identityDigitsForSearch('1234567890123')).toBeNull();
  });
});

describe('generators', () => {
  it('makeSwedishPersonnummer builds known numbers', () => {
    expect(makeSwedishPersonnummer('1912-12-12', 121)).toBe('191212121212');
    expect(makeSwedishPersonnummer('1957-05-14', 995, { samordning: true })).toBe('195705749959');
  });
  it('makeSwedishPersonnummer rejects bad arguments', () => {
    expect(() => makeSwedishPersonnummer('1900-02-29', 1)).toThrow(RangeError);
    expect(() => makeSwedishPersonnummer('2000-01-01', 0)).toThrow(RangeError);
    expect(() => makeSwedishPersonnummer('2000-01-01', 1000)).toThrow(RangeError);
  });
  it('makeNorwegianFodselsnummer builds known numbers', () => {
    expect(makeNorwegianFodselsnummer('1972-09-13', 480)).toBe('13097248022');
    expect(makeNorwegianFodselsnummer('1972-09-13', 480, { dNumber: true })).toBe('53097248016');
    expect(makeNorwegianFodselsnummer('1955-11-10', 967, { synthetic: true })).toBe('10915596784');
  });
  it('makeNorwegianFodselsnummer returns null when a check digit would be 10', () => {
    let nulls = 0;
    for (let i = 0; i <= 499; i++) if (makeNorwegianFodselsnummer('1985-07-09', i) === null) nulls++;
    expect(nulls).toBeGreaterThan(0);
  });
  it('makeNorwegianFodselsnummer rejects an individnummer outside the year range', () => {
    expect(() => makeNorwegianFodselsnummer('1985-07-09', 600)).toThrow(RangeError);
    expect(() => makeNorwegianFodselsnummer('2010-07-09', 100)).toThrow(RangeError);
    expect(() => makeNorwegianFodselsnummer('1850-07-09', 600)).toThrow(RangeError);
  });
});

/** A real calendar date between two years, as ISO string and parts. */
const dateArb = (fromYear: number, toYear: number) =>
  fc
    .record({ year: fc.integer({ min: fromYear, max: toYear }), month: fc.integer({ min: 1, max: 12 }) })
    .chain(({ year, month }) =>
      fc.integer({ min: 1, max: daysInMonth(year, month) }).map((day) => ({
        year,
        iso: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      })),
    );

describe('property tests', () => {
  it('Swedish generated numbers parse back to the same birth date, sex and kind', () => {
    fc.assert(
      fc.property(dateArb(1800, 2025), fc.integer({ min: 1, max: 999 }), fc.boolean(), (d, serial, samordning) => {
        fc.pre(d.iso <= TODAY);
        const canonical = makeSwedishPersonnummer(d.iso, serial, { samordning });
        const r = expectOk(parse(canonical));
        expect(r.canonical).toBe(canonical);
        expect(r.birthDate).toBe(d.iso);
        expect(r.sex).toBe(serial % 2 === 1 ? 'M' : 'F');
        expect(r.kind).toBe(samordning ? 'se_samordningsnummer' : 'se_personnummer');
      }),
    );
  });

  it('Swedish short form (with its century sign) round-trips for ages 0–199', () => {
    fc.assert(
      fc.property(dateArb(1826, 2025), fc.integer({ min: 1, max: 999 }), (d, serial) => {
        fc.pre(d.iso <= TODAY);
        const canonical = makeSwedishPersonnummer(d.iso, serial);
        const short = formatIdentityNumber(canonical, { form: 'short', today: TODAY });
        expect(expectOk(parse(short)).canonical).toBe(canonical);
      }),
    );
  });

  it('Swedish: any single-digit change is detected', () => {
    fc.assert(
      fc.property(
        dateArb(1900, 2025),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 2, max: 11 }),
        fc.integer({ min: 1, max: 9 }),
        (d, serial, pos, delta) => {
          fc.pre(d.iso <= TODAY);
          const c = makeSwedishPersonnummer(d.iso, serial);
          const mutated = c.slice(0, pos) + String((Number(c.charAt(pos)) + delta) % 10) + c.slice(pos + 1);
          const r = parse(mutated);
          expect(r.ok).toBe(false);
          if (!r.ok) expect(['bad_checksum', 'bad_individual_number']).toContain(r.code);
        },
      ),
    );
  });

  it('Norwegian generated numbers parse back to the same birth date, sex and kind', () => {
    const arb = dateArb(1854, 2039).chain((d) =>
      fc
        .constantFrom(...norwegianIndividRanges(d.year))
        .chain(([lo, hi]) => fc.integer({ min: lo, max: hi }))
        .map((individ) => ({ ...d, individ })),
    );
    fc.assert(
      fc.property(arb, fc.boolean(), fc.boolean(), (d, dNumber, synthetic) => {
        const n = makeNorwegianFodselsnummer(d.iso, d.individ, { dNumber, synthetic });
        fc.pre(n !== null);
        const r = expectOk(parseIdentityNumber(n as string, { today: '2040-01-01', allowSynthetic: true }));
        expect(r.birthDate).toBe(d.iso);
        expect(r.sex).toBe(d.individ % 2 === 1 ? 'M' : 'F');
        expect(r.kind).toBe(synthetic ? 'no_synthetic' : dNumber ? 'no_d_nummer' : 'no_fodselsnummer');
        expect(r.checkRule).toBe('classic');
        expect(r.display).toBe(`${r.canonical.slice(0, 6)} ${r.canonical.slice(6)}`);
      }),
    );
  });

  it('Norwegian: every 2032 k1 with a valid k2 parses; single-digit changes are caught by k2', () => {
    const arb = dateArb(2000, 2039).chain((d) => fc.integer({ min: 500, max: 999 }).map((individ) => ({ ...d, individ })));
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 }), (d, pos, delta) => {
        const [y, m, day] = d.iso.split('-') as [string, string, string];
        const nine = `${day}${m}${y.slice(2)}${String(d.individ).padStart(3, '0')}`;
        for (const k1 of norwegianK1Candidates2032(nine)) {
          const n = noWithK1(nine, k1);
          if (n === null) continue;
          const r = expectOk(parseIdentityNumber(n, { today: '2040-01-01' }));
          expect(r.checkRule).toBe(k1 === norwegianK1Classic(nine) ? 'classic' : '2032');
          const mutated = n.slice(0, pos) + String((Number(n.charAt(pos)) + delta) % 10) + n.slice(pos + 1);
          expectErr(parseIdentityNumber(mutated, { today: '2040-01-01' }), 'bad_checksum');
        }
      }),
    );
  });
});
