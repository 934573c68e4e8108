/**
 * The person register: card, list, create, update.
 * Reads on hot paths are prepared raw SQL (measured against the same SQL as the floor in test/bench);
 * writes go through the one write path (core/write/records.ts) inside one transaction: the person, each
 * name, address and contact row is a record with its own version and change record, all under the
 * call's mutation id.
 */
import { eq } from 'drizzle-orm';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { isProtected, type PersonCard, type ProtectionLevel } from '../../shared/api/schemas';
import { formatIdentityNumber, parseIdentityNumber } from '../../shared/identity';
import { foldText, foldWords } from '../../shared/text';
import { personSortKey, type CollationCountry } from '../../shared/collation';
import type Database from 'better-sqlite3';
import { personNameToken } from '../../db/schema';
import type { CoreContext } from '../context';
import { addDays } from '../dates';
import { deleteRecord, insertRecord, readRecord, updateRecord, type Op, type RecordTable, type Row, type Writer } from '../write/records';
import { refreshShielding } from './shielding';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary';

type PersonFieldsParsed = MethodParsedInput<'person.create'>;

/** A person's sort key in the alphabetical order of the municipality's country (shared/collation.ts). */
export function sortKeyOf(p: { familyName: string; givenName: string }, country: CollationCountry): string {
  return personSortKey(p, country);
}

/** The country whose alphabet the register sorts by: the municipality's (Sweden until one is set up). */
export function collationCountry(sqlite: Database.Database): CollationCountry {
  return (sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as CollationCountry | undefined) ?? 'SE';
}

/** What the trigram index sees: folded names and identity digits. Never an address or contact. */
export function searchTextOf(p: {
  givenName: string;
  middleName: string | null;
  familyName: string;
  preferredName: string | null;
  idCanonical: string | null;
  idShort: string | null;
}): string {
  return [p.givenName, p.middleName, p.familyName, p.preferredName]
    .filter(Boolean)
    .map((n) => foldText(n!))
    .concat([p.idCanonical ?? '', p.idShort ?? ''])
    .filter(Boolean)
    .join(' ');
}

export function nameTokensOf(p: { givenName: string; middleName: string | null; familyName: string; preferredName: string | null }): string[] {
  return [...new Set(foldWords([p.givenName, p.middleName, p.familyName, p.preferredName].filter(Boolean).join(' ')))];
}

/** SE short form drops the century; NO numbers have no longer form. */
export function shortIdOf(canonical: string | null, country: string | null): string | null {
  if (!canonical) return null;
  return country === 'SE' && canonical.length === 12 ? canonical.slice(2) : canonical;
}

interface ResolvedIdentity {
  reserveNumber: string | null;
  idKind: string | null;
  idCanonical: string | null;
  idCountry: string | null;
  idShort: string | null;
  birthDate: string;
  sex: 'F' | 'M' | 'X' | null;
}

/** Validates the identity number against the rest of the input; every problem names its field. */
function resolveIdentity(ctx: CoreContext, input: PersonFieldsParsed, excludeId: string | null): ResolvedIdentity {
  const issues: { field: string; code: string; message: string }[] = [];
  let res: ResolvedIdentity;
  if (input.identityNumber) {
    const parsed = parseIdentityNumber(input.identityNumber, { today: ctx.clock.today(), allowSynthetic: ctx.demo });
    if (!parsed.ok) {
      throw new DomainError('validation', parsed.message, 'identityNumber', [
        { field: 'identityNumber', code: `identity.${parsed.code}`, message: parsed.message },
      ]);
    }
    if (input.birthDate && input.birthDate !== parsed.birthDate) {
      issues.push({
        field: 'birthDate',
        code: 'birth_date_mismatch',
        message: `Birth date ${input.birthDate} does not match the identity number's ${parsed.birthDate}`,
      });
    }
    if (input.sex && parsed.sex && input.sex !== parsed.sex) {
      issues.push({ field: 'sex', code: 'sex_mismatch', message: `Sex ${input.sex} does not match the identity number (${parsed.sex})` });
    }
    const dup = ctx.sqlite
      .prepare('SELECT id FROM person WHERE id_canonical = ? AND deleted_at IS NULL')
      .get(parsed.canonical) as { id: string } | undefined;
    if (dup && dup.id !== excludeId) {
      throw new DomainError('duplicate', 'Another person is already registered with this identity number', 'identityNumber', [
        { field: 'identityNumber', code: 'identity.duplicate', message: dup.id },
      ]);
    }
    if (input.reserveNumber) {
      issues.push({ field: 'reserveNumber', code: 'reserve_with_identity', message: 'A person with an identity number has no reserve number' });
    }
    res = {
      reserveNumber: null,
      idKind: parsed.kind,
      idCanonical: parsed.canonical,
      idCountry: parsed.country,
      idShort: shortIdOf(parsed.canonical, parsed.country),
      birthDate: parsed.birthDate,
      sex: input.sex ?? parsed.sex,
    };
  } else {
    if (!input.birthDate) {
      issues.push({ field: 'birthDate', code: 'birth_date_required', message: 'A person without an identity number needs a birth date' });
    } else if (input.birthDate > ctx.clock.today()) {
      issues.push({ field: 'birthDate', code: 'date_in_future', message: 'Birth date is in the future' });
    }
    if (input.reserveNumber) {
      const dupReserve = ctx.sqlite
        .prepare('SELECT id FROM person WHERE reserve_number = ? AND deleted_at IS NULL')
        .get(input.reserveNumber) as { id: string } | undefined;
      if (dupReserve && dupReserve.id !== excludeId) {
        throw new DomainError('duplicate', 'Another person already has this reserve number', 'reserveNumber', [
          { field: 'reserveNumber', code: 'reserve_duplicate', message: dupReserve.id },
        ]);
      }
    }
    res = { reserveNumber: input.reserveNumber, idKind: null, idCanonical: null, idCountry: null, idShort: null, birthDate: input.birthDate ?? '', sex: input.sex };
  }
  if (issues.length) throw new DomainError('validation', issues[0]!.message, issues[0]!.field, issues);
  return res;
}

export function createPerson(w: Writer, input: PersonFieldsParsed): MethodOutput<'person.create'> {
  const { ctx } = w;
  const today = ctx.clock.today();
  return ctx.sqlite.transaction(() => {
    const ident = resolveIdentity(ctx, input, null);
    const names = { givenName: input.givenName, middleName: input.middleName, familyName: input.familyName, preferredName: input.preferredName };
    const sortKey = sortKeyOf(names, collationCountry(ctx.sqlite));
    const { id } = insertRecord(w, 'person', {
      id_kind: ident.idKind,
      id_canonical: ident.idCanonical,
      id_short: ident.idShort,
      id_country: ident.idCountry,
      reserve_number: ident.reserveNumber,
      birth_date: ident.birthDate,
      sex: ident.sex,
      status: input.status,
      given_name: names.givenName,
      middle_name: names.middleName,
      family_name: names.familyName,
      preferred_name: names.preferredName,
      sort_key: sortKey,
      search_text: searchTextOf({ ...names, idCanonical: ident.idCanonical, idShort: ident.idShort }),
      nationality: input.nationality,
      mother_tongue: input.motherTongue,
      maalform: input.maalform,
      preferred_language: input.preferredLanguage ?? null,
      messages_allowed: input.messagesAllowed ?? true,
      protection: input.protection,
      protected_since: protectedSinceAfter('none', null, input.protection, today),
    });
    refreshShielding(ctx, [id]);
    writeTokens(ctx, id, names, sortKey);
    // The name is the person's name from birth as far as the register knows; a later change is dated.
    insertRecord(w, 'person_name', { person_id: id, ...nameColumns(names), valid_from: ident.birthDate || today });
    for (const a of input.addresses ?? []) insertRecord(w, 'person_address', { person_id: id, ...addressColumns(a), valid_from: today });
    for (const c of input.contacts ?? []) insertRecord(w, 'person_contact', { person_id: id, kind: c.kind, value: c.value, valid_from: today });
    ctx.generation.persons++;
    return { id, version: 1 };
  })();
}

/** The search index is derived from the name: rebuilt here, never logged (core/write/records.ts). */
function writeTokens(ctx: CoreContext, personId: string, names: Parameters<typeof nameTokensOf>[0], sortKey: string): void {
  ctx.db.delete(personNameToken).where(eq(personNameToken.personId, personId)).run();
  for (const token of nameTokensOf(names)) ctx.db.insert(personNameToken).values({ token, sortKey, personId }).run();
}

type Names = { givenName: string; middleName: string | null; familyName: string; preferredName: string | null };
const nameColumns = (n: Names) => ({ given_name: n.givenName, middle_name: n.middleName, family_name: n.familyName, preferred_name: n.preferredName });

function addressColumns(a: AddressIn) {
  return { kind: a.kind, care_of: a.careOf, street: a.street, postal_code: a.postalCode, city: a.city, country: a.country };
}

/**
 * The day the current protection began, after a change of level: set when a person becomes protected, kept
 * while they stay protected (a change between levels does not restart it), cleared when the protection ends.
 * `on` is the day of the change; an import that knows an earlier start from the register can pass that.
 */
export function protectedSinceAfter(before: ProtectionLevel, since: string | null, after: ProtectionLevel, on: string): string | null {
  if (!isProtected(after)) return null;
  return isProtected(before) ? since : on;
}

export function updatePerson(w: Writer, input: MethodParsedInput<'person.update'>): MethodOutput<'person.update'> {
  const { ctx } = w;
  const today = ctx.clock.today();
  const effectiveFrom = input.effectiveFrom ?? today;
  const correction = input.mode === 'correction';
  // The register records what has happened; a change dated in the future would make today's card wrong.
  if (effectiveFrom > today) {
    throw new DomainError('validation', 'A change cannot take effect after today', 'effectiveFrom', [
      { field: 'effectiveFrom', code: 'date_in_future', message: 'A change cannot take effect after today' },
    ]);
  }
  return ctx.sqlite.transaction(() => {
    const cur = readRecord(w, 'person', input.id) as PersonRow | undefined;
    if (!cur || cur.deleted_at !== null) throw new DomainError('not_found', 'No such person', 'id');
    if (cur.version !== input.version) {
      throw new DomainError('conflict', `The person was changed by someone else (version ${cur.version}, your form has ${input.version}); reload to see the change`);
    }
    const p = input.person;
    if (cur.shielded && (p.addresses !== undefined || p.contacts !== undefined)) {
      const field = p.addresses !== undefined ? 'addresses' : 'contacts';
      throw new DomainError('validation', 'Addresses and contact details of a protected person cannot be changed here', field, [
        { field, code: 'protected_fields', message: 'protected' },
      ]);
    }
    const ident = resolveIdentity(ctx, p, cur.id);
    const names: Names = { givenName: p.givenName, middleName: p.middleName, familyName: p.familyName, preferredName: p.preferredName };
    const nameCols = nameColumns(names);
    const nameChanged = (Object.keys(nameCols) as (keyof typeof nameCols)[]).some((k) => (cur[k] ?? null) !== (nameCols[k] ?? null));
    if (nameChanged) {
      const curName = ctx.sqlite.prepare(`SELECT * FROM person_name WHERE person_id = ? AND valid_to IS NULL`).get(cur.id) as Row | undefined;
      const curFrom = curName?.valid_from as string | undefined;
      if (curName && !correction && effectiveFrom <= curFrom!) {
        throw new DomainError('validation', `A name change must take effect after ${curFrom}`, 'effectiveFrom', [
          { field: 'effectiveFrom', code: 'effective_before_current', message: curFrom! },
        ]);
      }
      if (curName && correction) {
        updateRecord(w, 'person_name', curName.id as string, nameCols, { op: 'correction', current: curName });
      } else {
        if (curName) updateRecord(w, 'person_name', curName.id as string, { valid_to: addDays(effectiveFrom, -1) }, { current: curName });
        insertRecord(w, 'person_name', { person_id: cur.id, ...nameCols, valid_from: effectiveFrom });
      }
    }
    const protection = p.protection;
    const protectedSince = protectedSinceAfter(cur.protection as ProtectionLevel, cur.protected_since, protection, effectiveFrom);
    const listsChanged = [
      p.addresses !== undefined && syncEffectiveList(w, 'address', cur.id, p.addresses, effectiveFrom, correction),
      p.contacts !== undefined && syncEffectiveList(w, 'contact', cur.id, p.contacts, effectiveFrom, correction),
    ].some(Boolean);
    const sortKey = sortKeyOf(names, collationCountry(ctx.sqlite));
    const identityChanged = ident.idCanonical !== cur.id_canonical;
    // The person row is the root of the card: it takes a new version whenever anything on the card
    // changed (a form loaded before must conflict), and its change record carries the call's mode.
    // Columns derived from others (the identity number's parts, the sort and search keys) are written
    // only with what they derive from, so that a stored value computed some other way (an import, an
    // older version) never turns an unchanged form into a write.
    const r = updateRecord(
      w,
      'person',
      cur.id,
      {
        reserve_number: ident.reserveNumber,
        ...(identityChanged ? { id_kind: ident.idKind, id_canonical: ident.idCanonical, id_country: ident.idCountry, id_short: ident.idShort } : {}),
        birth_date: ident.birthDate,
        sex: ident.sex,
        status: p.status,
        nationality: p.nationality,
        mother_tongue: p.motherTongue,
        maalform: p.maalform,
        protection,
        // A change dated back (effectiveFrom) started the protection then; an earlier start only makes more
        // ended links count, never fewer.
        protected_since: protectedSince,
        // Omitted means unchanged: a form that does not show these fields must not reset them.
        preferred_language: p.preferredLanguage === undefined ? cur.preferred_language : p.preferredLanguage,
        messages_allowed: p.messagesAllowed ?? cur.messages_allowed,
        ...nameCols,
        ...(nameChanged || identityChanged ? { sort_key: sortKey, search_text: searchTextOf({ ...names, idCanonical: ident.idCanonical, idShort: ident.idShort }) } : {}),
      },
      { op: correction ? 'correction' : 'update', current: cur, touch: listsChanged || nameChanged },
    );
    if (r.version === cur.version) return { id: cur.id, version: cur.version };
    if (protection !== cur.protection || protectedSince !== cur.protected_since) refreshShielding(ctx, [cur.id]);
    if (nameChanged) writeTokens(ctx, cur.id, names, sortKey);
    ctx.generation.persons++;
    return { id: cur.id, version: r.version };
  })();
}

/** The stored person row, as far as updatePerson reads it. */
interface PersonRow extends Row {
  id: string;
  version: number;
  id_canonical: string | null;
  shielded: number;
  protection: string;
  protected_since: string | null;
  preferred_language: string | null;
  messages_allowed: number;
  deleted_at: string | null;
}

type AddressIn = NonNullable<PersonFieldsParsed['addresses']>[number];
type ContactIn = NonNullable<PersonFieldsParsed['contacts']>[number];

/**
 * Brings the current rows of an effective-dated list in line with the form's list.
 * A change ends the old row the day before `effectiveFrom` and adds a new one; a correction edits in place.
 * A row that would end before it began never took effect and is removed. Returns whether anything changed.
 * Each row is a record of its own: every end, edit, removal and addition is one change record.
 */
function syncEffectiveList(w: Writer, which: 'address' | 'contact', personId: string, wanted: (AddressIn | ContactIn)[], effectiveFrom: string, correction: boolean): boolean {
  const table = which === 'address' ? 'person_address' : 'person_contact';
  const today = w.ctx.clock.today();
  const columnsOf = (x: AddressIn | ContactIn): Row => (which === 'address' ? addressColumns(x as AddressIn) : { kind: x.kind, value: (x as ContactIn).value });
  const cols = which === 'address' ? ['kind', 'care_of', 'street', 'postal_code', 'city', 'country'] : ['kind', 'value'];
  const current = w.ctx.sqlite.prepare(`SELECT * FROM ${table} WHERE person_id = ? AND (valid_to IS NULL OR valid_to >= ?)`).all(personId, today) as Row[];
  const byId = new Map(current.map((c) => [c.id as string, c]));
  let changed = false;
  const seen = new Set<string>();
  const end = (row: Row) => {
    if (correction) {
      // The row was a mistake, not a fact that ended: a correction removes it (the change log records it).
      deleteRecord(w, table, row.id as string);
      return;
    }
    const validTo = addDays(effectiveFrom, -1);
    if (validTo < (row.valid_from as string)) {
      // Ending it before it began would erase a fact from the history; that is a correction, not a change.
      throw new DomainError('validation', `A change must take effect after ${row.valid_from as string}; use a correction to fix a wrong entry`, 'effectiveFrom', [
        { field: 'effectiveFrom', code: 'effective_before_current', message: row.valid_from as string },
      ]);
    }
    updateRecord(w, table, row.id as string, { valid_to: validTo }, { current: row });
  };
  wanted.forEach((x, i) => {
    const vals = columnsOf(x);
    if (x.id) {
      const row = byId.get(x.id);
      const field = `${which === 'address' ? 'addresses' : 'contacts'}.${i}.id`;
      if (!row) {
        throw new DomainError('validation', `${which} ${x.id} is not a current ${which} of this person`, field, [{ field, code: 'not_current', message: `${which} ${x.id} is not a current ${which} of this person` }]);
      }
      // The same row twice would end it once and add two successors: one address would become two.
      if (seen.has(x.id)) {
        throw new DomainError('validation', `${which} ${x.id} appears twice`, field, [{ field, code: 'duplicate_id', message: `${which} ${x.id} appears twice` }]);
      }
      seen.add(x.id);
      if (cols.every((c) => (row[c] ?? null) === (vals[c] ?? null))) return;
      changed = true;
      if (correction) {
        updateRecord(w, table, x.id, vals, { op: 'correction', current: row });
        return;
      }
      end(row);
    } else {
      changed = true;
    }
    insertRecord(w, table, { person_id: personId, ...vals, valid_from: effectiveFrom });
  });
  for (const row of current) {
    if (!seen.has(row.id as string)) {
      changed = true;
      end(row);
    }
  }
  return changed;
}

/** Change records read for one card; the card shows at most HISTORY_ENTRIES user actions. */
const HISTORY_ROWS = 200;
const HISTORY_ENTRIES = 50;

export interface HistoryRow {
  seq: number;
  entity: string;
  at: string;
  actor: string;
  op: Op;
  fields: string;
  mutation_id: string | null;
}

/**
 * How a record's changed columns are named on the card, in the card's own vocabulary (shared/i18n/
 * history-labels.ts HISTORY_FIELDS, each with a label in every language). A column mapped to null is derived,
 * bookkeeping or the card's own person and never listed: the identity number's parts, the sort and search
 * keys, the person_name rows (every name change also changes the person's own name columns, which are
 * listed), the person a placement, enrolment, membership or household row belongs to, and the link of a
 * group membership to the placement or enrolment it follows (that record is listed itself).
 */
const HISTORY_FIELD: Partial<Record<RecordTable, (f: string) => string | null>> = {
  person: (f) => (f === 'idCanonical' ? 'identityNumber' : f === 'protectedSince' ? 'protection' : PERSON_DERIVED.has(f) ? null : f),
  person_name: () => null,
  person_address: () => 'addresses',
  person_contact: () => 'contacts',
  // A document attached, described anew or removed: one line, never its title (shown only in the block).
  person_document: () => 'documents',
  person_identity: () => 'identityNumber',
  work_item: () => 'workItem',
  household_member: (f) => (f === 'personId' ? null : f),
  placement: (f) => (f === 'childId' ? null : f),
  enrolment: (f) => (f === 'pupilId' ? null : f),
  application: (f) => (f === 'childId' ? null : f),
  group_membership: (f) => (f === 'personId' || f === 'sourceId' ? null : f),
  staff_duty: (f) => (f === 'personId' ? null : f === 'percentHundredths' ? 'percent' : f),
};
const PERSON_DERIVED = new Set(['idKind', 'idCountry', 'idShort', 'sortKey', 'searchText', 'shielded', 'isChild', 'isGuardian', 'isStaff']);

/** The name a change record's field has in the card's history, or null when the history does not list it. */
export function historyField(entity: string, field: string): string | null {
  const name = HISTORY_FIELD[entity as RecordTable];
  return name ? name(field) : field;
}

/** A history entry before its actor's name is known (PersonReader.card resolves the names). */
export type HistoryEntryDraft = Omit<PersonCard['history'][number], 'actorName'>;

/**
 * One entry per user action: the change records of one mutation id become one entry with the union of
 * their field names (a person's update with a new address is one "update: addresses", not a person row
 * and two address rows; a transfer is the old row ending, the new one starting and both memberships, in
 * one entry). Records without a mutation id are a job's (the rollover, an import's apply) or older than
 * the ids: the write path gives every record of one action the same actor and time stamp, so those are
 * grouped by actor and time instead; before that, each such record was an entry of its own and a class
 * moving up showed "changed: until" twice, once for the enrolment and once for its class membership.
 * Its operation is a correction if any record was corrected (the person row carries the call's mode),
 * otherwise the one operation all share, otherwise an update. Field names only: the change log's values
 * never leave the core this way.
 */
export function historyEntries(rows: readonly HistoryRow[]): HistoryEntryDraft[] {
  const groups: HistoryRow[][] = [];
  const byAction = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    const key = r.mutation_id ? `m|${r.mutation_id}` : `a|${r.actor}|${r.at}`;
    const g = byAction.get(key);
    if (g) g.push(r);
    else {
      const fresh = [r];
      groups.push(fresh);
      byAction.set(key, fresh);
    }
  }
  // The oldest action read may have lost records to the row limit: left out rather than shown partly.
  if (rows.length === HISTORY_ROWS && groups.length > 1) groups.pop();
  const out: HistoryEntryDraft[] = [];
  for (const g of groups) {
    const fields = new Set<string>();
    // Oldest record first, so the fields read in the order the action wrote them.
    for (const r of [...g].reverse()) {
      for (const f of JSON.parse(r.fields) as string[]) {
        const shown = historyField(r.entity, f);
        if (shown !== null) fields.add(shown);
      }
    }
    // Records that say nothing the card names (a person_name row on its own) make no entry.
    if (fields.size === 0) continue;
    const ops = new Set(g.map((r) => r.op));
    const op: Op = ops.has('correction') ? 'correction' : ops.size === 1 ? g[0]!.op : 'update';
    out.push({ at: g[0]!.at, actor: g[0]!.actor, op, fields: [...fields] });
    if (out.length === HISTORY_ENTRIES) break;
  }
  return out;
}

export class PersonReader {
  private readonly stmts;
  private readonly totals = new Map<string, { generation: number; n: number }>();
  constructor(private readonly ctx: CoreContext) {
    const s = ctx.sqlite;
    this.stmts = {
      person: s.prepare(`SELECT ${SUMMARY_COLUMNS}, p.shielded, p.version, p.nationality, p.mother_tongue, p.maalform, p.preferred_language, p.messages_allowed, p.created_at, p.updated_at, p.updated_by
        FROM person p WHERE p.id = ? AND p.deleted_at IS NULL`),
      names: s.prepare(`SELECT given_name, middle_name, family_name, preferred_name, valid_from, valid_to FROM person_name WHERE person_id = ? ORDER BY valid_from DESC`),
      addresses: s.prepare(`SELECT id, kind, care_of, street, postal_code, city, country, valid_from, valid_to FROM person_address WHERE person_id = ? ORDER BY valid_to IS NOT NULL, valid_from DESC`),
      contacts: s.prepare(`SELECT id, kind, value, valid_from, valid_to FROM person_contact WHERE person_id = ? ORDER BY valid_to IS NOT NULL, valid_from DESC`),
      duties: s.prepare(`SELECT d.id, d.unit_id, u.name AS unit_name, d.role, d.percent_hundredths, d.valid_from, d.valid_to
        FROM staff_duty d JOIN org_unit u ON u.id = d.unit_id WHERE d.person_id = ? AND d.deleted_at IS NULL ORDER BY d.valid_from DESC`),
      memberships: s.prepare(`SELECT m.id, m.group_id, g.name AS group_name, g.kind AS group_kind, g.unit_id, u.name AS unit_name, g.school_year, m.valid_from, m.valid_to
        FROM group_membership m JOIN school_group g ON g.id = m.group_id JOIN org_unit u ON u.id = g.unit_id
        WHERE m.person_id = ? AND m.deleted_at IS NULL ORDER BY m.valid_from DESC`),
      guardians: s.prepare(`SELECT g.guardian_id AS person_id, o.given_name, o.family_name, o.protection, g.kind, g.valid_from, g.valid_to
        FROM guardianship g JOIN person o ON o.id = g.guardian_id WHERE g.child_id = ? AND g.deleted_at IS NULL ORDER BY g.valid_from`),
      children: s.prepare(`SELECT g.child_id AS person_id, o.given_name, o.family_name, o.protection, g.kind, g.valid_from, g.valid_to
        FROM guardianship g JOIN person o ON o.id = g.child_id WHERE g.guardian_id = ? AND g.deleted_at IS NULL ORDER BY o.birth_date`),
      // A link (a guardianship) is one change record naming both persons: it shows on both cards.
      history: s.prepare(`SELECT seq, entity, at, actor, op, fields, mutation_id FROM change_log WHERE person_id = @id
        UNION ALL SELECT seq, entity, at, actor, op, fields, mutation_id FROM change_log WHERE related_person_id = @id AND person_id IS NOT @id
        ORDER BY seq DESC LIMIT ${HISTORY_ROWS}`),
      // Display names of the users who wrote (a history names at most HISTORY_ENTRIES + 1 actors).
      userNames: s.prepare(`SELECT id, display_name FROM user_account WHERE id IN (SELECT value FROM json_each(?))`),
      list: new Map<string, import('better-sqlite3').Statement>(),
    };
  }

  /** Addresses, unfiltered: callers decide whether the person is shielded (card) or the reveal is permitted. */
  addresses(id: string): PersonCard['addresses'] {
    return (this.stmts.addresses.all(id) as Record<string, string | null>[]).map((a) => ({
      id: a.id!,
      kind: a.kind as 'registered',
      careOf: a.care_of ?? null,
      street: a.street!,
      postalCode: a.postal_code!,
      city: a.city!,
      country: a.country!,
      validFrom: a.valid_from!,
      validTo: a.valid_to ?? null,
    }));
  }

  contacts(id: string): PersonCard['contacts'] {
    return (this.stmts.contacts.all(id) as Record<string, string | null>[]).map((c) => ({
      id: c.id!,
      kind: c.kind as 'phone',
      value: c.value!,
      validFrom: c.valid_from!,
      validTo: c.valid_to ?? null,
    }));
  }

  /** Display names of the user accounts among `ids`; an id that is no account (a system actor) is left out. */
  private userNames(ids: readonly string[]): Map<string, string> {
    const rows = this.stmts.userNames.all(JSON.stringify([...new Set(ids)])) as { id: string; display_name: string }[];
    return new Map(rows.map((u) => [u.id, u.display_name]));
  }

  exists(id: string): boolean {
    return this.stmts.person.get(id) !== undefined;
  }

  card(id: string): PersonCard {
    const today = this.ctx.clock.today();
    const r = this.stmts.person.get(id) as
      | (SummaryRow & {
          shielded: number;
          version: number;
          nationality: string | null;
          mother_tongue: string | null;
          maalform: 'nb' | 'nn' | null;
          preferred_language: string | null;
          messages_allowed: number;
          created_at: string;
          updated_at: string;
          updated_by: string;
        })
      | undefined;
    if (!r) throw new DomainError('not_found', 'No such person', 'id');
    const rel = (x: { person_id: string; given_name: string; family_name: string; protection: string; kind: string; valid_from: string; valid_to: string | null }) => ({
      personId: x.person_id,
      name: `${x.family_name}, ${x.given_name}`,
      kind: x.kind as PersonCard['guardians'][number]['kind'],
      protected: x.protection !== 'none',
      validFrom: x.valid_from,
      validTo: x.valid_to,
    });
    const guardians = (this.stmts.guardians.all(id) as Parameters<typeof rel>[0][]).map(rel);
    const children = (this.stmts.children.all(id) as Parameters<typeof rel>[0][]).map(rel);
    const shielded = r.shielded === 1;
    const summary = toSummary(r, today);
    const rows = this.stmts.history.all({ id }) as HistoryRow[];
    const history = historyEntries(rows);
    // The person's data changed last with the newest change record that names the person: placements,
    // guardianships and the other care records included, which never touch the person row. Only a person
    // no record names (seeded in bulk by the demo generator) falls back to the row's own bookkeeping.
    const newest = rows[0];
    const last = newest ? { at: newest.at, actor: newest.actor } : { at: r.updated_at, actor: r.updated_by };
    const names = this.userNames([last.actor, ...history.map((h) => h.actor)]);
    return {
      id: r.id,
      version: r.version,
      identity: summary.identity,
      reserveNumber: r.reserve_number,
      birthDate: r.birth_date,
      sex: r.sex,
      status: r.status,
      givenName: r.given_name,
      middleName: r.middle_name,
      familyName: r.family_name,
      preferredName: r.preferred_name,
      nationality: r.nationality,
      motherTongue: r.mother_tongue,
      maalform: r.maalform,
      preferredLanguage: r.preferred_language,
      messagesAllowed: r.messages_allowed === 1,
      protection: r.protection as ProtectionLevel,
      shielded,
      // Shielded details are never read here, so they cannot leak through a later mapping mistake;
      // a permitted user opens them through person.reveal, which states a reason and is logged.
      addresses: shielded ? [] : this.addresses(id),
      contacts: shielded ? [] : this.contacts(id),
      nameHistory: (this.stmts.names.all(id) as Record<string, string | null>[]).map((n) => ({
        givenName: n.given_name!,
        middleName: n.middle_name ?? null,
        familyName: n.family_name!,
        preferredName: n.preferred_name ?? null,
        validFrom: n.valid_from!,
        validTo: n.valid_to ?? null,
      })),
      roles: summary.roles,
      duties: (this.stmts.duties.all(id) as Record<string, string | number | null>[]).map((d) => ({
        id: d.id as string,
        unitId: d.unit_id as string,
        unitName: d.unit_name as string,
        role: d.role as 'teacher',
        percent: (d.percent_hundredths as number) / 100,
        validFrom: d.valid_from as string,
        validTo: (d.valid_to as string | null) ?? null,
      })),
      memberships: (this.stmts.memberships.all(id) as Record<string, string | number | null>[]).map((m) => ({
        id: m.id as string,
        groupId: m.group_id as string,
        groupName: m.group_name as string,
        groupKind: m.group_kind as 'class',
        unitId: m.unit_id as string,
        unitName: m.unit_name as string,
        schoolYear: m.school_year as number,
        validFrom: m.valid_from as string,
        validTo: (m.valid_to as string | null) ?? null,
      })),
      guardians,
      children,
      history: history.map((h) => ({ ...h, actorName: names.get(h.actor) ?? null })),
      historyScope: this.historyScope(),
      createdAt: r.created_at,
      updatedAt: last.at,
      updatedBy: last.actor,
      updatedByName: names.get(last.actor) ?? null,
    };
  }

  /** The person's change history as the card shows it (the same entries, names resolved). */
  history(id: string): PersonCard['history'] {
    const history = historyEntries(this.stmts.history.all({ id }) as HistoryRow[]);
    const names = this.userNames(history.map((h) => h.actor));
    return history.map((h) => ({ ...h, actorName: names.get(h.actor) ?? null }));
  }

  /**
   * Whose changes this database's change log holds: a joined workstation's cache holds only those made on
   * it (the feed carries records, not the change log).
   */
  historyScope(): 'register' | 'workstation' {
    return this.ctx.joined ? 'workstation' : 'register';
  }

  list(input: MethodParsedInput<'person.list'>): MethodOutput<'person.list'> {
    const where: string[] = ['p.deleted_at IS NULL'];
    const args: unknown[] = [];
    if (input.role) where.push(`p.is_${input.role} = 1`);
    if (input.status) {
      where.push('p.status = ?');
      args.push(input.status);
    }
    const sort = input.sort ?? 'name';
    const dir = input.dir === 'desc' ? 'desc' : 'asc';
    const key = `${input.role ?? ''}|${input.status ? 's' : ''}|${sort}|${dir}`;
    let stmts = this.stmts.list.get(key) as unknown as { rows: import('better-sqlite3').Statement; count: import('better-sqlite3').Statement } | undefined;
    if (!stmts) {
      const w = where.join(' AND ');
      stmts = {
        rows: this.ctx.sqlite.prepare(`SELECT ${SUMMARY_COLUMNS} FROM person p WHERE ${w} ORDER BY ${listOrder(sort, dir)} LIMIT ? OFFSET ?`),
        count: this.ctx.sqlite.prepare(`SELECT count(*) AS n FROM person p WHERE ${w}`),
      };
      this.stmts.list.set(key, stmts as never);
    }
    const today = this.ctx.clock.today();
    const rows = stmts.rows.all(...args, input.limit, input.offset) as SummaryRow[];
    // Counting half a million index entries costs milliseconds on every scroll; the total only changes on writes.
    const countKey = `${input.role ?? ''}|${input.status ?? ''}`;
    const cached = this.totals.get(countKey);
    let total: number;
    if (cached && cached.generation === this.ctx.generation.persons) total = cached.n;
    else {
      total = (stmts.count.get(...args) as { n: number }).n;
      this.totals.set(countKey, { generation: this.ctx.generation.persons, n: total });
    }
    return { items: rows.map((r) => ({ ...toSummary(r, today), place: null })), total };
  }

  checkIdentity(input: MethodParsedInput<'person.checkIdentity'>): MethodOutput<'person.checkIdentity'> {
    const parsed = parseIdentityNumber(input.identityNumber, { today: this.ctx.clock.today(), allowSynthetic: this.ctx.demo });
    if (!parsed.ok) return { valid: false, code: parsed.code, message: parsed.message };
    const dup = this.ctx.sqlite
      .prepare('SELECT id FROM person WHERE id_canonical = ? AND deleted_at IS NULL')
      .get(parsed.canonical) as { id: string } | undefined;
    return {
      valid: true,
      kind: parsed.kind,
      country: parsed.country,
      canonical: parsed.canonical,
      display: formatIdentityNumber(parsed.canonical, { today: this.ctx.clock.today() }),
      birthDate: parsed.birthDate,
      sex: parsed.sex,
      existingPersonId: dup && dup.id !== input.excludePersonId ? dup.id : null,
    };
  }
}

/**
 * The person list's ORDER BY for a sort (each one walks its own partial index, db/schema.ts person_list_*, so a
 * page deep in the list steps index entries only). Descending is the exact reverse of ascending.
 */
export function listOrder(sort: 'name' | 'identity' | 'birthDate', dir: 'asc' | 'desc'): string {
  const d = dir === 'desc' ? ' DESC' : '';
  switch (sort) {
    case 'identity':
      return `coalesce(p.id_canonical, p.reserve_number, '~')${d}, p.sort_key${d}`;
    case 'birthDate':
      return `p.birth_date${d}, p.sort_key${d}`;
    default:
      return `p.sort_key${d}`;
  }
}

type ListKeys = { sort_key?: string; id_canonical: string | null; reserve_number: string | null; birth_date: string | null };

/** The same order for rows already in memory (a clerk's own unit: core/access/scope.ts), by the same keys. */
export function compareListRows(
  sort: 'name' | 'identity' | 'birthDate',
  dir: 'asc' | 'desc',
): (a: ListKeys, b: ListKeys) => number {
  const cmp = (x: string | null, y: string | null) => ((x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0);
  const sign = dir === 'desc' ? -1 : 1;
  return (a, b) => {
    const first =
      sort === 'identity'
        ? cmp(a.id_canonical ?? a.reserve_number ?? '~', b.id_canonical ?? b.reserve_number ?? '~')
        : sort === 'birthDate'
          ? cmp(a.birth_date, b.birth_date)
          : 0;
    return sign * (first || cmp(a.sort_key ?? '', b.sort_key ?? ''));
  };
}
