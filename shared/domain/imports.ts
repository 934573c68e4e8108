/**
 * The vocabulary of imports (zod-free: the renderer imports it). A population-register file or a legacy
 * CSV is read and compared with the register in a dry run; what it would change is listed per kind; the
 * clerk applies it in one step; consequences for placements land on the work list.
 */
export const IMPORT_FORMATS = ['navet', 'freg', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** `reading`: the parse-and-compare job runs; `ready`: the dry run is there to review; then applied or discarded. */
export const IMPORT_STATES = ['reading', 'ready', 'applying', 'applied', 'discarded', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** What one row of a dry run changes, as counted and filtered on the review screen. */
export const CHANGE_KINDS = [
  'new_person',
  'name',
  'address',
  'contact',
  'identity',
  'protection_added',
  'protection_removed',
  'moved_out',
  'emigrated',
  'deceased',
  'custody',
  'details',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Consequences a clerk confirms (or dismisses) on the work list; never applied silently. */
export const WORK_KINDS = ['moved_out', 'emigrated', 'deceased', 'custody', 'protection_added'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];
export const WORK_STATES = ['open', 'confirmed', 'dismissed'] as const;
export type WorkState = (typeof WORK_STATES)[number];

/** Fields a legacy CSV column can be mapped to (a mapping names, per field, the column that holds it). */
export const CSV_FIELDS = [
  'identityNumber',
  'reserveNumber',
  'birthDate',
  'sex',
  'givenName',
  'middleName',
  'familyName',
  'preferredName',
  'street',
  'careOf',
  'postalCode',
  'city',
  'country',
  'phone',
  'mobile',
  'email',
  'protection',
  'guardian1IdentityNumber',
  'guardian2IdentityNumber',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
/** Without these a row is no person. */
export const CSV_REQUIRED: readonly CsvField[] = ['givenName', 'familyName'];

export const IMPORT_PAGE_MAX = 500;
