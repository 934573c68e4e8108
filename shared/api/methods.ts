/**
 * The contract's method names as a plain literal list, with no imports: the Electron main process and the
 * preload check call names against it without bundling zod and every schema (≈ 800 KB each otherwise).
 * contract.ts proves at compile time that this list and the contract's keys are the same set.
 */
export const METHOD_NAMES = [
  'session.info',
  'search.query',
  'person.list',
  'person.get',
  'person.checkIdentity',
  'person.create',
  'person.update',
  'org.tree',
  'unit.get',
  'unit.create',
  'unit.update',
  'group.get',
  'auth.status',
  'auth.setup',
  'auth.signIn',
  'auth.verifyTotp',
  'auth.signOut',
  'auth.lock',
  'auth.unlock',
  'auth.changePassword',
  'auth.totpBegin',
  'auth.totpConfirm',
  'person.reveal',
  'user.list',
  'user.create',
  'user.update',
  'user.resetPassword',
  'user.resetTotp',
  'policy.update',
  'audit.query',
  'audit.export',
  'audit.verify',
] as const;
