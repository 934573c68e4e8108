/**
 * The sync screens' logic, free of React so it is tested directly: the header's words for the link's state,
 * the conflict view's rows (one per field the clerk can judge, base / theirs / mine) and the `person.update`
 * input a clerk's per-field choice makes. The core decides what a conflict is and what the clerk may see;
 * this only arranges what `sync.conflict` answered.
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { PersonCard } from './domain';
import { formatDate, formatDateTime, isValidIsoDate } from './format';
import type { TFn } from './i18n';
import { toPersonInput, valuesFromCard } from './personForm';
import type { Lang } from '../../../shared/i18n';

export type SyncStatus = MethodOutput<'sync.status'>;
export type SyncChange = MethodOutput<'sync.changes'>['items'][number];
export type SyncConflict = MethodOutput<'sync.conflict'>;
export type PersonUpdateInput = MethodInput<'person.update'>;
export type Side = 'theirs' | 'mine';

/** The counts and link state a `sync` event carries (a status without the server's address and times). */
export type SyncCounts = Pick<SyncStatus, 'online' | 'pending' | 'conflicts' | 'rejected'>;

/** The parts of the header's indicator, in reading order: the link, then what waits. */
/**
 * The header's sync status: `link` as shown (short: "Offline" without the time, so the header keeps its room
 * for the search box at 1366 px; "Offline sedan 2026-12-04" left it 189 px), `full` as read out and in the
 * tooltip (since when, with the date on another day), and the counts.
 */
export function statusParts(
  s: SyncStatus,
  t: TFn,
  lang: Lang,
  today: string,
): { link: string; full: string; counts: { kind: 'pending' | 'conflicts' | 'rejected'; text: string }[] } {
  let link: string;
  let full: string;
  if (s.online) link = full = t('sync.status.online');
  else {
    link = t('sync.status.offline');
    full = s.lastSyncAt ? t('sync.status.offlineSince', { time: shortTime(s.lastSyncAt, lang, today) }) : link;
  }
  const counts: { kind: 'pending' | 'conflicts' | 'rejected'; text: string }[] = [];
  if (s.pending > 0) counts.push({ kind: 'pending', text: t('sync.status.pending', { count: s.pending }) });
  if (s.conflicts > 0) counts.push({ kind: 'conflicts', text: t('sync.status.conflicts', { count: s.conflicts }) });
  if (s.rejected > 0) counts.push({ kind: 'rejected', text: t('sync.status.rejected', { count: s.rejected }) });
  return { link, full, counts };
}

/** 14:02 today, else the date and time: "offline since" must not read as today's time on a later day. */
function shortTime(ts: string, lang: Lang, today: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  if (local === today) return d.toLocaleTimeString(lang === 'nb' ? 'nb-NO' : lang === 'en' ? 'en-GB' : 'sv-SE', { hour: '2-digit', minute: '2-digit' });
  return formatDateTime(ts, lang);
}

/**
 * Which announcement a new status deserves: one when the conflicts (or refusals) grew since the last status,
 * none when a poll only repeats what was already said (a screen reader would read it out every 10 s).
 */
export function announcement(prev: SyncCounts | null, next: SyncCounts, t: TFn): string | null {
  const before = prev ?? { conflicts: 0, rejected: 0 };
  if (next.conflicts > before.conflicts) return t('sync.announce.conflicts', { count: next.conflicts });
  if (next.rejected > before.rejected) return t('sync.announce.rejected', { count: next.rejected });
  return null;
}

// ---------------------------------------------------------------------------------------------
// The conflict view
// ---------------------------------------------------------------------------------------------

/**
 * Columns the write path derives from others (search and sort keys, the identity number's parts, flags
 * recomputed from the protection): the change records carry them, but nobody chose them, so they are not
 * offered; choosing the field they derive from decides them.
 */
const DERIVED = new Set(['sortKey', 'searchText', 'idKind', 'idCountry', 'idShort', 'shielded', 'isChild', 'isGuardian', 'isStaff', 'protectedSince']);
/** A person's identity number is stored canonical (`idCanonical`); the form and the history call it identityNumber. */
const PERSON_FIELD: Record<string, string> = { idCanonical: 'identityNumber' };
/** An update of a person's address or contact rows is one choice: the list as the server has it or as sent. */
const LIST_OF: Record<string, 'addresses' | 'contacts'> = { person_address: 'addresses', person_contact: 'contacts' };

export interface ConflictRow {
  /** Unique within the view; the row's test id is `conflict-field-<key>`. */
  key: string;
  /** The field as the history names it (for its label). */
  field: string;
  base: unknown;
  theirs: unknown;
  mine: unknown;
  /** `person.update`: the key of the input's `person` the clerk's choice sets; null: shown, not chosen here. */
  choice: string | null;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Rows of a `sync.conflict` answer, in the order the write changed them. */
export function conflictRows(c: SyncConflict): ConflictRow[] {
  const rows: ConflictRow[] = [];
  const taken = new Map<string, number>();
  const push = (r: Omit<ConflictRow, 'key'>) => {
    const n = taken.get(r.field) ?? 0;
    taken.set(r.field, n + 1);
    rows.push({ ...r, key: n === 0 ? r.field : `${r.field}-${n + 1}` });
  };
  if (c.method === 'person.update') {
    const person = ((c.input as Partial<PersonUpdateInput> | null)?.person ?? {}) as Record<string, unknown>;
    const lists = new Map<string, { base: Record<string, unknown>[]; theirs: Record<string, unknown>[]; mine: Record<string, unknown>[] }>();
    const rowOf = new Map<string, number>();
    for (const f of c.fields) {
      if (DERIVED.has(f.field)) continue;
      const list = LIST_OF[f.entity];
      if (list) {
        // One row per list; within it one record per changed address or contact row, field by field.
        let l = lists.get(list);
        if (!l) lists.set(list, (l = { base: [], theirs: [], mine: [] }));
        const at = `${f.entity}|${f.id}`;
        let i = rowOf.get(at);
        if (i === undefined) {
          rowOf.set(at, (i = l.base.length));
          l.base.push({});
          l.theirs.push({});
          l.mine.push({});
        }
        l.base[i]![f.field] = f.base;
        l.theirs[i]![f.field] = f.theirs;
        l.mine[i]![f.field] = f.mine;
        if (!rows.some((r) => r.field === list)) push({ field: list, base: l.base, theirs: l.theirs, mine: l.mine, choice: list in person ? list : null });
        continue;
      }
      // The current name row repeats the person row's name columns: the person row speaks for both.
      if (f.entity !== 'person') continue;
      const field = PERSON_FIELD[f.field] ?? f.field;
      push({ field, base: f.base, theirs: f.theirs, mine: f.mine, choice: field in person ? field : null });
    }
    return rows;
  }
  for (const f of c.fields) {
    if (DERIVED.has(f.field)) continue;
    push({ field: PERSON_FIELD[f.field] ?? f.field, base: f.base, theirs: f.theirs, mine: f.mine, choice: null });
  }
  return rows;
}

/** The side chosen before the clerk says otherwise: the server's where the server changed it, else mine. */
export function defaultSide(r: ConflictRow): Side {
  return same(r.theirs, r.base) ? 'mine' : 'theirs';
}

/** True when the clerk can choose per field here and save that as a new `person.update`. */
export function canChoose(c: SyncConflict, rows: readonly ConflictRow[]): boolean {
  return c.state === 'conflict' && c.method === 'person.update' && rows.some((r) => r.choice !== null);
}

/**
 * The new `person.update`: the conflict's input as the clerk sent it, with the server's current value put in
 * for every field chosen as theirs (from the card as it is now), and the card's current version, so the write
 * is on the current base and never overwrites what the clerk has not seen.
 */
export function resolvedUpdate(c: SyncConflict, rows: readonly ConflictRow[], sides: Readonly<Record<string, Side>>, card: PersonCard, ctx: { today: string; demo: boolean }): PersonUpdateInput {
  const input = c.input as PersonUpdateInput;
  const theirs = toPersonInput(valuesFromCard(card, ctx.today), { ...ctx, shielded: card.shielded }) as Record<string, unknown>;
  const person: Record<string, unknown> = { ...input.person };
  for (const r of rows) {
    if (!r.choice || (sides[r.key] ?? defaultSide(r)) !== 'theirs') continue;
    // A protected person's lists are withheld from the card: theirs means "leave them as they are".
    if (theirs[r.choice] === undefined) delete person[r.choice];
    else person[r.choice] = theirs[r.choice];
  }
  return { ...input, version: card.version, person: person as PersonUpdateInput['person'] };
}

/** The person a change concerns first (the record "Öppna posten" opens), if any. */
export function recordOf(c: Pick<SyncChange, 'persons'> & { input?: unknown; method: string }): string | null {
  if (c.method.startsWith('person.')) {
    const id = (c.input as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') return id;
  }
  return c.persons[0]?.id ?? null;
}

/** Yes/no fields: the change records keep them as SQLite stores them, 0 or 1. */
const FLAGS = new Set(['messagesAllowed', 'livesWith', 'shielded', 'shared']);

/** A value of the conflict view in words: empty, yes/no, a date the local way, a list of records as text. */
export function valueText(v: unknown, t: TFn, lang: Lang, field?: string): string {
  if (v === null || v === undefined || v === '') return t('sync.value.empty');
  if (typeof v === 'boolean' || (field && FLAGS.has(field) && (v === 0 || v === 1))) return t(v ? 'sync.value.yes' : 'sync.value.no');
  if (typeof v === 'string') return isValidIsoDate(v) ? formatDate(v, lang) : v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    const parts = v.map((x) => (x && typeof x === 'object' ? recordText(x as Record<string, unknown>, t, lang) : valueText(x, t, lang))).filter((s) => s !== '');
    return parts.length ? parts.join(' · ') : t('sync.value.empty');
  }
  if (typeof v === 'object') return recordText(v as Record<string, unknown>, t, lang) || t('sync.value.empty');
  return String(v);
}

function recordText(o: Record<string, unknown>, t: TFn, lang: Lang): string {
  return Object.entries(o)
    .filter(([k, x]) => k !== 'id' && x !== null && x !== undefined && x !== '')
    .map(([k, x]) => valueText(x, t, lang, k))
    .join(', ');
}
