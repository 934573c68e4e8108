/**
 * What a handler tells the audit log about its call: whose data it touched, what changed, why.
 * The dispatcher writes one entry from it, inside the call's transaction.
 */
export class AuditRecorder {
  readonly personIds = new Set<string>();
  details: Record<string, unknown> = {};
  reason: string | null = null;
  action: string | null = null;

  persons(ids: Iterable<string>): this {
    for (const id of ids) this.personIds.add(id);
    return this;
  }

  detail(key: string, value: unknown): this {
    this.details[key] = value;
    return this;
  }
}

type Leaf = string | number | boolean | null;

/** Stands for a value the audit log records only as changed. */
export const REDACTED = '[not logged]';

/** Flattens a JSON value to dotted paths (`addresses.0.city`), for field-level before/after. */
function flatten(v: unknown, prefix: string, out: Map<string, Leaf>): void {
  if (v === undefined) return;
  if (v === null || typeof v !== 'object') {
    out.set(prefix, v as Leaf);
    return;
  }
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) out.set(prefix, Array.isArray(v) ? '[]' : '{}');
  for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
}

/**
 * Field-level changes between two views of a record: `{ path: [before, after] }` for every leaf that
 * differs. Views come from the same readers the UI uses, so shielded details (empty for a protected
 * person) never enter the log.
 */
export function diffViews(
  before: unknown,
  after: unknown,
  ignore: readonly string[] = [],
  /** Paths whose values never enter the log: only the fact that they changed does. */
  redact: readonly string[] = [],
): Record<string, [Leaf | null, Leaf | null]> {
  const a = new Map<string, Leaf>();
  const b = new Map<string, Leaf>();
  flatten(before, '', a);
  flatten(after, '', b);
  const under = (list: readonly string[], p: string) => list.some((i) => p === i || p.startsWith(`${i}.`));
  const skip = (p: string) => under(ignore, p);
  const out: Record<string, [Leaf | null, Leaf | null]> = {};
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (skip(k)) continue;
    if (a.get(k) === b.get(k)) continue;
    out[k] = under(redact, k) ? [a.has(k) ? REDACTED : null, b.has(k) ? REDACTED : null] : [a.get(k) ?? null, b.get(k) ?? null];
  }
  return out;
}
