/**
 * The handler map's types, in a module of their own: the domain handler files and the dispatcher import
 * them from here, so no domain module imports the registry that imports it (the old type cycle).
 */
import type { Contract, MethodName, MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import type { CallContext } from './dispatch';

export type { CallContext };

/** A quick method answers synchronously; an async or job method returns a promise. */
type Returns<M extends MethodName> = NonNullable<Contract[M]['run']> extends 'async' | 'job' ? Promise<MethodOutput<M>> : MethodOutput<M>;

export type CoreHandlers = {
  [M in MethodName]: (input: MethodParsedInput<M>, call: CallContext) => Returns<M>;
};
