/**
 * What one user may hold in a workstation's cache (docs/sync.md "Reads: the feed"), computed by the core's
 * own rules on the engine's replica, so the feed withholds exactly what the core withholds on a screen:
 *
 * - persons: those in the user's `register.read` scope (everyone for a municipality-wide grant; for a unit
 *   grant the core's PersonScope: the units' children, pupils, applicants, staff and those children's
 *   guardians). Identity records, guardianships, households and staff duties hang on them.
 * - care records (placements, enrolments, applications, group memberships): only with `placement.read`,
 *   and only for persons in that permission's scope.
 * - a protected person's, or a shielded person's, addresses, contacts and documents: only with `protected.reveal` for
 *   them (core/register/shielding.ts: anyone sharing a protected person's home reveals it). The person row
 *   itself carries `protection` and `shielded`, so the cache knows the data is withheld and says so.
 * - work items: only with `worklist.handle`.
 * - FOI requests and their persons concerned: only with `foi.read` for the whole municipality; a request's
 *   requester contact not when the requester is a protected or shielded person hidden from the user (a
 *   contact typed before the protection began).
 * - units, groups, the municipality, households (an id and nothing else): every signed-in user.
 * - accounts and role assignments: the user's own, or all of them for `access.admin`; never a secret or a
 *   sign-in counter.
 */
import type Database from 'better-sqlite3';
import { PersonScope, scopeOf } from '../../core/access/scope';
import type { Actor, CoreContext } from '../../core/context';
import type { RecordTable, Row } from '../../core/write/records';

export type PersonSet = 'all' | ReadonlySet<string>;

export interface Visibility {
  userId: string;
  /** Persons whose identity records the user may hold. */
  persons: PersonSet;
  /** Persons whose care records the user may hold (⊆ persons in practice; checked on its own). */
  care: PersonSet;
  /** Visible persons whose addresses and contacts are withheld from this user. */
  hidden: ReadonlySet<string>;
  worklist: boolean;
  accounts: 'all' | 'own';
  /** Households' incomes (fee.read): no other user's cache holds any. */
  fees: boolean;
  /** FOI requests (foi.read): no other user's cache holds any. */
  foi: boolean;
}

const IDENTITY: ReadonlySet<RecordTable> = new Set(['person', 'person_name', 'person_identity', 'guardianship', 'household_member', 'staff_duty']);
// A person's documents go with their addresses: a letter may say where they live.
const CONTACT: ReadonlySet<RecordTable> = new Set(['person_address', 'person_contact', 'person_document']);
const CARE: ReadonlySet<RecordTable> = new Set(['placement', 'enrolment', 'application', 'group_membership']);
const SHARED: ReadonlySet<RecordTable> = new Set(['org_unit', 'school_group', 'municipality', 'household']);

/** Columns that never leave the server: secrets, and sign-in bookkeeping that is the server's own state. */
const WITHHELD_COLUMNS: Partial<Record<RecordTable, readonly string[]>> = {
  user_account: ['password_hash', 'totp_secret', 'totp_last_step', 'failed_attempts', 'locked_until'],
};

export class Projection {
  private readonly scope: PersonScope;
  private readonly hiddenAll: Database.Statement;
  private readonly changeMark: Database.Statement;
  /**
   * The protected and shielded persons, read once per state of the replica from the partial index
   * person_withheld (before it, a scan of every person: tens of milliseconds after every push on a large
   * register, the server's largest CPU cost in the sync bench). The key is the connection's count of changed rows with the file's data version, so any write
   * to the replica, through this connection or another, reads them again; never cached inside a transaction.
   */
  private hiddenCache: { key: string; ids: string[] } | null = null;

  constructor(private readonly ctx: CoreContext) {
    this.scope = new PersonScope(ctx);
    // Written as the partial index person_withheld's own condition, so SQLite reads that index alone.
    this.hiddenAll = ctx.sqlite.prepare(`SELECT id FROM person WHERE (protection <> 'none' or shielded = 1) and deleted_at is null`).pluck();
    this.changeMark = ctx.sqlite.prepare('SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS v');
  }

  private hiddenIds(): string[] {
    // Inside a transaction the rows may yet be rolled back, which the change count would not show.
    if (this.ctx.sqlite.inTransaction) return this.hiddenAll.all() as string[];
    const m = this.changeMark.get() as { c: number; v: number };
    const key = `${m.c}:${m.v}`;
    if (this.hiddenCache?.key !== key) this.hiddenCache = { key, ids: this.hiddenAll.all() as string[] };
    return this.hiddenCache.ids;
  }

  /**
   * The visible persons whose addresses and contacts are withheld. The same inputs (one replica state, the
   * same scope sets) give the same Set object, so the feed recognises an unchanged set without hashing it.
   */
  private hiddenFor(persons: PersonSet, reveal: PersonSet | null): ReadonlySet<string> {
    if (reveal === 'all') return EMPTY;
    const ids = this.hiddenIds();
    const m = this.hiddenMemo;
    if (m && m.ids === ids && m.persons === persons && m.reveal === reveal) return m.set;
    const set = new Set<string>();
    for (const id of ids) {
      if (!has(persons, id)) continue;
      if (reveal && reveal.has(id)) continue;
      set.add(id);
    }
    // Only the municipality-wide case is kept: unit sets are new objects on every call anyway.
    if (persons === 'all' && reveal === null) this.hiddenMemo = { ids, persons, reveal, set };
    return set;
  }
  private hiddenMemo: { ids: string[]; persons: PersonSet; reveal: PersonSet | null; set: ReadonlySet<string> } | null = null;

  visibility(actor: Actor): Visibility {
    const setOf = (p: 'register.read' | 'placement.read' | 'protected.reveal'): PersonSet | null => {
      const s = scopeOf(actor, p);
      if (s === null) return null;
      if (s === 'all') return 'all';
      return this.scope.of(s).ids;
    };
    const persons = setOf('register.read') ?? new Set<string>();
    const care = setOf('placement.read') ?? new Set<string>();
    const reveal = setOf('protected.reveal');
    const hidden = this.hiddenFor(persons, reveal);
    return {
      userId: actor.id,
      persons,
      care,
      hidden,
      worklist: actor.permissions.has('worklist.handle'),
      fees: scopeOf(actor, 'fee.read') === 'all',
      foi: scopeOf(actor, 'foi.read') === 'all',
      accounts: actor.permissions.has('access.admin') ? 'all' : 'own',
    };
  }

  /**
   * Whether the record may be in this user's cache, and in which form: the row to send (secrets removed),
   * or null when it must not be there.
   */
  static project(v: Visibility, entity: RecordTable, personId: string | null, data: Row): Row | null {
    if (SHARED.has(entity)) return data;
    if (entity === 'user_account' || entity === 'role_assignment') {
      const owner = entity === 'user_account' ? data.id : data.user_id;
      if (v.accounts !== 'all' && owner !== v.userId) return null;
      const drop = WITHHELD_COLUMNS[entity];
      if (!drop) return data;
      const out = { ...data };
      for (const c of drop) delete out[c];
      return out;
    }
    if (entity === 'income_declaration' || entity === 'income_check' || entity === 'fee_reduction' || entity === 'fee_run' || entity === 'fee_line') return v.fees ? data : null;
    // A gathered item is a reference (table, id, hash, proposal): no values of the record it names.
    if (entity === 'foi_request_person' || entity === 'foi_item' || entity === 'foi_disclosure') return v.foi ? data : null;
    if (entity === 'foi_request') {
      if (!v.foi) return null;
      const requester = data.requester_person_id as string | null;
      // A requester outside the user's persons cannot be told apart from a hidden one: withheld as well.
      if (requester && data.requester_contact != null && (v.hidden.has(requester) || !has(v.persons, requester))) return { ...data, requester_contact: null };
      return data;
    }
    if (entity === 'work_item') return v.worklist && (!personId || has(v.persons, personId)) ? data : null;
    if (!personId) return null;
    if (CARE.has(entity)) return has(v.care, personId) ? data : null;
    if (!has(v.persons, personId)) return null;
    if (CONTACT.has(entity)) return v.hidden.has(personId) ? null : data;
    if (IDENTITY.has(entity)) return data;
    return null;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

export const has = (s: PersonSet, id: string): boolean => s === 'all' || s.has(id);

/** Tables whose records hang on a person (removed from a cache when the person leaves the user's scope). */
export const PERSON_BOUND: readonly RecordTable[] = [...IDENTITY, ...CONTACT, ...CARE, 'work_item'];
export const CONTACT_TABLES: readonly RecordTable[] = [...CONTACT];
