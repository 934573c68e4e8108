/**
 * Types the screens share, named once.
 *
 * Mostly types live here. The values behind them (enumerations, limits, formats) are imported from
 * shared/domain, which is zod-free: shared/api builds zod schemas at module load, and zod's JIT calls
 * `new Function`, which the renderer's CSP (`script-src 'self'`) refuses. Type imports are erased, so
 * importing types from shared/api is safe; the renderer build fails if zod reaches the bundle
 * (scripts/renderer-bundle-check.ts). The fee values have no zod-free home yet: they are mirrored at the
 * end of this file (checked against the contract by tsc and domain.test.ts).
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { PersonCard, PersonSummary, SearchHit, UnitCard } from '../../../shared/api/schemas';
import type { FeeWarningCode } from '../../../shared/api/fees';

export type { PersonCard, PersonSummary, SearchHit, UnitCard };
export type { GuardianshipKind } from '../../../shared/domain/care';
export type { DutyRole, GroupKind, SchoolForm, UnitKind } from '../../../shared/domain/org';
export type { AddressKind, ContactKind, Country, IdKind, Maalform, PersonRole, PersonStatus, ProtectionLevel, Sex } from '../../../shared/domain/register';
export type SessionInfo = MethodOutput<'session.info'>;
export type OrgTree = MethodOutput<'org.tree'>;
export type GroupCard = MethodOutput<'group.get'>;
export type PersonFieldsInput = MethodInput<'person.create'>;
export type UnitInput = MethodInput<'unit.create'>;

// ---------------------------------------------------------------------------------------------
// Fees (shared/api/fees.ts): the contract's values mirrored here, because shared/api builds zod schemas
// at load. The types below prove at compile time that each list holds exactly the contract's values, and
// domain.test.ts compares them (and their order) with the contract's own lists.
// ---------------------------------------------------------------------------------------------
/** What a fee computation asks the fee administrator to look at (FEE_WARNINGS). */
export const FEE_WARNINGS = [
  'no_rule_set',
  'no_household',
  'income_not_declared',
  'no_recipient',
  'no_address',
  'protected_recipient',
  'shared_split_missing',
  'shared_registered_unknown',
] as const;
export type { FeeWarningCode };
/** fee.explain's warnings: the run's codes and one more (the child has no fee-bearing place that month). */
export const EXPLAIN_WARNINGS = [...FEE_WARNINGS, 'no_fee_place'] as const;
export type ExplainWarningCode = (typeof EXPLAIN_WARNINGS)[number];
export const FEE_RUN_KINDS = ['regular', 'credit_note'] as const;
export type FeeRunKind = (typeof FEE_RUN_KINDS)[number];
export const FEE_RUN_STATES = ['computing', 'ready', 'failed', 'locking', 'locked', 'posted', 'discarded'] as const;
export type FeeRunState = (typeof FEE_RUN_STATES)[number];
/** The most lines or warnings one page of fee.runLines / fee.runWarnings may ask for. */
export const FEE_PAGE_MAX = 500;
export const INCOME_SOURCES = ['declared', 'not_declared', 'income_check', 'administrator'] as const;
export type IncomeSource = (typeof INCOME_SOURCES)[number];
/** A month's income above this (öre) is refused as a typing error. */
export const INCOME_MAX = 1_000_000_000;
export const FEE_EXPORT_FORMATS = ['csv', 'ubl', 'payment'] as const;
export type FeeExportFormat = (typeof FEE_EXPORT_FORMATS)[number];

export type FeeRunView = MethodOutput<'fee.runGet'>;
export type FeeRunSummary = NonNullable<FeeRunView['summary']>;
export type FeeLineView = MethodOutput<'fee.runLines'>['items'][number];
export type FeeWarningRow = MethodOutput<'fee.runWarnings'>['items'][number];
export type FeeExplanation = NonNullable<FeeLineView['explanation']>;
export type FeeExplain = MethodOutput<'fee.explain'>;
export type IncomeView = MethodOutput<'income.list'>['items'][number];
export type IncomeDeclareInput = MethodInput<'income.declare'>;
/** A household's yearly income check (income.checks / income.check), with its 12 months. */
export type IncomeCheckView = MethodOutput<'income.checks'>['items'][number];
export type IncomeCheckOutcome = IncomeCheckView['outcome'];
export type IncomeCheckMonth = IncomeCheckView['months'][number];
export type IncomeCheckInput = MethodInput<'income.check'>;
export type CsvLayoutView = MethodOutput<'fee.rules'>['settings']['csvLayouts'][number];

// Compile-time proof that each mirrored list is exactly the contract's set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const feeListsMatch: [
  Same<(typeof FEE_WARNINGS)[number], FeeWarningCode>,
  Same<ExplainWarningCode, FeeExplain['warnings'][number]['code']>,
  Same<FeeRunKind, FeeRunView['kind']>,
  Same<FeeRunState, FeeRunView['state']>,
  Same<IncomeSource, IncomeView['source']>,
  Same<FeeExportFormat, MethodInput<'fee.runExport'>['format']>,
] = [true, true, true, true, true, true];
void feeListsMatch;
