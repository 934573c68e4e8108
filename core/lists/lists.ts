/**
 * Class lists and placement lists of a unit (or one group) at a date: the rows `list.get` returns and
 * `list.export` renders as PDF or CSV.
 *
 * Who appears (domain.md §2, §5):
 * - A child with protected identity appears only for a caller who may see protected persons of the unit
 *   (`canSeeProtected`); everyone else gets a count (`hiddenProtected`). Even then the row has no identity
 *   number and no guardians: the guardians' names and numbers lead to the home (contract: "never any for a
 *   protected child"); a permitted user opens the card and reveals with a reason instead.
 * - A guardian from whom the child is shielded (guardianship.shielded) never appears in the child's row.
 * - A protected guardian never appears (no name, no row); a guardian linked to a protected person (the
 *   stored shielding flag: a protected co-parent, sibling, household member …) appears by name but never
 *   with contact details.
 *
 * Placement lists show accepted placements only. An offer is not a place yet: it can still be declined,
 * it has no holders, and it is visible in the queue (application.list). A list is what staff plan the
 * group with and what gets printed, so it must not carry children who may never come.
 *
 * Performance: one query for the rows (index on enrolment/placement unit or group), one for the
 * guardianships of all those children (guardianship_child) with each guardian's stored shielding flag, one
 * for the contacts of the guardians shown (person_contact_person), each with the id list bound as one JSON
 * array. The flag replaced a two-step walk from every guardian towards protected persons, which alone took
 * 35–57 ms of a 745-pupil list (docs/benchmarks.md).
 */
import type Database from 'better-sqlite3';
import type { ListResult, PlacementStatus } from '../../shared/api/care';
import type { MethodParsedInput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import type { SchoolForm } from '../../shared/api/schemas';
import { formatIdentityNumber } from '../../shared/identity';
import { canSeeProtected, requireUnit } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { placementStatus } from '../placements/status';

export type ListInput = MethodParsedInput<'list.get'>;
export type ListRow = ListResult['rows'][number];
export type ListLang = 'sv' | 'nb' | 'en';

/**
 * Headings of generated lists. The UI's catalogs (shared/i18n) hold screen texts; a printed list needs a
 * handful of words of its own, kept here next to the only code that prints them.
 */
export const LIST_TEXT: Record<
  ListLang,
  {
    title: Record<ListInput['kind'], string>;
    file: Record<ListInput['kind'], string>;
    name: string;
    birthDate: string;
    identity: string;
    group: string;
    grade: string;
    form: string;
    weeklyHours: string;
    status: string;
    validFrom: string;
    validTo: string;
    guardian: string;
    phone: string;
    email: string;
    guardians: string;
    date: string;
    page: string;
    hidden: string;
    empty: string;
    /** Footer line of a printed list: who printed it and when. */
    printed: string;
    statuses: Record<PlacementStatus, string>;
  }
> = {
  sv: {
    title: { enrolments: 'Klasslista', placements: 'Placeringslista' },
    file: { enrolments: 'klasslista', placements: 'placeringslista' },
    name: 'Namn',
    birthDate: 'Födelsedatum',
    identity: 'Personnummer',
    group: 'Grupp',
    grade: 'Årskurs',
    form: 'Skolform',
    weeklyHours: 'Timmar/vecka',
    status: 'Status',
    validFrom: 'Från',
    validTo: 'Till',
    guardian: 'Vårdnadshavare',
    phone: 'Telefon',
    email: 'E-post',
    guardians: 'Vårdnadshavare och kontakt',
    date: 'Datum',
    page: 'Sida {n} av {m}',
    hidden: 'Personer med skyddade personuppgifter som inte visas: {n}',
    empty: 'Inga personer på listan.',
    printed: 'Utskriven av {who} {at}',
    statuses: { offered: 'Erbjuden', accepted: 'Accepterad', active: 'Aktiv', notice_given: 'Uppsagd', ended: 'Avslutad', declined: 'Avböjd' },
  },
  nb: {
    title: { enrolments: 'Klasseliste', placements: 'Plasseringsliste' },
    file: { enrolments: 'klasseliste', placements: 'plasseringsliste' },
    name: 'Navn',
    birthDate: 'Fødselsdato',
    identity: 'Fødselsnummer',
    group: 'Gruppe',
    grade: 'Trinn',
    form: 'Skoleslag',
    weeklyHours: 'Timer/uke',
    status: 'Status',
    validFrom: 'Fra',
    validTo: 'Til',
    guardian: 'Foresatt',
    phone: 'Telefon',
    email: 'E-post',
    guardians: 'Foresatte og kontakt',
    date: 'Dato',
    page: 'Side {n} av {m}',
    hidden: 'Personer med adressebeskyttelse som ikke vises: {n}',
    empty: 'Ingen personer på listen.',
    printed: 'Skrevet ut av {who} {at}',
    statuses: { offered: 'Tilbudt', accepted: 'Akseptert', active: 'Aktiv', notice_given: 'Oppsagt', ended: 'Avsluttet', declined: 'Avslått' },
  },
  en: {
    title: { enrolments: 'Class list', placements: 'Placement list' },
    file: { enrolments: 'class-list', placements: 'placement-list' },
    name: 'Name',
    birthDate: 'Birth date',
    identity: 'Identity number',
    group: 'Group',
    grade: 'Grade',
    form: 'School form',
    weeklyHours: 'Hours/week',
    status: 'Status',
    validFrom: 'From',
    validTo: 'To',
    guardian: 'Guardian',
    phone: 'Phone',
    email: 'E-mail',
    guardians: 'Guardians and contact',
    date: 'Date',
    page: 'Page {n} of {m}',
    hidden: 'Protected persons not shown: {n}',
    empty: 'No persons on the list.',
    printed: 'Printed by {who} at {at}',
    statuses: { offered: 'Offered', accepted: 'Accepted', active: 'Active', notice_given: 'Notice given', ended: 'Ended', declined: 'Declined' },
  },
};

export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/**
 * `klasslista-3A-2026-11-23.pdf`: only ASCII letters, digits and dashes, so every file system, mail client
 * and archive accepts the name (å, ä, ö are folded, anything else becomes a dash).
 */
export function listFilename(result: ListResult, lang: ListLang, ext: 'pdf' | 'csv'): string {
  const what = result.group?.name ?? result.unit.name;
  const safe = what
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${LIST_TEXT[lang].file[result.kind]}${safe ? `-${safe}` : ''}-${result.date}.${ext}`;
}

interface RowDb {
  person_id: string;
  group_id: string | null;
  group_name: string | null;
  school_form: string;
  grade: number | null;
  weekly_hours: number | null;
  state: 'offered' | 'accepted' | 'declined' | null;
  notice_given_on: string | null;
  valid_from: string;
  valid_to: string | null;
  given_name: string;
  family_name: string;
  birth_date: string | null;
  id_canonical: string | null;
  reserve_number: string | null;
  protection: string;
}

interface GuardianshipDb {
  child_id: string;
  guardian_id: string;
  shielded: number;
  valid_from: string;
  valid_to: string | null;
  given_name: string;
  family_name: string;
  protection: string;
  /** The guardian's stored shielding flag (core/register/shielding.ts). */
  linked_shielded: number;
}

/** The column order of the raw rows below, mapped to RowDb by rowOf. */
type RawRow = [string, string | null, string | null, string, number | null, number | null, RowDb['state'], string | null, string, string | null, string, string, string | null, string | null, string | null, string];
const rowOf = (r: RawRow): RowDb => ({
  person_id: r[0],
  group_id: r[1],
  group_name: r[2],
  school_form: r[3],
  grade: r[4],
  weekly_hours: r[5],
  state: r[6],
  notice_given_on: r[7],
  valid_from: r[8],
  valid_to: r[9],
  given_name: r[10],
  family_name: r[11],
  birth_date: r[12],
  id_canonical: r[13],
  reserve_number: r[14],
  protection: r[15],
});
type RawGuardianship = [string, string, number, string, string | null, string, string, string, number];
const guardianshipOf = (r: RawGuardianship): GuardianshipDb => ({
  child_id: r[0],
  guardian_id: r[1],
  shielded: r[2],
  valid_from: r[3],
  valid_to: r[4],
  given_name: r[5],
  family_name: r[6],
  protection: r[7],
  linked_shielded: r[8],
});
/** person_id, kind, value, valid_from, rowid. */
type RawContact = [string, string, string, string, number];

const PERSON_COLS = `p.given_name, p.family_name, p.birth_date, p.id_canonical, p.reserve_number, p.protection`;
const LIVE = `(x.valid_to IS NULL OR x.valid_to >= @date) AND x.valid_from <= @date AND x.deleted_at IS NULL AND p.deleted_at IS NULL`;
/** Within a group the pupils go by name; groups go by grade then name, so "FA" comes before "1A" and "10A" after "9A". */
const ORDER = `ORDER BY g.grade IS NULL, g.grade, g.sort_key IS NULL, g.sort_key, g.id, p.sort_key, p.id`;

const contactRank = (kind: string): number => (kind === 'mobile' ? 0 : kind === 'email' ? 2 : 1);

export interface ListOutcome {
  result: ListResult;
  /** Every person whose data the list shows (children and guardians), for the audit entry. */
  personIds: string[];
}

export class ListReader {
  private readonly s: Record<string, Database.Statement>;

  constructor(private readonly ctx: CoreContext) {
    const db = ctx.sqlite;
    // The three big reads return raw rows (arrays): a class list moves about 30 000 values from SQLite,
    // and better-sqlite3's named rows cost more than the lookups themselves (measured: 6.9 against 9.2 ms
    // for the pupils, 4.2 against 10.0 ms for the contacts, whose order is now made per guardian here).
    // Each is mapped to a named row at once (rowOf, guardianshipOf).
    const enrol = (where: string) =>
      db.prepare(
        `SELECT x.pupil_id AS person_id, x.group_id, g.name AS group_name, x.school_form, x.grade, NULL AS weekly_hours, NULL AS state,
           NULL AS notice_given_on, x.valid_from, x.valid_to, ${PERSON_COLS}
         FROM enrolment x JOIN person p ON p.id = x.pupil_id LEFT JOIN school_group g ON g.id = x.group_id
         WHERE ${where} AND ${LIVE} ${ORDER}`,
      ).raw(true);
    const place = (where: string) =>
      db.prepare(
        `SELECT x.child_id AS person_id, x.group_id, g.name AS group_name, x.school_form, NULL AS grade, x.weekly_hours, x.state,
           x.notice_given_on, x.valid_from, x.valid_to, ${PERSON_COLS}
         FROM placement x JOIN person p ON p.id = x.child_id LEFT JOIN school_group g ON g.id = x.group_id
         WHERE ${where} AND x.state = 'accepted' AND ${LIVE} ${ORDER}`,
      ).raw(true);
    this.s = {
      unit: db.prepare(`SELECT id, name FROM org_unit WHERE id = ? AND deleted_at IS NULL`),
      municipality: db.prepare(`SELECT m.name FROM org_unit u JOIN municipality m ON m.id = u.municipality_id WHERE u.id = ?`),
      group: db.prepare(`SELECT id, name, kind, unit_id FROM school_group WHERE id = ? AND deleted_at IS NULL`),
      enrolUnit: enrol('x.unit_id = @unit'),
      enrolGroup: enrol('x.group_id = @group AND x.unit_id = @unit'),
      placeUnit: place('x.unit_id = @unit'),
      placeGroup: place('x.group_id = @group AND x.unit_id = @unit'),
      // Every guardianship that could matter: current ones, and shielded ones that still hold today or at
      // the date (a shielding decided after the list date still keeps the guardian off a list printed now).
      guardianships: db.prepare(
        `SELECT x.child_id, x.guardian_id, x.shielded, x.valid_from, x.valid_to, p.given_name, p.family_name, p.protection, p.shielded AS linked_shielded
         FROM guardianship x JOIN person p ON p.id = x.guardian_id
         WHERE x.child_id IN (SELECT value FROM json_each(@children)) AND x.deleted_at IS NULL AND p.deleted_at IS NULL
           AND (x.valid_to IS NULL OR x.valid_to >= @since)
         ORDER BY x.child_id, x.valid_from, p.sort_key, p.id`,
      ).raw(true),
      contacts: db.prepare(
        `SELECT person_id, kind, value, valid_from, rowid FROM person_contact
         WHERE person_id IN (SELECT value FROM json_each(@ids)) AND valid_from <= @date AND (valid_to IS NULL OR valid_to >= @date)`,
      ).raw(true),
    };
  }

  get(actor: Actor, input: ListInput): ListOutcome {
    requireUnit(actor, 'placement.read', input.unitId, 'Lists');
    const unit = this.s.unit!.get(input.unitId) as { id: string; name: string } | undefined;
    if (!unit) throw new DomainError('not_found', 'No such unit', 'unitId');
    let group: ListResult['group'] = null;
    if (input.groupId) {
      const g = this.s.group!.get(input.groupId) as { id: string; name: string; kind: 'class'; unit_id: string } | undefined;
      // A group of another unit is "not found" here: the unit scope was checked for this unit only.
      if (!g || g.unit_id !== unit.id) throw new DomainError('not_found', 'No such group in this unit', 'groupId');
      group = { id: g.id, name: g.name, kind: g.kind };
    }
    const params = { unit: unit.id, group: input.groupId ?? null, date: input.date };
    const stmt = input.kind === 'enrolments' ? (group ? this.s.enrolGroup! : this.s.enrolUnit!) : group ? this.s.placeGroup! : this.s.placeUnit!;
    const all = (stmt.all(params) as RawRow[]).map(rowOf);

    const seeProtected = canSeeProtected(actor, unit.id);
    const visible = all.filter((r) => r.protection === 'none' || seeProtected);
    const hiddenProtected = new Set(all.filter((r) => r.protection !== 'none' && !seeProtected).map((r) => r.person_id)).size;
    const guardians = this.guardiansOf(
      visible.filter((r) => r.protection === 'none').map((r) => r.person_id),
      input.date,
      input.withContacts,
    );
    const today = this.ctx.clock.today();
    const personIds = new Set<string>();
    const rows = visible.map((r): ListRow => {
      personIds.add(r.person_id);
      const isProt = r.protection !== 'none';
      const gs = isProt ? [] : (guardians.get(r.person_id) ?? []);
      for (const g of gs) personIds.add(g.id);
      return {
        person: { id: r.person_id, name: `${r.family_name}, ${r.given_name}`, protected: isProt },
        birthDate: r.birth_date || null,
        identity: isProt ? null : r.id_canonical ? formatIdentityNumber(r.id_canonical, { today }) : r.reserve_number,
        groupId: r.group_id,
        groupName: r.group_name,
        schoolForm: r.school_form as SchoolForm,
        grade: r.grade,
        weeklyHours: r.weekly_hours,
        status: r.state ? placementStatus({ state: r.state, validFrom: r.valid_from, validTo: r.valid_to, noticeGivenOn: r.notice_given_on }, input.date) : null,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        guardians: gs.map(({ name, phones, emails }) => ({ name, phones, emails })),
      };
    });
    return {
      result: { unit, group, date: input.date, kind: input.kind, rows, hiddenProtected },
      personIds: [...personIds],
    };
  }

  /** The name of the unit's municipality, for the heading of a printed list (no scope check: it names no person). */
  municipalityName(unitId: string): string | null {
    return (this.s.municipality!.pluck().get(unitId) as string | undefined) ?? null;
  }

  /**
   * The guardians to show per child: current at the date, never shielded from the child, never protected
   * themselves; contact details only when asked for and only when the guardian is not linked to a
   * protected person.
   */
  private guardiansOf(
    children: string[],
    date: string,
    withContacts: boolean,
  ): Map<string, { id: string; name: string; phones: string[]; emails: string[] }[]> {
    const out = new Map<string, { id: string; name: string; phones: string[]; emails: string[] }[]>();
    if (!children.length) return out;
    const today = this.ctx.clock.today();
    const since = date < today ? date : today;
    const rows = (this.s.guardianships!.all({ children: JSON.stringify(children), since }) as RawGuardianship[]).map(guardianshipOf);
    const blocked = new Set(rows.filter((g) => g.shielded).map((g) => `${g.child_id}|${g.guardian_id}`));
    const shown = rows.filter(
      (g) =>
        !g.shielded &&
        g.valid_from <= date &&
        (g.valid_to === null || g.valid_to >= date) &&
        g.protection === 'none' &&
        !blocked.has(`${g.child_id}|${g.guardian_id}`),
    );
    const contactable = new Set(withContacts ? shown.filter((g) => g.linked_shielded === 0).map((g) => g.guardian_id) : []);
    const contacts = new Map<string, { phones: string[]; emails: string[] }>();
    if (contactable.size) {
      const byPerson = new Map<string, RawContact[]>();
      for (const c of this.s.contacts!.all({ ids: JSON.stringify([...contactable]), date }) as RawContact[]) {
        const list = byPerson.get(c[0]);
        if (list) list.push(c);
        else byPerson.set(c[0], [c]);
      }
      for (const [personId, list] of byPerson) {
        // Mobile numbers first, then other phones, each oldest first (then as entered).
        list.sort((a, b) => contactRank(a[1]) - contactRank(b[1]) || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0) || a[4] - b[4]);
        const e = { phones: [] as string[], emails: [] as string[] };
        for (const c of list) {
          const values = c[1] === 'email' ? e.emails : e.phones;
          if (!values.includes(c[2])) values.push(c[2]);
        }
        contacts.set(personId, e);
      }
    }
    for (const g of shown) {
      let list = out.get(g.child_id);
      if (!list) out.set(g.child_id, (list = []));
      // Two guardianship rows of the same pair at the date (a kind change on that day) show the guardian once.
      if (list.some((x) => x.id === g.guardian_id)) continue;
      const c = contacts.get(g.guardian_id);
      list.push({ id: g.guardian_id, name: `${g.family_name}, ${g.given_name}`, phones: c ? [...c.phones] : [], emails: c ? [...c.emails] : [] });
    }
    return out;
  }
}
