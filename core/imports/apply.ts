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
import { insertRecord, readRecord, updateRecord, type Writer } from '../write/records';
import type { ChangePayload, NewPersonPayload } from './diff';
import type { WorkKind } from '../../shared/domain/imports';

export interface StagedRow {
  seq: number;
  kind: string;
  person_id: string | null;
  identity: string | null;
  line: number;
  payload: string;
}

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
      hasCare: db.prepare(
        `SELECT EXISTS (SELECT 1 FROM placement WHERE child_id = @id AND deleted_at IS NULL AND state <> 'declined' AND (valid_to IS NULL OR valid_to >= @on))
             OR EXISTS (SELECT 1 FROM enrolment WHERE pupil_id = @id AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= @on))`,
      ).pluck(),
      setGuardian: db.prepare(`UPDATE person SET is_guardian = 1 WHERE id = ? AND is_guardian = 0`),
      hasLink: db.prepare(`SELECT 1 FROM guardianship WHERE child_id = ? AND guardian_id = ? AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ?)`).pluck(),
    };
  }

  /** The person with this number, also one created earlier in this transaction (a connection sees its own writes). */
  private personOf(canonical: string): string | null {
    return (this.s.byId.get(canonical) as string | undefined) ?? null;
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
        return [this.createPerson(p.person)];
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

  private createPerson(n: NewPersonPayload): string {
    const names = { givenName: n.given, middleName: n.middle, familyName: n.family, preferredName: n.preferred };
    const sortKey = sortKeyOf(names);
    const ident = n.identity;
    const idShort = ident ? shortIdOf(ident.canonical, ident.country) : null;
    const birth = n.birthDate;
    const adult = birth !== null && addDays(birth, 18 * 366) <= this.o.today;
    const { id } = insertRecord(this.w, 'person', {
      id_kind: ident?.kind ?? null,
      id_canonical: ident?.canonical ?? null,
      id_short: idShort,
      id_country: ident?.country ?? null,
      reserve_number: ident ? null : n.reserveNumber,
      birth_date: birth,
      sex: n.sex,
      status: n.status,
      given_name: n.given,
      middle_name: n.middle,
      family_name: n.family,
      preferred_name: n.preferred,
      sort_key: sortKey,
      search_text: searchTextOf({ ...names, idCanonical: ident?.canonical ?? null, idShort }),
      nationality: n.nationality,
      protection: n.protection,
      protected_since: isProtected(n.protection) ? (n.protectionFrom ?? this.o.today) : null,
      is_child: birth !== null && !adult,
      registered_municipality: n.municipality,
      registered_district: n.district,
      register_source: this.o.source,
    });
    this.tokens(id, names, sortKey, true);
    insertRecord(this.w, 'person_name', { person_id: id, given_name: n.given, middle_name: n.middle, family_name: n.family, preferred_name: n.preferred, valid_from: n.nameFrom ?? birth ?? this.o.today });
    for (const a of n.addresses) {
      insertRecord(this.w, 'person_address', {
        person_id: id,
        kind: a.kind,
        care_of: a.careOf,
        street: a.street,
        postal_code: a.postalCode,
        city: a.city,
        country: a.country,
        valid_from: a.from && a.from <= this.o.today ? a.from : this.o.today,
      });
    }
    for (const c of n.contacts) insertRecord(this.w, 'person_contact', { person_id: id, kind: c.kind, value: c.value, valid_from: this.o.today });
    if (isProtected(n.protection)) this.touch(id);
    return id;
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
    const sortKey = sortKeyOf(names);
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
    const guardianId = this.personOf(p.guardian);
    // A custodian Kansli does not know (and the file did not describe): nothing to link to yet; the next full
    // file or the guardian's own record brings them.
    if (!guardianId || guardianId === childId) return [];
    // Already the child's custodian (renumbered meanwhile, or listed twice): nothing changes.
    if (this.s.hasLink.get(childId, guardianId, this.o.today)) return [];
    insertRecord(this.w, 'guardianship', {
      child_id: childId,
      guardian_id: guardianId,
      kind: p.guardianshipKind,
      lives_with: 0,
      invoice_share: 0,
      shielded: 0,
      valid_from: p.from ?? this.o.today,
    });
    this.s.setGuardian.run(guardianId);
    this.touch(childId, guardianId);
    if (this.careFrom(childId, this.o.today)) this.work.push({ kind: 'custody', personId: childId, eventDate: p.from, proposedEnd: null, detail: { change: 'added' } });
    return [childId, guardianId];
  }
}
