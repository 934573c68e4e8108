/** Minimal argv parsing: positionals and --flag / --flag value / --flag=value. Unknown flags are errors. */
import { isCalendarDate } from '../../shared/api/schemas';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  /** Values of the options that may be repeated, in order. */
  lists: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], known: { boolean?: string[]; value?: string[]; repeated?: string[] }): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const bools = new Set(known.boolean ?? []);
  const repeated = new Set(known.repeated ?? []);
  const values = new Set([...(known.value ?? []), ...repeated]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    if (bools.has(name)) {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (values.has(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
      if (repeated.has(name)) lists.set(name, [...(lists.get(name) ?? []), v]);
    } else {
      throw new UsageError(`Unknown option --${name}`);
    }
  }
  return { positionals, flags, lists };
}

export function intFlag(args: ParsedArgs, name: string, dflt: number, min: number, max: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function countryFlag(args: ParsedArgs, dflt: 'SE' | 'NO'): 'SE' | 'NO' {
  const v = args.flags.get('country');
  if (v === undefined) return dflt;
  if (v === 'se' || v === 'SE') return 'SE';
  if (v === 'no' || v === 'NO') return 'NO';
  throw new UsageError('--country must be se or no');
}

export function dateFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  // A calendar check, not only the shape: 2026-02-30 would otherwise crash the identity parser with a RangeError.
  if (typeof v !== 'string' || !isCalendarDate(v)) throw new UsageError(`--${name} must be a date YYYY-MM-DD`);
  return v;
}
