/**
 * Labels that depend on more than one message: an identity number named by its kind (and by its country when
 * it is foreign to the municipality or to the UI language), grade names per school form (förskoleklass is
 * never "årskurs 0"), and the group picker's line. Pure functions over a translate function, so the node
 * tests check them against the real catalogs.
 */
import type { Lang } from '../../../shared/i18n';
import type { Country, IdKind, SchoolForm } from './domain';
import type { TFn } from './i18n';

/** The country whose numbers a language calls its own (English has none: the municipality decides). */
const LANG_COUNTRY: Record<Lang, Country | null> = { sv: 'SE', nb: 'NO', en: null };

function countryOfKind(kind: IdKind): Country {
  return kind.startsWith('se_') ? 'SE' : 'NO';
}

/**
 * "Personnummer", "Fødselsnummer (NO)" in Swedish, "Personnummer (SE)" in Norwegian: the kind in the UI
 * language, and the country when the number is not the municipality's own or not the language's own.
 */
export function identityKindLabel(kind: IdKind, ctx: { country: Country; lang: Lang }, t: TFn): string {
  const name = t(`idName.${kind}`);
  const own = countryOfKind(kind);
  const langCountry = LANG_COUNTRY[ctx.lang];
  const foreign = own !== ctx.country || (langCountry !== null && own !== langCountry);
  return foreign ? t('idName.withCountry', { name, country: own }) : name;
}

/**
 * The label of a person's identity number field: its kind when the person has a number, else the
 * municipality's usual number (what the clerk would register).
 */
export function identityNumberLabel(identity: { kind: IdKind } | null | undefined, ctx: { country: Country; lang: Lang }, t: TFn): string {
  // A synthetic test number stands in for a fødselsnummer (the kind field beside it says it is synthetic).
  const kind = identity?.kind === 'no_synthetic' ? 'no_fodselsnummer' : identity?.kind;
  return identityKindLabel(kind ?? (ctx.country === 'NO' ? 'no_fodselsnummer' : 'se_personnummer'), ctx, t);
}

/** The column header of a list of persons: the municipality's usual number, named as identityKindLabel does. */
export function identityColumnLabel(ctx: { country: Country; lang: Lang }, t: TFn): string {
  return identityNumberLabel(null, ctx, t);
}

const NORWEGIAN_FORMS: ReadonlySet<string> = new Set(['BHG', 'GSK', 'SFO', 'VGS']);

/**
 * A grade in its school form's words: förskoleklass (Swedish grade 0, or the FKLASS form) by its name,
 * Norwegian upper secondary as Vg1–Vg3, every other grade as "Årskurs 3" / "3. trinn" / "Year 3".
 * '' when there is no grade (departments, preschool).
 */
export function gradeLabel(form: SchoolForm | string | null | undefined, grade: number | null | undefined, t: TFn, opts: { short?: boolean } = {}): string {
  if (grade === null || grade === undefined) return '';
  const s = opts.short ? '.short' : '';
  if (form === 'FKLASS' || (grade === 0 && !NORWEGIAN_FORMS.has(form ?? ''))) return t(`grade.fklass${s}` as 'grade.fklass');
  if (form === 'VGS') return t(`grade.vg${s}` as 'grade.vg', { grade });
  return t(`grade.year${s}` as 'grade.year', { grade });
}

/** The grades an enrolment of a form can have, labelled for a select (value = the number as text). */
export function gradeOptions(form: SchoolForm | string | null | undefined, grades: readonly number[], t: TFn): { value: string; label: string }[] {
  return grades.map((g) => ({ value: String(g), label: gradeLabel(form, g, t) }));
}

/**
 * The group picker's second line: "Klass · Grundskola · Årskurs 3 · 2026/27", never a raw code. The grade
 * is left out where the form already says it (förskoleklass).
 */
export function groupDetail(
  g: { kind: 'class' | 'department' | 'teaching_group'; schoolForm: SchoolForm | string; grade: number | null; schoolYear: number },
  t: TFn,
  schoolYearLabel: (y: number) => string,
): string {
  const kind = t(`groupKind.${g.kind}`);
  const form = t(`schoolForm.${g.schoolForm}.short` as 'schoolForm.GR.short');
  const year = schoolYearLabel(g.schoolYear);
  const grade = g.schoolForm === 'FKLASS' ? '' : gradeLabel(g.schoolForm, g.grade, t);
  return grade ? t('groupPicker.detailGrade', { kind, form, grade, year }) : t('groupPicker.detail', { kind, form, year });
}
