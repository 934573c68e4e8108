import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES, type Lang } from '../../../shared/i18n';
import { SCHOOL_FORMS } from '../../../shared/domain/org';
import { schoolYearLabel } from './format';
import type { TFn } from './i18n';
import { langForCountry, startLang } from './i18n';
import { gradeLabel, gradeOptions, groupDetail, identityColumnLabel, identityKindLabel, identityNumberLabel } from './labels';

/** The real catalogs with i18next's {{x}} interpolation: what the app shows, without a DOM. */
function tOf(lang: Lang): TFn {
  return (key, vars) => {
    const text = (catalogs[lang] as Record<string, string>)[key];
    if (text === undefined) throw new Error(`missing ${lang} message ${key}`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars?.[k] ?? `{{${k}}}`));
  };
}
const sv = tOf('sv');
const nb = tOf('nb');
const en = tOf('en');

describe('the default language follows the municipality', () => {
  it('Norway → bokmål, Sweden (or unknown) → Swedish', () => {
    expect(langForCountry('NO')).toBe('nb');
    expect(langForCountry('SE')).toBe('sv');
    expect(langForCountry(null)).toBe('sv');
  });
  it("a user's own choice wins over the municipality's language; a stored value that is no language is ignored", () => {
    expect(startLang(null, null)).toBe('sv');
    expect(startLang(null, 'nb')).toBe('nb');
    expect(startLang('en', 'nb')).toBe('en');
    expect(startLang('sv', 'nb')).toBe('sv');
    expect(startLang('de', 'nb')).toBe('nb');
    expect(startLang('xx', 'yy')).toBe('sv');
  });
});

describe('identity number labels', () => {
  it('name the kind in the UI language, and the country when the number is foreign', () => {
    // A Swedish municipality, a Swedish clerk.
    expect(identityKindLabel('se_personnummer', { country: 'SE', lang: 'sv' }, sv)).toBe('Personnummer');
    expect(identityKindLabel('se_samordningsnummer', { country: 'SE', lang: 'sv' }, sv)).toBe('Samordningsnummer');
    expect(identityKindLabel('no_fodselsnummer', { country: 'SE', lang: 'sv' }, sv)).toBe('Fødselsnummer (NO)');
    // A Norwegian municipality, a Norwegian clerk: a Swedish number is never "Fødselsnummer".
    expect(identityKindLabel('no_fodselsnummer', { country: 'NO', lang: 'nb' }, nb)).toBe('Fødselsnummer');
    expect(identityKindLabel('no_d_nummer', { country: 'NO', lang: 'nb' }, nb)).toBe('D-nummer');
    expect(identityKindLabel('se_personnummer', { country: 'NO', lang: 'nb' }, nb)).toBe('Personnummer (SE)');
    // The language's own country counts too: bokmål in a Swedish municipality still marks Swedish numbers.
    expect(identityKindLabel('se_personnummer', { country: 'SE', lang: 'nb' }, nb)).toBe('Personnummer (SE)');
    expect(identityKindLabel('no_fodselsnummer', { country: 'NO', lang: 'sv' }, sv)).toBe('Fødselsnummer (NO)');
    // English has no country of its own: the municipality decides.
    expect(identityKindLabel('se_personnummer', { country: 'SE', lang: 'en' }, en)).toBe('Personal identity number');
    expect(identityKindLabel('se_personnummer', { country: 'NO', lang: 'en' }, en)).toBe('Personal identity number (SE)');
    expect(identityKindLabel('no_fodselsnummer', { country: 'NO', lang: 'en' }, en)).toBe('National identity number');
  });
  it("a person without a number, and a list's column, get the municipality's usual number", () => {
    expect(identityNumberLabel(null, { country: 'NO', lang: 'nb' }, nb)).toBe('Fødselsnummer');
    expect(identityNumberLabel(undefined, { country: 'SE', lang: 'sv' }, sv)).toBe('Personnummer');
    expect(identityNumberLabel({ kind: 'no_d_nummer' }, { country: 'SE', lang: 'sv' }, sv)).toBe('D-nummer (NO)');
    // The demo's synthetic numbers stand in for fødselsnummer (the kind field says they are synthetic).
    expect(identityNumberLabel({ kind: 'no_synthetic' }, { country: 'NO', lang: 'nb' }, nb)).toBe('Fødselsnummer');
    expect(identityColumnLabel({ country: 'SE', lang: 'nb' }, nb)).toBe('Personnummer (SE)');
    expect(identityColumnLabel({ country: 'NO', lang: 'en' }, en)).toBe('National identity number');
  });
});

describe('grades and school forms', () => {
  it('förskoleklass is named, never "Årskurs 0" or "year 0"', () => {
    expect(gradeLabel('FKLASS', 0, sv)).toBe('Förskoleklass');
    expect(gradeLabel('FKLASS', 0, nb)).toBe('Førskoleklasse');
    expect(gradeLabel('FKLASS', 0, en)).toBe('Preschool class');
    // A grade 0 in a Swedish compulsory-school form is the same year.
    expect(gradeLabel('GR', 0, sv)).toBe('Förskoleklass');
    for (const t of [sv, nb, en]) for (const f of ['FKLASS', 'GR', 'GRS']) expect(gradeLabel(f, 0, t)).not.toMatch(/\b0\b/);
  });
  it('other grades in each language; Norwegian upper secondary as Vg', () => {
    expect(gradeLabel('GR', 3, sv)).toBe('Årskurs 3');
    expect(gradeLabel('GR', 3, nb)).toBe('3. trinn');
    expect(gradeLabel('GR', 3, en)).toBe('Year 3');
    expect(gradeLabel('GSK', 10, nb)).toBe('10. trinn');
    expect(gradeLabel('VGS', 2, nb)).toBe('Vg2');
    expect(gradeLabel('GR', 3, sv, { short: true })).toBe('åk 3');
    expect(gradeLabel('FKLASS', 0, sv, { short: true })).toBe('F');
    expect(gradeLabel('FS', null, sv)).toBe('');
  });
  it('the grade pickers list förskoleklass by name and the rest by number', () => {
    expect(gradeOptions('GR', [0, 1, 2], sv)).toEqual([
      { value: '0', label: 'Förskoleklass' },
      { value: '1', label: 'Årskurs 1' },
      { value: '2', label: 'Årskurs 2' },
    ]);
  });
  it('every school form has a name of its own in every language, in that language', () => {
    for (const l of LANGUAGES) {
      const t = tOf(l);
      for (const f of SCHOOL_FORMS) {
        expect(t(`schoolForm.${f}` as 'schoolForm.GR')).toBeTruthy();
        expect(t(`schoolForm.${f}.short` as 'schoolForm.GR.short')).toBeTruthy();
      }
    }
    // Swedish forms in Norwegian are Norwegian words (the tester saw "3. trinn (Grundskola)").
    expect(nb('schoolForm.GR.short')).toBe('Grunnskole');
    expect(nb('schoolForm.FKLASS.short')).toBe('Førskoleklasse');
    expect(nb('schoolForm.FS.short')).toBe('Barnehage');
    expect(nb('schoolForm.GY.short')).toBe('Videregående');
    for (const f of ['FS', 'FTH', 'OPPFTH', 'FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX', 'PO']) {
      expect(nb(`schoolForm.${f}.short` as 'schoolForm.GR.short'), f).not.toMatch(/[äö]|skola|Fritidshem|Förskol/i);
    }
    // Norwegian forms in Swedish are Swedish words.
    for (const f of ['BHG', 'GSK', 'SFO', 'VGS']) expect(sv(`schoolForm.${f}.short` as 'schoolForm.GR.short'), f).not.toMatch(/[æø]|skole|barnehage/i);
    expect(sv('schoolForm.GSK')).toBe('Grundskola (grunnskole, NO)');
    expect(nb('schoolForm.GR')).toBe('Grunnskole (grundskola, SE)');
  });
  it('the group picker says what a group is, without codes', () => {
    const g = { kind: 'class' as const, schoolForm: 'GR', grade: 3, schoolYear: 2026 };
    expect(groupDetail(g, sv, schoolYearLabel)).toBe('Klass · Grundskola · Årskurs 3 · 2026/27');
    expect(groupDetail(g, nb, schoolYearLabel)).toBe('Klasse · Grunnskole · 3. trinn · 2026/27');
    expect(groupDetail({ ...g, schoolForm: 'FKLASS', grade: 0 }, sv, schoolYearLabel)).toBe('Klass · F-klass · 2026/27');
    expect(groupDetail({ kind: 'department', schoolForm: 'FS', grade: null, schoolYear: 2026 }, en, schoolYearLabel)).toBe('Department · Preschool · 2026/27');
    for (const t of [sv, nb, en]) expect(groupDetail(g, t, schoolYearLabel)).not.toMatch(/\bGR\b/);
  });
});
