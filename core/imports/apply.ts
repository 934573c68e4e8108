/**
 * Makes the dry run's changes, inside the apply job's one transaction, through the one write path: every
 * record it writes gets its version, its bookkeeping and its change record. History is kept: a new name or
 * address ends the old row the day before and adds the new one; nothing is overwritten.
 *
 * What a change means for placements is not decided here: a child who moved away, emigrated or died, whose
 * custody changed, or who became protected lands on the work list (core/imports/worklist.ts) for a clerk
 * to confirm.
 */
import type Database from 'better-sqlite3';
import { isProtected, type ProtectionLevel } from '../../shared/api/schemas';
import { shortIdOf, nameTokensOf, searchTextOf, sortKeyOf } from '../register/persons';
import { protectedSinceAfter } from '../register/persons';
import { addDays } from '../dates';
import { newId } from '../write/ids';
import { insertRecord, insertRecordsFrom, readRecord, updateRecord, type Writer } from '../write/records';
import type { ChangePayload } from './diff';
import type { WorkKind } from '../../shared/domain/imports';

export interface StagedRow {
  seq: number;
  kind: string;
  person_id: string | null;
  identity: string | null;
  line: number;
  payload: string;
}

/** Whether a person born on `birth` is a child on `today` (a new person's role flag until a link says more). */
export function isChildOn(birth: string | null, today: string): boolean {
  return birth !== null && addDays(birth, 18 * 366) > today;
}

const functionsOn = new WeakSet<Database.Database>();
/**
 * The register's rules for a new person's derived columns, as SQL functions for createPersons' statements:
 * the same functions the row-by-row forms call, so each rule has one definition.
 */
function registerFunctions(db: Database.Database): void {
  if (functionsOn.has(db)) return;
  functionsOn.add(db);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  db.function('kansli_new_id', { deterministic: false }, () => newId());
  db.function('kansli_short_id', { deterministic: true }, (canonical, country) => shortIdOf(text(canonical), text(country)));
  db.function('kansli_sort_key', { deterministic: true }, (given, family, country) =>
    sortKeyOf({ givenName: text(given) ?? '', familyName: text(family) ?? '' }, country === 'NO' ? 'NO' : 'SE'),
  );
  db.function('kansli_search_text', { deterministic: true }, (given, middle, family, preferred, canonical, short) =>
    searchTextOf({ givenName: text(given) ?? '', middleName: text(middle), familyName: text(family) ?? '', preferredName: text(preferred), idCanonical: text(canonical), idShort: text(short) }),
  );
  db.function('kansli_protected', { deterministic: true }, (level) => (isProtected(level as ProtectionLevel) ? 1 : 0));
  db.function('kansli_is_child', { deterministic: true }, (birth, today) => (isChildOn(text(birth), text(today) ?? '') ? 1 : 0));
  db.table('kansli_name_tokens', {
    columns: ['token'],
    parameters: ['given', 'middle', 'family', 'preferred'],
    *rows(given: unknown, middle: unknown, family: unknown, preferred: unknown) {
      const name = (v: unknown) => text(v) || null;
      for (const token of nameTokensOf({ givenName: text(given) ?? '', middleName: name(middle), familyName: text(family) ?? '', preferredName: name(preferred) })) yield { token };
    },
  });
}

/**
 * Whether the person `id` has a place or a school enrolment running on `on` (SQL expressions both; a column
 * must be qualified, or the subqueries' own `child_id` / `pupil_id` would answer for it).
 */
const hasCareSql = (id: string, on: string) =>
  `(EXISTS (SELECT 1 FROM placement WHERE child_id = ${id} AND deleted_at IS NULL AND state <> 'declined' AND (valid_to IS NULL OR valid_to >= ${on}))
    OR EXISTS (SELECT 1 FROM enrolment WHERE pupil_id = ${id} AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ${on})))`;

/** New persons per step of createPersons: a cancel or a progress report is never more than a few seconds away. */
const CREATE_STEP = 25_000;

export interface WorkProposal {
  kind: WorkKind;
  personId: string;
  eventDate: string | null;
  proposedEnd: string | null;
  detail: Record<string, string | null>;
}

export class Applier {
  private readonly s;
  /**
   * Persons whose links or protection changed: their shielding is recomputed at the end, in one go. Past
   * `touchedLimit` the ids are dropped and `touchedAll` is set: the caller recomputes everyone's then, and
   * a 500 000-person load does not hold half a million ids for it (about 40 MB).
   */
  readonly touched = new Set<string>();
  touchedAll = false;
  readonly work: WorkProposal[] = [];

  constructor(
    private readonly w: Writer,
    private readonly o: {
      today: string;
      source: 'navet' | 'freg' | 'csv';
      country: 'SE' | 'NO';
      /** Whether the dry run also adds this person as this child's custodian (a renumbered guardian). */
      custodianAdded?: (childId: string, guardianId: string) => boolean;
      /** See `touched` (default: no limit). */
      touchedLimit?: number;
    },
  ) {
    const db: Database.Database = w.ctx.sqlite;
    this.s = {
      byId: db.prepare(`SELECT id FROM person WHERE id_canonical = ? AND deleted_at IS NULL`).pluck(),
      delTokens: db.prepare(`DELETE FROM person_name_token WHERE person_id = ?`),
      insToken: db.prepare(`INSERT INTO person_name_token (token, sort_key, person_id) VALUES (?, ?, ?)`),
      currentName: db.prepare(`SELECT * FROM person_name WHERE person_id = ? AND valid_to IS NULL ORDER BY valid_from DESC LIMIT 1`),
      hasCare: db.prepare(`SELECT ${hasCareSql('@id', '@on')}`).pluck(),
      setGuardian: db.prepare(`UPDATE person SET is_guardian = 1 WHERE id = ? AND is_guardian = 0`),
      hasLink: db.prepare(`SELECT 1 FROM guardianship WHERE child_id = ? AND guardian_id = ? AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ?)`).pluck(),
    };
  }

  /** The person with this number, also one created earlier in this transaction (a connection sees its own writes). */
  private personOf(canonical: string): string | null {
    return (this.s.byId.get(canonical) as string | undefined) ?? null;
  }

  private touchAll(): void {
    this.touchedAll = true;
    this.touched.clear();
  }

  private touch(...ids: string[]): void {
    if (this.touchedAll) return;
    for (const id of ids) this.touched.add(id);
    if (this.o.touchedLimit !== undefined && this.touched.size > this.o.touchedLimit) {
      this.touchedAll = true;
      this.touched.clear();
    }
  }

  private tokens(personId: string, names: { givenName: string; middleName: string | null; familyName: string; preferredName: string | null }, sortKey: string, fresh = false): void {
    if (!fresh) this.s.delTokens.run(personId);
    for (const t of nameTokensOf(names)) this.s.insToken.run(t, sortKey, personId);
  }

  private careFrom(personId: string, on: string): boolean {
    return this.s.hasCare.get({ id: personId, on }) === 1;
  }

  /** Applies one staged row; returns the persons it wrote (for the audit entry). */
  apply(row: StagedRow): string[] {
    const p = JSON.parse(row.payload) as ChangePayload;
    switch (p.kind) {
      case 'new_person':
        throw new Error('new persons are created together, by createPersons, before the other changes');
      case 'identity':
        return [this.reKey(row.person_id!, p)];
      case 'name':
        return [this.rename(row.person_id!, p)];
      case 'details':
        return [this.details(row.person_id!, p)];
      case 'address':
        return [this.move(row.person_id!, p)];
      case 'protection':
        return [this.protect(row.person_id!, p)];
      case 'moved_out':
        return [this.movedOut(row.person_id!, p)];
      case 'status':
        return [this.status(row.person_id!, p)];
      case 'custody':
        return this.custody(row.person_id ?? this.personOf(row.identity ?? ''), p);
      case 'contact':
        return [this.contact(row.person_id!, p)];
    }
  }

  /**
   * Creates every new person of the dry run (its `new_person` rows, in the schema `staged` the staging file is
   * attached as), in steps of CREATE_STEP, through the write path's bulk form: the person, the name, the
   * addresses and the contacts, each a record with its change record, and the search tokens. A person's id
   * is made as it is created (time-ordered). `onStep` hears after each step how many are done and the rowid
   * range of the persons it made (the caller logs them and may cancel). Returns how many were made.
   */
  createPersons(staged: string, onStep: (done: number, firstRowid: number, lastRowid: number) => void): number {
    if (!/^[a-z_]+$/.test(staged)) throw new Error(`bad schema name ${staged}`);
    const db = this.w.ctx.sqlite;
    registerFunctions(db);
    db.exec(`DROP TABLE IF EXISTS temp.import_new_person; CREATE TEMP TABLE import_new_person (k INTEGER PRIMARY KEY, seq INTEGER NOT NULL, id TEXT NOT NULL)`);
    const total = db
      // In the staging file's order (one `ord` for every new person), read from its index: no sort.
      .prepare(`INSERT INTO temp.import_new_person (seq, id) SELECT seq, kansli_new_id() FROM ${staged}.change WHERE kind = 'new_person' ORDER BY seq`)
      .run().changes;
    const today = this.o.today;
    const from = `FROM temp.import_new_person n JOIN ${staged}.change c ON c.seq = n.seq WHERE n.k BETWEEN @lo AND @hi`;
    const v = (path: string) => `json_extract(c.payload, '$.person.${path}')`;
    let done = 0;
    for (let lo = 1; lo <= total; lo += CREATE_STEP) {
      const range = { lo, hi: Math.min(total, lo + CREATE_STEP - 1), today, source: this.o.source, country: this.o.country };
      const persons = insertRecordsFrom(
        this.w,
        'person',
        ['id_kind', 'id_canonical', 'id_short', 'id_country', 'reserve_number', 'birth_date', 'sex', 'status', 'given_name', 'middle_name', 'family_name', 'preferred_name', 'sort_key', 'search_text', 'nationality', 'protection', 'protected_since', 'is_child', 'registered_municipality', 'registered_district', 'register_source'],
        `SELECT id, id_kind, id_canonical, kansli_short_id(id_canonical, id_country) AS id_short, id_country, reserve_number, birth_date, sex, status,
                given_name, middle_name, family_name, preferred_name, kansli_sort_key(given_name, family_name, @country),
                kansli_search_text(given_name, middle_name, family_name, preferred_name, id_canonical, kansli_short_id(id_canonical, id_country)),
                nationality, protection, CASE WHEN kansli_protected(protection) THEN coalesce(protection_from, @today) END, kansli_is_child(birth_date, @today),
                municipality, district, @source
         FROM (SELECT n.k, n.id, ${v('identity.kind')} AS id_kind, ${v('identity.canonical')} AS id_canonical, ${v('identity.country')} AS id_country,
                      CASE WHEN ${v('identity')} IS NULL THEN ${v('reserveNumber')} END AS reserve_number, ${v('birthDate')} AS birth_date, ${v('sex')} AS sex,
                      ${v('status')} AS status, ${v('given')} AS given_name, ${v('middle')} AS middle_name, ${v('family')} AS family_name,
                      ${v('preferred')} AS preferred_name, ${v('nationality')} AS nationality, ${v('protection')} AS protection,
                      ${v('protectionFrom')} AS protection_from, ${v('municipality')} AS municipality, ${v('district')} AS district
               ${from})
         ORDER BY k`,
        [range],
      );
      insertRecordsFrom(
        this.w,
        'person_name',
        ['person_id', 'given_name', 'middle_name', 'family_name', 'preferred_name', 'valid_from'],
        `SELECT kansli_new_id(), n.id, ${v('given')}, ${v('middle')}, ${v('family')}, ${v('preferred')}, coalesce(${v('nameFrom')}, ${v('birthDate')}, @today) ${from} ORDER BY n.k`,
        [range],
      );
      const a = (key: string) => `json_extract(a.value, '$.${key}')`;
      insertRecordsFrom(
        this.w,
        'person_address',
        ['person_id', 'kind', 'care_of', 'street', 'postal_code', 'city', 'country', 'valid_from'],
        // An address from a date still to come counts from today (the register holds no future rows). A person's
        // addresses come in the file's order (json_each's); ordering by their key as well would add a sort.
        `SELECT kansli_new_id(), n.id, ${a('kind')}, ${a('careOf')}, ${a('street')}, ${a('postalCode')}, ${a('city')}, ${a('country')},
                CASE WHEN ${a('from')} <> '' AND ${a('from')} <= @today THEN ${a('from')} ELSE @today END
         FROM temp.import_new_person n JOIN ${staged}.change c ON c.seq = n.seq, json_each(c.payload, '$.person.addresses') a
         WHERE n.k BETWEEN @lo AND @hi ORDER BY n.k`,
        [range],
      );
      insertRecordsFrom(
        this.w,
        'person_contact',
        ['person_id', 'kind', 'value', 'valid_from'],
        `SELECT kansli_new_id(), n.id, json_extract(k.value, '$.kind'), json_extract(k.value, '$.value'), @today
         FROM temp.import_new_person n JOIN ${staged}.change c ON c.seq = n.seq, json_each(c.payload, '$.person.contacts') k
         WHERE n.k BETWEEN @lo AND @hi ORDER BY n.k`,
        [range],
      );
      db.prepare(
        `INSERT INTO person_name_token (token, sort_key, person_id)
         SELECT t.token, p.sort_key, p.id
         -- A table function's arguments are equality constraints, and NULL equals nothing: no name is ''.
         FROM person p CROSS JOIN kansli_name_tokens(p.given_name, coalesce(p.middle_name, ''), p.family_name, coalesce(p.preferred_name, '')) t
         WHERE p.rowid BETWEEN ? AND ?`,
      ).run(persons.firstRowid, persons.lastRowid);
      for (const id of db.prepare(`SELECT id FROM person WHERE rowid BETWEEN ? AND ? AND kansli_protected(protection)`).pluck().iterate(persons.firstRowid, persons.lastRowid) as IterableIterator<string>) {
        this.touch(id);
      }
      done += persons.count;
      onStep(done, persons.firstRowid, persons.lastRowid);
    }
    db.exec('DROP TABLE temp.import_new_person');
    return done;
  }

  private contact(personId: string, p: Extract<ChangePayload, { kind: 'contact' }>): string {
    const from = this.o.today;
    if (p.endId) {
      const old = readRecord(this.w, 'person_contact', p.endId);
      if (old && (old.valid_from as string) < from) updateRecord(this.w, 'person_contact', p.endId, { valid_to: addDays(from, -1) }, { current: old });
      else if (old) {
        updateRecord(this.w, 'person_contact', p.endId, { value: p.contact.value }, { op: 'correction', current: old });
        return personId;
      }
    }
    insertRecord(this.w, 'person_contact', { person_id: personId, kind: p.contact.kind, value: p.contact.value, valid_from: from });
    return personId;
  }

  private reKey(personId: string, p: Extract<ChangePayload, { kind: 'identity' }>): string {
    const cur = readRecord(this.w, 'person', personId)!;
    if (cur.id_canonical === p.identity.canonical) return personId;
    const idShort = shortIdOf(p.identity.canonical, p.identity.country);
    const names = { givenName: cur.given_name as string, middleName: cur.middle_name as string | null, familyName: cur.family_name as string, preferredName: cur.preferred_name as string | null };
    if (p.old) {
      insertRecord(this.w, 'person_identity', { person_id: personId, canonical: p.old, kind: cur.id_kind as string, country: cur.id_country as string, valid_to: p.date ? addDays(p.date, -1) : this.o.today });
    }
    updateRecord(this.w, 'person', personId, {
      id_kind: p.identity.kind,
      id_canonical: p.identity.canonical,
      id_short: idShort,
      id_country: p.identity.country,
      search_text: searchTextOf({ ...names, idCanonical: p.identity.canonical, idShort }),
      register_source: this.o.source,
    }, { current: cur });
    return personId;
  }

  private rename(personId: string, p: Extract<ChangePayload, { kind: 'name' }>): string {
    const names = { givenName: p.given, middleName: p.middle, familyName: p.family, preferredName: p.preferred };
    const sortKey = sortKeyOf(names, this.o.country);
    const cur = readRecord(this.w, 'person', personId)!;
    const from = this.o.today;
    const old = this.s.currentName.get(personId) as { id: string; valid_from: string } | undefined;
    if (old && old.valid_from < from) updateRecord(this.w, 'person_name', old.id, { valid_to: addDays(from, -1) });
    else if (old) updateRecord(this.w, 'person_name', old.id, { given_name: p.given, middle_name: p.middle, family_name: p.family, preferred_name: p.preferred }, { op: 'correction' });
    if (!old || old.valid_from < from) insertRecord(this.w, 'person_name', { person_id: personId, given_name: p.given, middle_name: p.middle, family_name: p.family, preferred_name: p.preferred, valid_from: from });
    updateRecord(
      this.w,
      'person',
      personId,
      {
        given_name: p.given,
        middle_name: p.middle,
        family_name: p.family,
        preferred_name: p.preferred,
        sort_key: sortKey,
        search_text: searchTextOf({ ...names, idCanonical: cur.id_canonical as string | null, idShort: cur.id_short as string | null }),
      },
      { current: cur },
    );
    this.tokens(personId, names, sortKey);
    return personId;
  }

  private details(personId: string, p: Extract<ChangePayload, { kind: 'details' }>): string {
    const patch: Record<string, unknown> = {};
    if (p.birthDate) patch.birth_date = p.birthDate;
    if (p.sex) patch.sex = p.sex;
    if (p.nationality) patch.nationality = p.nationality;
    updateRecord(this.w, 'person', personId, patch, { op: 'correction' });
    return personId;
  }

  private move(personId: string, p: Extract<ChangePayload, { kind: 'address' }>): string {
    const from = this.o.today;
    if (p.endId) {
      const old = readRecord(this.w, 'person_address', p.endId);
      if (old && (old.valid_from as string) < from) updateRecord(this.w, 'person_address', p.endId, { valid_to: addDays(from, -1) }, { current: old });
      else if (old) {
        // Added today and already superseded: the earlier row was never a fact of its own.
        updateRecord(this.w, 'person_address', p.endId, { care_of: p.address.careOf, street: p.address.street, postal_code: p.address.postalCode, city: p.address.city, country: p.address.country }, { op: 'correction', current: old });
        return this.registered(personId, p);
      }
    }
    insertRecord(this.w, 'person_address', {
      person_id: personId,
      kind: p.address.kind,
      care_of: p.address.careOf,
      street: p.address.street,
      postal_code: p.address.postalCode,
      city: p.address.city,
      country: p.address.country,
      valid_from: from,
    });
    return this.registered(personId, p);
  }

  private registered(personId: string, p: Extract<ChangePayload, { kind: 'address' }>): string {
    if (p.address.kind === 'registered') {
      updateRecord(this.w, 'person', personId, { registered_municipality: p.municipality ?? undefined, registered_district: p.district ?? undefined, register_source: this.o.source });
    }
    return personId;
  }

  private protect(personId: string, p: Extract<ChangePayload, { kind: 'protection' }>): string {
    const cur = readRecord(this.w, 'person', personId)!;
    const before = cur.protection as ProtectionLevel;
    const since = protectedSinceAfter(before, cur.protected_since as string | null, p.level, p.from ?? this.o.today);
    updateRecord(this.w, 'person', personId, { protection: p.level, protected_since: since }, { current: cur });
    this.touch(personId);
    if (isProtected(p.level) && !isProtected(before) && this.careFrom(personId, this.o.today)) {
      this.work.push({ kind: 'protection_added', personId, eventDate: p.from, proposedEnd: null, detail: { level: p.level } });
    }
    return personId;
  }

  private movedOut(personId: string, p: Extract<ChangePayload, { kind: 'moved_out' }>): string {
    updateRecord(this.w, 'person', personId, { registered_municipality: p.municipality, registered_district: p.district, register_source: this.o.source });
    const on = p.date ?? this.o.today;
    if (this.careFrom(personId, on)) this.work.push({ kind: 'moved_out', personId, eventDate: p.date, proposedEnd: on, detail: { municipality: p.municipality } });
    return personId;
  }

  private status(personId: string, p: Extract<ChangePayload, { kind: 'status' }>): string {
    updateRecord(this.w, 'person', personId, { status: p.status });
    const on = p.date ?? this.o.today;
    if (this.careFrom(personId, on)) this.work.push({ kind: p.status, personId, eventDate: p.date, proposedEnd: on, detail: { country: p.country } });
    return personId;
  }

  private custody(childId: string | null, p: Extract<ChangePayload, { kind: 'custody' }>): string[] {
    if (!childId) return [];
    if (p.op === 'end' && p.guardianshipId) {
      const g = readRecord(this.w, 'guardianship', p.guardianshipId);
      if (!g || g.deleted_at) return [];
      // The guardian was renumbered in this file and stays the custodian under the new number.
      if (this.o.custodianAdded?.(childId, g.guardian_id as string)) return [];
      const to = p.to && p.to >= (g.valid_from as string) ? p.to : (g.valid_from as string);
      updateRecord(this.w, 'guardianship', p.guardianshipId, { valid_to: to }, { current: g });
      this.touch(childId, g.guardian_id as string);
      if (this.careFrom(childId, this.o.today)) this.work.push({ kind: 'custody', personId: childId, eventDate: to, proposedEnd: null, detail: { change: 'ended' } });
      return [childId, g.guardian_id as string];
    }
    throw new Error('custodies the file adds are added together, by addCustodies, after the other changes');
  }

  /**
   * Adds every custody the dry run found new (its custody rows with op 'add', in the schema `staged`), after
   * every other change (a renumbered person has its new number; the custodies that end have ended), through
   * the write path's bulk form, and marks the guardians. A custodian Kansli does not know (the file did not
   * describe them either) is not linked yet: the next full file or the guardian's own record brings them. A
   * link the register already has (a renumbered guardian, a custodian listed twice) is not added again. A
   * child with a running place or enrolment gets a work-list item. Returns the rowid range of the links made.
   */
  addCustodies(staged: string): { count: number; firstRowid: number; lastRowid: number } {
    if (!/^[a-z_]+$/.test(staged)) throw new Error(`bad schema name ${staged}`);
    const db = this.w.ctx.sqlite;
    registerFunctions(db);
    const today = this.o.today;
    // The links to make, in the file's order; a pair the file names twice is made once (its first mention).
    db.exec(`DROP TABLE IF EXISTS temp.import_custody_add;
      CREATE TEMP TABLE import_custody_add (seq INTEGER PRIMARY KEY, child_id TEXT NOT NULL, guardian_id TEXT NOT NULL, kind TEXT, event_date TEXT, UNIQUE (child_id, guardian_id))`);
    db.prepare(
      `INSERT OR IGNORE INTO temp.import_custody_add (seq, child_id, guardian_id, kind, event_date)
       SELECT seq, child_id, guardian_id, kind, event_date
       FROM (SELECT c.seq, coalesce(c.person_id, ch.id) AS child_id, g.id AS guardian_id,
                    json_extract(c.payload, '$.guardianshipKind') AS kind, json_extract(c.payload, '$.from') AS event_date
             FROM ${staged}.change c
             LEFT JOIN person ch ON c.person_id IS NULL AND ch.id_canonical = c.identity AND ch.deleted_at IS NULL
             JOIN person g ON g.id_canonical = json_extract(c.payload, '$.guardian') AND g.deleted_at IS NULL
             WHERE c.kind = 'custody' AND json_extract(c.payload, '$.op') = 'add') a
       WHERE child_id IS NOT NULL AND guardian_id <> child_id
         AND NOT EXISTS (SELECT 1 FROM guardianship x WHERE x.child_id = a.child_id AND x.guardian_id = a.guardian_id AND x.deleted_at IS NULL
                           AND (x.valid_to IS NULL OR x.valid_to >= @today))
       ORDER BY seq`,
    ).run({ today });
    const made = insertRecordsFrom(
      this.w,
      'guardianship',
      ['child_id', 'guardian_id', 'kind', 'lives_with', 'invoice_share', 'shielded', 'valid_from'],
      `SELECT kansli_new_id(), child_id, guardian_id, kind, 0, 0, 0, coalesce(event_date, @today) FROM temp.import_custody_add ORDER BY seq`,
      [{ today }],
    );
    db.prepare(`UPDATE person SET is_guardian = 1 WHERE is_guardian = 0 AND id IN (SELECT guardian_id FROM temp.import_custody_add)`).run();
    if (this.o.touchedLimit !== undefined && made.count * 2 > this.o.touchedLimit) this.touchAll();
    else for (const [child, guardian] of db.prepare(`SELECT child_id, guardian_id FROM temp.import_custody_add`).raw().all() as [string, string][]) this.touch(child, guardian);
    const work = db.prepare(`SELECT a.child_id, a.event_date FROM temp.import_custody_add a WHERE ${hasCareSql('a.child_id', '@today')} ORDER BY a.seq`).raw().all({ today }) as [string, string | null][];
    for (const [childId, from] of work) this.work.push({ kind: 'custody', personId: childId, eventDate: from, proposedEnd: null, detail: { change: 'added' } });
    db.exec('DROP TABLE temp.import_custody_add');
    return made;
  }
}
