/**
 * The one typed contract between the UI and the core.
 * Every method names its input and output schema, the error codes it may return, and the permission it
 * requires. The core refuses a call whose permission the actor lacks (deny by default); the access
 * model (roles, unit scopes) fills in who holds which permission.
 *
 * Each domain declares its methods in its own module (shared/api/<domain>.ts) and answers them from its
 * own handler map (core/<domain>/handlers.ts); this module only merges them. DOMAIN_PREFIXES (zod-free,
 * in shared/domain/domains.ts) says which method prefixes belong to which domain; a test checks that the
 * modules, the handler maps and the prefixes agree.
 */
import { z } from 'zod';
import { METHOD_NAMES as METHOD_NAMES_LIST } from './methods';
import type { Domain } from '../domain/domains';
import { accessMethods } from './access';
import { auditMethods } from './audit';
import { def, type MethodDef } from './def';
import { feesMethods } from './fees';
import { foiMethods } from './foi';
import { documentsMethods } from './documents';
import { guardiansMethods } from './guardians';
import { importMethods } from './imports';
import { jobMethods } from './jobs';
import { listsMethods } from './lists';
import { orgMethods } from './org';
import { placementsMethods } from './placements';
import { registerMethods } from './register';
import { syncMethods } from './sync';

export { PERMISSIONS, type Permission } from '../domain/access';
export { def, type MethodDef };

/** Each domain's contract module, by the domain's folder name. */
export const DOMAIN_CONTRACTS = {
  access: accessMethods,
  register: registerMethods,
  org: orgMethods,
  audit: auditMethods,
  guardians: guardiansMethods,
  placements: placementsMethods,
  lists: listsMethods,
  jobs: jobMethods,
  imports: importMethods,
  sync: syncMethods,
  fees: feesMethods,
  foi: foiMethods,
  documents: documentsMethods,
} as const satisfies Record<Domain, Record<string, MethodDef>>;

export const contract = {
  ...accessMethods,
  ...registerMethods,
  ...orgMethods,
  ...auditMethods,
  ...guardiansMethods,
  ...placementsMethods,
  ...listsMethods,
  ...jobMethods,
  ...importMethods,
  ...syncMethods,
  ...feesMethods,
  ...foiMethods,
  ...documentsMethods,
} as const satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export { METHOD_NAMES } from './methods';
// Compile-time proof that methods.ts lists exactly the contract's methods, no more and no fewer.
type ListedName = (typeof METHOD_NAMES_LIST)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _methodListMatches: Same<ListedName, MethodName> = true;
void _methodListMatches;
export const isMethodName = (m: unknown): m is MethodName =>
  typeof m === 'string' && Object.prototype.hasOwnProperty.call(contract, m);
