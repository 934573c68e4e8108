/**
 * The handler map's types, in a module of their own: the domain handler files and the dispatcher import
 * them from here, so no domain module imports the registry that imports it (the old type cycle).
 */
import type { Contract, DOMAIN_CONTRACTS, MethodName, MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import type { Domain } from '../../shared/domain/domains';
import type { CallContext } from './dispatch';

export type { CallContext };

/** A quick method answers synchronously; an async or job method returns a promise. */
type Returns<M extends MethodName> = NonNullable<Contract[M]['run']> extends 'async' | 'job' ? Promise<MethodOutput<M>> : MethodOutput<M>;

export type CoreHandlers = {
  [M in MethodName]: (input: MethodParsedInput<M>, call: CallContext) => Returns<M>;
};

/** The methods of one domain's contract module (shared/api/<domain>.ts). */
export type DomainMethod<D extends Domain> = keyof (typeof DOMAIN_CONTRACTS)[D] & MethodName;

/**
 * One domain's handler map (core/<domain>/handlers.ts): exactly its contract module's methods, so a
 * method missing from it, or one answered by the wrong domain, is a compile error.
 */
export type DomainHandlers<D extends Domain> = { [M in DomainMethod<D>]: CoreHandlers[M] };
