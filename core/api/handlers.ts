/**
 * The core's handler registry: it merges each domain's handler map (core/<domain>/handlers.ts), one entry
 * per contract method, each a plain function of (input, call context). `satisfies CoreHandlers` makes a
 * missing or mistyped method a compile error; each domain's map is typed by its own contract module.
 */
import type { Auth } from '../access/auth';
import { createAccessHandlers } from '../access/handlers';
import { PersonScope } from '../access/scope';
import { createAuditHandlers } from '../audit/handlers';
import type { CoreContext } from '../context';
import { createFeesHandlers } from '../fees/handlers';
import { createFoiHandlers } from '../foi/handlers';
import { createDocumentsHandlers } from '../documents/handlers';
import { createGuardiansHandlers } from '../guardians/handlers';
import { createImportHandlers } from '../imports/handlers';
import { createJobHandlers } from '../jobs/handlers';
import { createListsHandlers } from '../lists/handlers';
import { createOrgHandlers } from '../org/handlers';
import { createPlacementsHandlers } from '../placements/handlers';
import { createRegisterHandlers } from '../register/handlers';
import { createSyncHandlers, type JoinHook, type SyncLink } from '../sync/handlers';
import type { CoreHandlers } from './types';

export type { CallContext, CoreHandlers } from './types';

/** Each domain's handler map, by the domain's folder name (the contract test compares it with DOMAIN_CONTRACTS). */
export function createDomainHandlers(ctx: CoreContext, auth: Auth, syncLink: () => SyncLink | null = () => null, join: JoinHook | null = null) {
  const scope = new PersonScope(ctx);
  return {
    access: createAccessHandlers(ctx, auth),
    register: createRegisterHandlers(ctx, scope),
    org: createOrgHandlers(ctx, scope),
    audit: createAuditHandlers(ctx),
    guardians: createGuardiansHandlers(ctx, scope),
    placements: createPlacementsHandlers(ctx, scope),
    lists: createListsHandlers(ctx),
    jobs: createJobHandlers(ctx),
    imports: createImportHandlers(ctx),
    sync: createSyncHandlers(ctx, syncLink, join),
    fees: createFeesHandlers(ctx),
    foi: createFoiHandlers(ctx),
    documents: createDocumentsHandlers(ctx, scope),
  };
}

export function createHandlers(ctx: CoreContext, auth: Auth, syncLink?: () => SyncLink | null, join?: JoinHook | null): CoreHandlers {
  const d = createDomainHandlers(ctx, auth, syncLink, join ?? null);
  return { ...d.access, ...d.register, ...d.org, ...d.audit, ...d.guardians, ...d.placements, ...d.lists, ...d.jobs, ...d.imports, ...d.sync, ...d.fees, ...d.foi, ...d.documents } satisfies CoreHandlers;
}
