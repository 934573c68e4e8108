/**
 * Types the screens share, named once.
 *
 * Only types live here. The values behind them (enumerations, limits, formats) are imported from
 * shared/domain, which is zod-free: shared/api builds zod schemas at module load, and zod's JIT calls
 * `new Function`, which the renderer's CSP (`script-src 'self'`) refuses. Type imports are erased, so
 * importing types from shared/api is safe; the renderer build fails if zod reaches the bundle
 * (scripts/renderer-bundle-check.ts).
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { PersonCard, PersonSummary, SearchHit, UnitCard } from '../../../shared/api/schemas';

export type { PersonCard, PersonSummary, SearchHit, UnitCard };
export type { GuardianshipKind } from '../../../shared/domain/care';
export type { DutyRole, GroupKind, SchoolForm, UnitKind } from '../../../shared/domain/org';
export type { AddressKind, ContactKind, Country, IdKind, Maalform, PersonRole, PersonStatus, ProtectionLevel, Sex } from '../../../shared/domain/register';
export type SessionInfo = MethodOutput<'session.info'>;
export type OrgTree = MethodOutput<'org.tree'>;
export type GroupCard = MethodOutput<'group.get'>;
export type PersonFieldsInput = MethodInput<'person.create'>;
export type UnitInput = MethodInput<'unit.create'>;
