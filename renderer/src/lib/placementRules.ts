/**
 * The placement-rules screen's logic (pure): the stored rules ⇄ the form's text values, the client-side
 * checks, and the core's answer mapped onto the fields. Field names are the contract's paths
 * (`noticeMonths.FS`, `ageLimits.FS.min`, `rolloverExceptions.2.toName`), so a zod issue from the core lands
 * on the same input as the client's own message.
 *
 * The screen shows only the municipality's country's forms, but `placementRules.update` replaces the whole
 * document and its records must name every form: the other country's values go back exactly as stored.
 */
import type { MethodOutput } from '../../../shared/api/contract';
import type { ApiError } from '../../../shared/api/transport';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../shared/domain/access';
// The contract's bounds (placementRules in shared/api/care.ts is built from them); the core checks them again.
import { ENROLMENT_FORMS_BY_COUNTRY, PLACEMENT_FORMS_BY_COUNTRY, PLACEMENT_RULE_LIMITS } from '../../../shared/domain/care';
import { mapApiError, type MappedError } from '../kit/errors';
import type { EnrolmentForm, PlacementForm } from './care';
import type { Country } from './domain';
import { newKey, type FieldError, type FieldErrors } from './personForm';

export type PlacementRules = MethodOutput<'placementRules.get'>;
export type RolloverException = PlacementRules['rolloverExceptions'][number];

/**
 * Whether the user may save the rules: the core asks for org.write over the whole municipality
 * (requireMunicipalityWide), so org.write held for one unit only still gives the read-only view.
 */
export function canEditRules(grants: readonly { role: Role; unitId: string | null }[]): boolean {
  return grants.some((g) => g.unitId === null && (ROLE_PERMISSIONS[g.role] as readonly Permission[]).includes('org.write'));
}

export interface ExceptionValues {
  /** React's key for the row (rows are added and removed in the middle). */
  key: string;
  unitId: string | null;
  fromName: string;
  toName: string;
  toUnitId: string | null;
}

export interface RulesFormValues {
  noticeMonths: Partial<Record<PlacementForm, string>>;
  ageMin: Partial<Record<PlacementForm, string>>;
  ageMax: Partial<Record<PlacementForm, string>>;
  finalGrade: Partial<Record<EnrolmentForm, string>>;
  guaranteeMonths: string;
  exceptions: ExceptionValues[];
}

export const noticePath = (f: PlacementForm): string => `noticeMonths.${f}`;
export const agePath = (f: PlacementForm, end: 'min' | 'max'): string => `ageLimits.${f}.${end}`;
export const gradePath = (f: EnrolmentForm): string => `finalGrade.${f}`;
export const exceptionPath = (i: number, k: 'unitId' | 'fromName' | 'toName' | 'toUnitId'): string => `rolloverExceptions.${i}.${k}`;

const str = (n: number | undefined): string => (n === undefined ? '' : String(n));

export function emptyException(): ExceptionValues {
  return { key: newKey(), unitId: null, fromName: '', toName: '', toUnitId: null };
}

export function rulesToValues(r: PlacementRules, country: Country): RulesFormValues {
  const v: RulesFormValues = { noticeMonths: {}, ageMin: {}, ageMax: {}, finalGrade: {}, guaranteeMonths: str(r.guaranteeMonths), exceptions: [] };
  for (const f of PLACEMENT_FORMS_BY_COUNTRY[country]) {
    v.noticeMonths[f] = str(r.noticeMonths[f]);
    v.ageMin[f] = str(r.ageLimits[f]?.min);
    v.ageMax[f] = str(r.ageLimits[f]?.max);
  }
  for (const f of ENROLMENT_FORMS_BY_COUNTRY[country]) v.finalGrade[f] = str(r.finalGrade[f]);
  v.exceptions = r.rolloverExceptions.map((x) => ({ key: newKey(), unitId: x.unitId, fromName: x.fromName, toName: x.toName, toUnitId: x.toUnitId ?? null }));
  return v;
}

/** A whole number within bounds, or null: digits only (no signs, decimals or exponents). */
export function parseWhole(s: string | undefined, bounds: { min: number; max: number }): number | null {
  const t = (s ?? '').trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n >= bounds.min && n <= bounds.max ? n : null;
}

const rangeError = (bounds: { min: number; max: number }): FieldError => ({ key: 'rules.error.range', vars: { min: bounds.min, max: bounds.max } });

export function validateRules(v: RulesFormValues, country: Country): FieldErrors {
  const e: FieldErrors = {};
  const whole = (path: string, s: string | undefined, bounds: { min: number; max: number }) => {
    if (!(s ?? '').trim()) e[path] = { key: 'validation.required' };
    else if (parseWhole(s, bounds) === null) e[path] = rangeError(bounds);
  };
  for (const f of PLACEMENT_FORMS_BY_COUNTRY[country]) {
    whole(noticePath(f), v.noticeMonths[f], PLACEMENT_RULE_LIMITS.noticeMonths);
    whole(agePath(f, 'min'), v.ageMin[f], PLACEMENT_RULE_LIMITS.age);
    whole(agePath(f, 'max'), v.ageMax[f], PLACEMENT_RULE_LIMITS.age);
    const min = parseWhole(v.ageMin[f], PLACEMENT_RULE_LIMITS.age);
    const max = parseWhole(v.ageMax[f], PLACEMENT_RULE_LIMITS.age);
    // The core would store it, but no child could then ever be placed in the form.
    if (min !== null && max !== null && max < min) e[agePath(f, 'max')] = { key: 'rules.error.ageOrder', vars: { min } };
  }
  for (const f of ENROLMENT_FORMS_BY_COUNTRY[country]) whole(gradePath(f), v.finalGrade[f], PLACEMENT_RULE_LIMITS.finalGrade);
  whole('guaranteeMonths', v.guaranteeMonths, PLACEMENT_RULE_LIMITS.guaranteeMonths);

  if (v.exceptions.length > PLACEMENT_RULE_LIMITS.rolloverExceptions) e.rolloverExceptions = { key: 'rules.error.tooMany', vars: { max: PLACEMENT_RULE_LIMITS.rolloverExceptions } };
  const seen = new Set<string>();
  v.exceptions.forEach((x, i) => {
    if (!x.unitId) e[exceptionPath(i, 'unitId')] = { key: 'validation.required' };
    for (const k of ['fromName', 'toName'] as const) {
      const s = x[k].trim();
      if (!s) e[exceptionPath(i, k)] = { key: 'validation.required' };
      else if (s.length > PLACEMENT_RULE_LIMITS.className) e[exceptionPath(i, k)] = { key: 'validation.too_long_max', vars: { max: PLACEMENT_RULE_LIMITS.className } };
    }
    // Two rules for the same class would leave the rollover to pick one of them.
    const id = `${x.unitId ?? ''}\u0000${x.fromName.trim().toLocaleLowerCase('sv')}`;
    if (x.unitId && x.fromName.trim()) {
      if (seen.has(id) && !e[exceptionPath(i, 'fromName')]) e[exceptionPath(i, 'fromName')] = { key: 'rules.error.duplicateException' };
      seen.add(id);
    }
  });
  return e;
}

/**
 * The document to save: the shown forms from the form (call after validateRules found nothing), every
 * other form as `base` has it. An "other unit" equal to the class's own unit means no other unit.
 */
export function valuesToRules(v: RulesFormValues, base: PlacementRules, country: Country): PlacementRules {
  const num = (s: string | undefined, bounds: { min: number; max: number }, fallback: number) => parseWhole(s, bounds) ?? fallback;
  const noticeMonths = { ...base.noticeMonths };
  const ageLimits = { ...base.ageLimits };
  const finalGrade = { ...base.finalGrade };
  for (const f of PLACEMENT_FORMS_BY_COUNTRY[country]) {
    noticeMonths[f] = num(v.noticeMonths[f], PLACEMENT_RULE_LIMITS.noticeMonths, base.noticeMonths[f] ?? 0);
    ageLimits[f] = { min: num(v.ageMin[f], PLACEMENT_RULE_LIMITS.age, base.ageLimits[f]?.min ?? 0), max: num(v.ageMax[f], PLACEMENT_RULE_LIMITS.age, base.ageLimits[f]?.max ?? 0) };
  }
  for (const f of ENROLMENT_FORMS_BY_COUNTRY[country]) finalGrade[f] = num(v.finalGrade[f], PLACEMENT_RULE_LIMITS.finalGrade, base.finalGrade[f] ?? 0);
  return {
    noticeMonths,
    ageLimits,
    finalGrade,
    rolloverExceptions: v.exceptions.map((x) => ({
      unitId: x.unitId ?? '',
      fromName: x.fromName.trim(),
      toName: x.toName.trim(),
      toUnitId: x.toUnitId && x.toUnitId !== x.unitId ? x.toUnitId : null,
    })),
    guaranteeMonths: num(v.guaranteeMonths, PLACEMENT_RULE_LIMITS.guaranteeMonths, base.guaranteeMonths),
  };
}

/** Whether the form differs from what it opened with (row keys are not content). */
export function rulesDirty(a: RulesFormValues, b: RulesFormValues): boolean {
  const plain = (v: RulesFormValues) => JSON.stringify({ ...v, exceptions: v.exceptions.map(({ key: _, ...x }) => x) });
  return plain(a) !== plain(b);
}

/** The field paths the screen shows: the country's forms and the exception rows there are. */
export function rulesFieldKnown(v: RulesFormValues, country: Country): (path: string) => boolean {
  const known = new Set<string>(['guaranteeMonths', 'rolloverExceptions']);
  for (const f of PLACEMENT_FORMS_BY_COUNTRY[country]) known.add(noticePath(f)).add(agePath(f, 'min')).add(agePath(f, 'max'));
  for (const f of ENROLMENT_FORMS_BY_COUNTRY[country]) known.add(gradePath(f));
  v.exceptions.forEach((_, i) => {
    for (const k of ['unitId', 'fromName', 'toName', 'toUnitId'] as const) known.add(exceptionPath(i, k));
  });
  return (p) => known.has(p);
}

/** The bounds of a numeric field, for saying the range when the core's zod refuses a number there. */
export function boundsOf(path: string): { min: number; max: number } | null {
  if (path.startsWith('noticeMonths.')) return PLACEMENT_RULE_LIMITS.noticeMonths;
  if (path.startsWith('ageLimits.')) return PLACEMENT_RULE_LIMITS.age;
  if (path.startsWith('finalGrade.')) return PLACEMENT_RULE_LIMITS.finalGrade;
  if (path === 'guaranteeMonths') return PLACEMENT_RULE_LIMITS.guaranteeMonths;
  return null;
}

/**
 * The core's refusal → the fields. Validation issues on numbers say the field's range (zod's own codes,
 * too_small/too_big, mean nothing to a clerk); the rest is mapped as every care form maps it.
 */
export function mapRulesError(e: ApiError, known: (path: string) => boolean): MappedError {
  return mapApiError(e, known, {
    issue: (i, field) => {
      const bounds = boundsOf(field);
      return bounds && i.code !== 'required' ? rangeError(bounds) : undefined;
    },
  });
}

/**
 * The errors after removing exception row `removed`: that row's messages go, the rows below move up one
 * (messages are keyed by position, as the core's paths are).
 */
export function shiftExceptionErrors(errors: FieldErrors, removed: number): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, err] of Object.entries(errors)) {
    const m = /^rolloverExceptions\.(\d+)\.(.+)$/.exec(path);
    if (!m) out[path] = err;
    else if (Number(m[1]) > removed) out[`rolloverExceptions.${Number(m[1]) - 1}.${m[2]}`] = err;
    else if (Number(m[1]) < removed) out[path] = err;
  }
  return out;
}

/** The saved rules as form values, keeping the rows' keys so the row in focus is not rebuilt after saving. */
export function savedValues(saved: PlacementRules, country: Country, current: RulesFormValues): RulesFormValues {
  const next = rulesToValues(saved, country);
  next.exceptions = next.exceptions.map((x, i) => ({ ...x, key: current.exceptions[i]?.key ?? x.key }));
  return next;
}
