/**
 * Compares one register record (Navet, Folkeregisteret or a legacy CSV row, normalised as
 * PopulationRecord) with what Kansli holds, and says what applying it would change, one row per change
 * kind (core/imports/staging.ts). Nothing is written here: the rows are the dry run; apply.ts makes them.
 *
 * Matching: by the identity number, then by any earlier number the record names (the register re-keys a
 * person: a samordningsnummer replaced by a personnummer), then, for a record about a number that is now
 * ceased, by the number it points to. A person found by an earlier number gets an `identity` row.
 *
 * What counts as a change is decided on normalised text (case, spacing, diacritics and a Norwegian
 * "lgh 1103" / "H1103" unit): the registers spell addresses their own way (Navet in capitals), and a
 * re-import of the same facts must change nothing.
 */
import type Database from 'better-sqlite3';
import { formatIdentityNumber } from '../../shared/identity';
import { isProtected, type ProtectionLevel } from '../../shared/api/schemas';
import { isProtectionLowered } from '../../shared/protection';
import { foldText } from '../../shared/text';
import { currentOf, type Address, type PopulationRecord, type RecordPart } from './model';
import type { StagedChange } from './staging';

export interface RegisterPerson {
  id: string;
  id_canonical: string | null;
  given_name: string;
  middle_name: string | null;
  family_name: string;
  preferred_name: string | null;
  birth_date: string | null;
  sex: string | null;
  status: 'active' | 'emigrated' | 'deceased';
  protection: ProtectionLevel;
  shielded: number;
  registered_municipality: string | null;
  registered_district: string | null;
  register_source: string | null;
  nationality: string | null;
}

interface AddressRow {
  id: string;
  kind: string;
  care_of: string | null;
  street: string;
  postal_code: string;
  city: string;
  country: string;
  valid_from: string;
}

/** An address as the register's person_address row stores it (the street lines joined). */
export interface AddressValues {
  kind: 'registered' | 'postal' | 'temporary';
  careOf: string | null;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface NewPersonPayload {
  /** Null for a person a legacy system knew by a reserve number only. */
  identity: { canonical: string; kind: string; country: string } | null;
  reserveNumber: string | null;
  contacts: { kind: 'mobile' | 'phone' | 'email'; value: string }[];
  given: string;
  middle: string | null;
  family: string;
  preferred: string | null;
  nameFrom: string | null;
  birthDate: string | null;
  sex: 'F' | 'M' | null;
  status: 'active' | 'emigrated' | 'deceased';
  protection: ProtectionLevel;
  protectionFrom: string | null;
  addresses: (AddressValues & { from: string | null })[];
  municipality: string | null;
  district: string | null;
  nationality: string | null;
}

export type ChangePayload =
  | { kind: 'new_person'; person: NewPersonPayload }
  | { kind: 'identity'; old: string; identity: { canonical: string; kind: string; country: string }; date: string | null }
  | { kind: 'name'; given: string; middle: string | null; family: string; preferred: string | null; keepPreferred: boolean }
  | { kind: 'details'; birthDate?: string; sex?: 'F' | 'M'; nationality?: string }
  | { kind: 'address'; address: AddressValues; endId: string | null; municipality: string | null; district: string | null }
  | { kind: 'contact'; contact: { kind: 'mobile' | 'phone' | 'email'; value: string }; endId: string | null }
  | { kind: 'protection'; level: ProtectionLevel; from: string | null }
  | { kind: 'moved_out'; municipality: string | null; district: string | null; date: string | null }
  | { kind: 'status'; status: 'emigrated' | 'deceased'; date: string | null; country: string | null }
  | { kind: 'custody'; op: 'add' | 'end'; guardian: string; guardianshipId: string | null; guardianshipKind: string; from: string | null; to: string | null };

export interface DiffContext {
  sqlite: Database.Database;
  /** The municipality's own code (kommunkod / kommunenummer) and country. */
  municipality: { code: string; country: 'SE' | 'NO' };
  today: string;
  format: 'navet' | 'freg' | 'csv';
}

/** The guardianship kinds the population register states (custody): the others (god man, annan ansvarig) are the municipality's own. */
const CUSTODY_KINDS = ['vardnadshavare', 'foreldreansvar_felles', 'foreldreansvar_mor', 'foreldreansvar_far', 'foreldreansvar_medmor', 'foreldreansvar_andre'];
const NO_CUSTODY_KIND: Record<string, string> = { joint: 'foreldreansvar_felles', mother: 'foreldreansvar_mor', father: 'foreldreansvar_far', co_mother: 'foreldreansvar_medmor', other: 'foreldreansvar_andre', unknown: 'foreldreansvar_andre' };

const norm = (s: string | null | undefined): string => foldText(s ?? '').replace(/\blgh (\d{4})\b/g, 'h$1');
const digits = (s: string | null | undefined): string => (s ?? '').replace(/\D/g, '');
/** A register date that may lack its day (Navet's reduced precision) as an ISO date, or null. */
export function fullDate(d: string | null | undefined): string | null {
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
}

export function addressText(a: { careOf: string | null; street: string; postalCode: string; city: string; country: string }): string {
  return [a.careOf ? `c/o ${a.careOf}` : null, a.street, `${a.postalCode} ${a.city}`.trim(), a.country && a.country !== 'SE' && a.country !== 'NO' ? a.country : null]
    .filter(Boolean)
    .join(', ');
}

/** The register's address as a person_address row: foreign addresses are postal addresses in another country. */
export function addressValues(a: Address, home: 'SE' | 'NO'): AddressValues | null {
  // A foreign address's last delivery line is often the country itself: it is the row's country, not its street.
  const lines = a.kind === 'foreign' && a.countryName ? a.lines.filter((l) => norm(l) !== norm(a.countryName)) : a.lines;
  const street = (a.kind === 'foreign' ? lines.join(', ') : a.street) || lines.join(', ');
  if (!street) return null;
  const kind = a.kind === 'registered' ? 'registered' : a.kind === 'temporary' ? 'temporary' : 'postal';
  return {
    kind,
    careOf: a.careOf,
    street,
    postalCode: a.postalCode ?? '',
    city: a.city ?? '',
    country: a.country ?? (a.kind === 'foreign' ? (a.countryName ?? '') : home),
  };
}

const sameAddress = (a: AddressValues, r: AddressRow): boolean =>
  norm(a.street) === norm(r.street) && digits(a.postalCode) === digits(r.postal_code) && norm(a.city) === norm(r.city) && norm(a.careOf) === norm(r.care_of) && (a.country || r.country) === (r.country || a.country);

export class Differ {
  private readonly s;
  /** Persons this file re-keys, and new number → old number: one identity row per person, custody followed across. */
  private readonly rekeyed = new Set<string>();
  private readonly formerOf = new Map<string, string>();

  constructor(private readonly c: DiffContext) {
    const db = c.sqlite;
    const cols = `p.id, p.id_canonical, p.given_name, p.middle_name, p.family_name, p.preferred_name, p.birth_date, p.sex, p.status, p.protection, p.shielded,
      p.registered_municipality, p.registered_district, p.register_source, p.nationality`;
    this.s = {
      byId: db.prepare(`SELECT ${cols} FROM person p WHERE p.id_canonical = ? AND p.deleted_at IS NULL`),
      byFormer: db.prepare(`SELECT ${cols} FROM person_identity i JOIN person p ON p.id = i.person_id WHERE i.canonical = ? AND p.deleted_at IS NULL LIMIT 1`),
      byReserve: db.prepare(`SELECT ${cols} FROM person p WHERE p.reserve_number = ? AND p.deleted_at IS NULL`),
      contacts: db.prepare(`SELECT id, kind, value FROM person_contact WHERE person_id = ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC`),
      addresses: db.prepare(
        `SELECT id, kind, care_of, street, postal_code, city, country, valid_from FROM person_address WHERE person_id = ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC`,
      ),
      custody: db.prepare(
        `SELECT g.id, g.kind, g.valid_from, o.id_canonical AS guardian FROM guardianship g JOIN person o ON o.id = g.guardian_id
         WHERE g.child_id = ? AND g.deleted_at IS NULL AND (g.valid_to IS NULL OR g.valid_to >= ?) AND g.kind IN (SELECT value FROM json_each(?))`,
      ),
      nameOf: db.prepare(`SELECT family_name || ', ' || given_name FROM person WHERE id_canonical = ? AND deleted_at IS NULL`).pluck(),
    };
  }

  /** The register's person for a record, and whether it was found by an earlier number. */
  find(r: PopulationRecord): { person: RegisterPerson | null; byEarlier: string | null } {
    // A legacy system's person without an identity number is known by the reserve number it was given.
    if (!r.identity) return { person: r.reserveNumber ? ((this.s.byReserve.get(r.reserveNumber) as RegisterPerson | undefined) ?? null) : null, byEarlier: null };
    const direct = this.s.byId.get(r.identity.canonical) as RegisterPerson | undefined;
    if (direct) return { person: direct, byEarlier: null };
    for (const prev of r.previousIdentities) {
      const p = (this.s.byId.get(prev.canonical) ?? this.s.byFormer.get(prev.canonical)) as RegisterPerson | undefined;
      if (p) return { person: p, byEarlier: prev.canonical };
    }
    return { person: null, byEarlier: null };
  }

  /** The rows applying `r` would make (empty when the register already says the same). */
  compare(r: PopulationRecord): { rows: StagedChange[]; personId: string | null } {
    const has = (part: RecordPart) => r.completeness === 'complete' || r.parts.includes(part);
    const line = r.source.line;
    // A record about a number that has ceased, pointing at its successor: the successor's own record carries
    // the facts; this one only tells us to re-key the person (handled when the successor's record names it).
    const idKey = r.identity?.canonical ?? null;
    if (r.replacedBy && idKey) {
      const old = this.s.byId.get(idKey) as RegisterPerson | undefined;
      const successor = this.s.byId.get(r.replacedBy.canonical) as RegisterPerson | undefined;
      this.formerOf.set(r.replacedBy.canonical, idKey);
      if (!old || successor || this.rekeyed.has(old.id)) return { rows: [], personId: successor?.id ?? old?.id ?? null };
      this.rekeyed.add(old.id);
      return {
        personId: old.id,
        rows: [this.identityRow(old, { canonical: r.replacedBy.canonical, kind: r.replacedBy.kind, country: r.replacedBy.country }, null, line)],
      };
    }
    const { person, byEarlier } = this.find(r);
    const name = currentOf(r.names)[0] ?? r.names[0] ?? null;
    const status = currentOf(r.statuses)[0] ?? null;
    const protection = currentOf(r.protection)[0] ?? null;
    const registration = currentOf(r.registrations)[0] ?? null;
    const level: ProtectionLevel = protection?.level ?? 'none';
    const fileShielded = isProtected(level);

    if (!person) {
      // Someone the register knows but Kansli does not: new, unless the record says they are gone (a death or
      // an emigration of a stranger is none of the school office's business) or it is a partial notice.
      if (r.completeness !== 'complete' && !(has('name') && name)) return { rows: [], personId: null };
      if (status && status.code !== 'active') return { rows: [], personId: null };
      if (!name) return { rows: [], personId: null };
      const addresses = currentOf(r.addresses)
        .map((a) => {
          const v = addressValues(a, this.c.municipality.country);
          return v ? { ...v, from: fullDate(a.validFrom) } : null;
        })
        .filter((a): a is NonNullable<typeof a> => a !== null);
      const payload: NewPersonPayload = {
        identity: r.identity ? { canonical: r.identity.canonical, kind: r.identity.kind, country: r.identity.country } : null,
        reserveNumber: r.identity ? null : r.reserveNumber,
        contacts: has('contacts') ? r.contacts.map((c) => ({ kind: c.kind, value: c.value })) : [],
        given: name.given,
        middle: name.middle,
        family: name.family,
        preferred: name.preferred,
        nameFrom: fullDate(name.validFrom),
        birthDate: fullDate(r.birthDate),
        sex: r.sex,
        status: 'active',
        protection: level,
        protectionFrom: fullDate(protection?.from),
        addresses,
        municipality: registration?.municipalityCode ?? null,
        district: registration?.district ?? null,
        nationality: currentOf(r.citizenships)[0]?.country ?? null,
      };
      const rows: StagedChange[] = [
        {
          kind: 'new_person',
          personId: null,
          identity: idKey ?? r.reserveNumber,
          name: `${name.family}, ${name.given}`,
          shielded: fileShielded,
          sensitive: true,
          before: null,
          after: addresses[0] ? addressText(addresses[0]) : null,
          from: payload.nameFrom,
          line,
          payload: { kind: 'new_person', person: payload } satisfies ChangePayload,
        },
      ];
      if (has('relations')) rows.push(...this.custodyRows(null, r, line, fileShielded));
      return { rows, personId: null };
    }

    const rows: StagedChange[] = [];
    const shielded = person.shielded === 1 || fileShielded;
    const display = `${person.family_name}, ${person.given_name}`;
    const base = { personId: person.id, identity: idKey ?? person.id_canonical, name: display, shielded, line };
    if (byEarlier && r.identity) this.formerOf.set(r.identity.canonical, byEarlier);
    // The ceased number's own record may have come first and re-keyed the person already.
    if (byEarlier && r.identity && !this.rekeyed.has(person.id) && this.rekeyed.add(person.id)) rows.push(this.identityRow(person, { canonical: r.identity.canonical, kind: r.identity.kind, country: r.identity.country }, fullDate(r.identity.validFrom), line));

    if (has('name') && name) {
      // Folkeregisteret and most legacy files have no tilltalsnamn: a locally recorded preferred name stays.
      const keepPreferred = this.c.format !== 'navet' && name.preferred === null;
      const preferred = keepPreferred ? person.preferred_name : name.preferred;
      const same =
        norm(name.given) === norm(person.given_name) && norm(name.middle) === norm(person.middle_name) && norm(name.family) === norm(person.family_name) && norm(preferred) === norm(person.preferred_name);
      if (!same) {
        rows.push({
          ...base,
          kind: 'name',
          sensitive: false,
          before: `${person.family_name}, ${person.given_name}${person.middle_name ? ` ${person.middle_name}` : ''}`,
          after: `${name.family}, ${name.given}${name.middle ? ` ${name.middle}` : ''}`,
          from: fullDate(name.validFrom),
          payload: { kind: 'name', given: name.given, middle: name.middle, family: name.family, preferred, keepPreferred } satisfies ChangePayload,
        });
      }
    }

    if (has('birth') || has('sex') || has('citizenship')) {
      const d: { kind: 'details'; birthDate?: string; sex?: 'F' | 'M'; nationality?: string } = { kind: 'details' };
      const birth = fullDate(r.birthDate);
      if (has('birth') && birth && birth !== person.birth_date) d.birthDate = birth;
      if (has('sex') && r.sex && r.sexSource === 'register' && r.sex !== person.sex) d.sex = r.sex;
      const nat = currentOf(r.citizenships)[0]?.country;
      if (has('citizenship') && nat && nat.length === 2 && nat !== (person.nationality ?? '')) d.nationality = nat;
      const keys = Object.keys(d).filter((k) => k !== 'kind');
      if (keys.length) {
        rows.push({
          ...base,
          kind: 'details',
          sensitive: false,
          before: keys.map((k) => `${k}: ${k === 'birthDate' ? person.birth_date : k === 'sex' ? person.sex : person.nationality}`).join('; '),
          after: keys.map((k) => `${k}: ${(d as Record<string, string>)[k]}`).join('; '),
          from: null,
          payload: d satisfies ChangePayload,
        });
      }
    }

    const stillHere = !registration?.municipalityCode || registration.municipalityCode === this.c.municipality.code;
    if (has('address.registered') || has('address.postal') || has('address.foreign')) {
      const current = this.s.addresses.all(person.id, this.c.today) as AddressRow[];
      for (const a of currentOf(r.addresses)) {
        const v = addressValues(a, this.c.municipality.country);
        if (!v) continue;
        const partOk = has(a.kind === 'registered' ? 'address.registered' : a.kind === 'foreign' ? 'address.foreign' : a.kind === 'temporary' ? 'address.temporary' : 'address.postal');
        if (!partOk) continue;
        // A move out of the municipality is a `moved_out` row; the new address elsewhere is not the school office's.
        if (v.kind === 'registered' && !stillHere) continue;
        const mine = current.find((c) => c.kind === v.kind);
        if (mine && sameAddress(v, mine)) continue;
        rows.push({
          ...base,
          kind: 'address',
          sensitive: true,
          before: mine ? addressText({ careOf: mine.care_of, street: mine.street, postalCode: mine.postal_code, city: mine.city, country: mine.country }) : null,
          after: addressText(v),
          from: fullDate(a.validFrom),
          payload: {
            kind: 'address',
            address: v,
            endId: mine?.id ?? null,
            municipality: v.kind === 'registered' ? (registration?.municipalityCode ?? null) : null,
            district: v.kind === 'registered' ? (registration?.district ?? null) : null,
          } satisfies ChangePayload,
        });
      }
    }

    if (has('contacts')) {
      const current = this.s.contacts.all(person.id, this.c.today) as { id: string; kind: string; value: string }[];
      for (const c of r.contacts) {
        const mine = current.find((x) => x.kind === c.kind);
        if (mine && norm(mine.value) === norm(c.value)) continue;
        rows.push({
          ...base,
          kind: 'contact',
          sensitive: true,
          before: mine ? mine.value : null,
          after: c.value,
          from: null,
          payload: { kind: 'contact', contact: { kind: c.kind, value: c.value }, endId: mine?.id ?? null } satisfies ChangePayload,
        });
      }
    }

    if (has('protection') && level !== person.protection) {
      rows.push({
        ...base,
        // The register is the source of protection: a lowering it reports is applied like a raise, but listed apart.
        kind: isProtectionLowered(person.protection, level) ? 'protection_removed' : 'protection_added',
        sensitive: false,
        before: person.protection,
        after: level,
        from: fullDate(protection?.from),
        payload: { kind: 'protection', level, from: fullDate(protection?.from) } satisfies ChangePayload,
      });
    }

    if (has('status') && status && (status.code === 'deceased' || status.code === 'emigrated') && person.status !== status.code) {
      rows.push({
        ...base,
        kind: status.code,
        sensitive: false,
        before: person.status,
        after: [fullDate(status.date), status.country].filter(Boolean).join(' ') || status.code,
        from: fullDate(status.date),
        payload: { kind: 'status', status: status.code, date: fullDate(status.date), country: status.country } satisfies ChangePayload,
      });
    } else if (has('registration') && registration?.municipalityCode && !stillHere && person.registered_municipality !== registration.municipalityCode) {
      rows.push({
        ...base,
        kind: 'moved_out',
        sensitive: false,
        before: person.registered_municipality ?? this.c.municipality.code,
        after: registration.municipalityCode,
        from: fullDate(registration.validFrom),
        payload: { kind: 'moved_out', municipality: registration.municipalityCode, district: registration.district, date: fullDate(registration.validFrom) } satisfies ChangePayload,
      });
    }

    if (has('relations')) rows.push(...this.custodyRows(person, r, line, shielded));
    return { rows, personId: person.id };
  }

  /**
   * A full file names everyone the register describes for the municipality: a person Kansli took from this
   * register who is missing from it has left (moved away, or the register stopped describing them).
   */
  absentee(person: { id: string; family_name: string; given_name: string; id_canonical: string | null; shielded: number; registered_municipality: string | null }, fileDate: string | null, line: number): StagedChange {
    return {
      kind: 'moved_out',
      personId: person.id,
      identity: person.id_canonical,
      name: `${person.family_name}, ${person.given_name}`,
      shielded: person.shielded === 1,
      sensitive: false,
      before: person.registered_municipality ?? this.c.municipality.code,
      after: null,
      from: fileDate,
      line,
      payload: { kind: 'moved_out', municipality: null, district: null, date: fileDate } satisfies ChangePayload,
    };
  }

  private identityRow(person: RegisterPerson, identity: { canonical: string; kind: string; country: string }, date: string | null, line: number): StagedChange {
    const today = this.c.today;
    return {
      kind: 'identity',
      personId: person.id,
      identity: identity.canonical,
      name: `${person.family_name}, ${person.given_name}`,
      shielded: person.shielded === 1,
      sensitive: false,
      before: person.id_canonical ? formatIdentityNumber(person.id_canonical, { today }) : null,
      after: formatIdentityNumber(identity.canonical, { today }),
      from: date,
      line,
      payload: { kind: 'identity', old: person.id_canonical ?? '', identity, date } satisfies ChangePayload,
    };
  }

  /** Custody as the register states it against the register-kind guardianships Kansli holds for the child. */
  private custodyRows(person: RegisterPerson | null, r: PopulationRecord, line: number, shielded: boolean): StagedChange[] {
    const wanted = currentOf(r.relations).filter((x) => x.kind === 'custodian' && x.other.identity);
    const held = person ? (this.s.custody.all(person.id, this.c.today, JSON.stringify(CUSTODY_KINDS)) as { id: string; kind: string; valid_from: string; guardian: string | null }[]) : [];
    const out: StagedChange[] = [];
    const childName = person ? `${person.family_name}, ${person.given_name}` : (() => {
      const n = currentOf(r.names)[0] ?? r.names[0];
      return n ? `${n.family}, ${n.given}` : (r.identity?.canonical ?? r.reserveNumber ?? '');
    })();
    const kindFor = (custody: string | null) => (this.c.municipality.country === 'SE' ? 'vardnadshavare' : NO_CUSTODY_KIND[custody ?? 'unknown'] ?? 'foreldreansvar_andre');
    const guardianName = (id: string, fallback: { given: string; family: string } | null) =>
      (this.s.nameOf.get(id) as string | undefined) ?? (fallback ? `${fallback.family}, ${fallback.given}` : formatIdentityNumber(id, { today: this.c.today }));
    // A guardian renumbered in this same file is still the same custodian.
    const same = (held: string | null, wanted: string) => held === wanted || this.formerOf.get(wanted) === held || this.formerOf.get(held ?? '') === wanted;
    for (const w of wanted) {
      const g = w.other.identity!.canonical;
      if (held.some((h) => same(h.guardian, g))) continue;
      out.push({
        kind: 'custody',
        personId: person?.id ?? null,
        identity: r.identity?.canonical ?? r.reserveNumber,
        name: childName,
        shielded,
        sensitive: false,
        before: null,
        after: `+ ${guardianName(g, w.other.name)}`,
        from: fullDate(w.validFrom),
        line,
        payload: { kind: 'custody', op: 'add', guardian: g, guardianshipId: null, guardianshipKind: kindFor(w.custody), from: fullDate(w.validFrom), to: null } satisfies ChangePayload,
      });
    }
    // Only a record that states the relations completely can end one: a partial notice may not mention them.
    if (person && (r.completeness === 'complete' || r.parts.includes('relations'))) {
      for (const h of held) {
        if (!h.guardian || wanted.some((w) => same(h.guardian, w.other.identity!.canonical))) continue;
        const ended = r.relations.find((x) => x.kind === 'custodian' && x.other.identity?.canonical === h.guardian && !x.current);
        const to = fullDate(ended?.validTo) ?? this.c.today;
        out.push({
          kind: 'custody',
          personId: person.id,
          identity: r.identity?.canonical ?? person.id_canonical,
          name: childName,
          shielded,
          sensitive: false,
          before: `${guardianName(h.guardian, null)}`,
          after: `− ${guardianName(h.guardian, null)}`,
          from: to,
          line,
          payload: { kind: 'custody', op: 'end', guardian: h.guardian, guardianshipId: h.id, guardianshipKind: h.kind, from: null, to } satisfies ChangePayload,
        });
      }
    }
    return out;
  }
}
