/**
 * The organisation's vocabulary: school forms, unit and group kinds, staff duties, and the formats of
 * unit codes. Zod-free for the renderer (see register.ts); shared/api/schemas.ts builds on these.
 */
import type { Country } from './register';

/** School forms (SS 12000 codes for Sweden; Norwegian forms by their own names). */
export const SCHOOL_FORMS = [
  'FS', // förskola
  'PO', // pedagogisk omsorg (familjedaghem)
  'FTH', // fritidshem
  'OPPFTH', // öppen fritidsverksamhet
  'FKLASS', // förskoleklass
  'GR', // grundskola
  'GRS', // anpassad grundskola
  'GY', // gymnasieskola
  'GYS', // anpassad gymnasieskola
  'VUX', // vuxenutbildning
  'BHG', // barnehage
  'GSK', // grunnskole (trinn 1–10)
  'SFO', // SFO / AKS (Oslo)
  'VGS', // videregående
] as const;
export type SchoolForm = (typeof SCHOOL_FORMS)[number];
export const SCHOOL_FORMS_BY_COUNTRY: Record<Country, readonly SchoolForm[]> = {
  SE: ['FS', 'PO', 'FTH', 'OPPFTH', 'FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX'],
  NO: ['BHG', 'GSK', 'SFO', 'VGS'],
};

export const UNIT_KINDS = ['administration', 'school_unit'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const GROUP_KINDS = ['class', 'department', 'teaching_group'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export const DUTY_ROLES = [
  'principal',
  'deputy_principal',
  'teacher',
  'preschool_teacher',
  'childminder',
  'leisure_teacher',
  'special_needs_teacher',
  'school_nurse',
  'counsellor',
  'administrator',
  'assistant',
  'other',
] as const;
export type DutyRole = (typeof DUTY_ROLES)[number];

/** Longest accepted text per unit field (characters, after trimming). */
export const UNIT_LIMITS = { name: 120, visitingAddress: 200, orgNumber: 20 } as const;
/** Swedish skolenhetskod: 8 digits. */
export const SCHOOL_UNIT_CODE_RE = /^\d{8}$/;
/** Norwegian GSI (Grunnskolens informasjonssystem) school number. */
export const GSI_CODE_RE = /^\d{4,9}$/;
