import type { z } from 'zod';
import type { Permission } from './access';
import type { ErrorCode } from './errors';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  permission: Permission;
  errors: readonly ErrorCode[];
  /** Reads or writes personal data: recorded in the audit log. */
  personal: boolean;
  /** Changes stored data: recorded in the audit log with before and after, in the same transaction. */
  writes: boolean;
}
export const def = <I extends z.ZodType, O extends z.ZodType>(d: MethodDef<I, O>): MethodDef<I, O> => d;
