/**
 * The access model lives in shared/domain/access.ts (zod-free, so the renderer can import it without zod);
 * this module keeps the contract's import path for the core.
 */
export * from '../domain/access';
