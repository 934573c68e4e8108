/**
 * Gathering (issue 13, step 4; docs/foi.md "Gathering"): every record held about the persons a request
 * concerns, as review items. An item refers to its record (never copies its values: they are read through
 * here when shown, with every protection applied to the reader), keeps the hash of the record's values when
 * gathered (a later change shows as `changed`), and carries the outcome proposed for the secrecy review:
 *
 * - a protected or shielded person's addresses and contacts: masked, on the protected-identity ground
 *   (Sweden OSL 21:3, Norway offl. § 13 jf. fvl. § 13);
 * - a guardianship shielded by a court decision, or whose other party is protected or shielded: masked, on
 *   the same ground;
 * - in a public-document request (not subject access): a protected person's identity withheld on that ground
 *   (a name on a class list tells the school), and a subject's care records (placements, school, fees,
 *   documents) withheld on the school or preschool secrecy ground for the officer to try;
 * - a document marked confidential: withheld, its ground for the officer to choose;
 * - everything else: disclosed.
 *
 * What is gathered per person: the data subject (role `subject`) everything below; a listed or other person
 * their identity only. Incomes only for a requester who is an adult of the household (their own household's
 * income); fee lines where the subject is the child or the recipient.
 */
import { createHash } from 'node:crypto';
import type { PersonScope } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { ruleViolation } from '../../shared/api/errors';
import { FOI_ITEM_CATEGORIES, FOI_ITEM_FIELDS, PROTECTED_GROUND, type FoiItemCategory, type FoiMerinnsyn, type FoiOutcome, type FoiPersonRole } from '../../shared/domain/foi';
import type { FoiItemView, FoiRegion } from '../../shared/api/foi';
import { readRecord } from '../sync/records';
import type { RecordTable, Row } from '../write/records';
import { insertRecord, updateRecord, type Writer } from '../write/records';
import { derivedId } from '../write/ids';
import { formatIdentityNumber } from '../../shared/identity';
import { countryOf, unnamedKey, type RequestRow } from './requests';
import { foiGrounds } from './review';

export interface Proposal {
  outcome: FoiOutcome;
  /** A ground code (DEFAULT_FOI_GROUNDS); null: the officer chooses one in the review. */
  ground: string | null;
}

interface Found {
  personId: string;
  category: FoiItemCategory;
  entity: RecordTable;
  recordId: string;
  row: Row;
  proposal: Proposal;
}

interface PersonFacts {
  id: string;
  protection: string;
  shielded: number;
}

const withheldPerson = (p: PersonFacts | undefined) => !!p && (p.protection !== 'none' || p.shielded === 1);

/** What each category reads for a subject: the record table, the column naming the person, an extra condition. */
const SOURCES: readonly { category: FoiItemCategory; entity: RecordTable; where: string }[] = [
  { category: 'name', entity: 'person_name', where: 'person_id = @p' },
  { category: 'address', entity: 'person_address', where: 'person_id = @p' },
  { category: 'contact', entity: 'person_contact', where: 'person_id = @p' },
  { category: 'guardianship', entity: 'guardianship', where: '(child_id = @p OR guardian_id = @p) AND deleted_at IS NULL' },
  { category: 'household', entity: 'household_member', where: 'person_id = @p AND deleted_at IS NULL' },
  { category: 'placement', entity: 'placement', where: 'child_id = @p AND deleted_at IS NULL' },
  { category: 'enrolment', entity: 'enrolment', where: 'pupil_id = @p AND deleted_at IS NULL' },
  { category: 'application', entity: 'application', where: 'child_id = @p AND deleted_at IS NULL' },
  { category: 'membership', entity: 'group_membership', where: 'person_id = @p AND deleted_at IS NULL' },
  { category: 'fee_line', entity: 'fee_line', where: '(child_id = @p OR recipient_id = @p) AND deleted_at IS NULL' },
  { category: 'document', entity: 'person_document', where: 'person_id = @p AND deleted_at IS NULL' },
];

/** Care records: in a public-document request they are a subject's personal circumstances (withheld for trial). */
const CARE_CATEGORIES: ReadonlySet<FoiItemCategory> = new Set(['placement', 'enrolment', 'application', 'membership', 'fee_line', 'income', 'document', 'household', 'guardianship']);

export function hashRow(row: Row): string {
  return createHash('sha256').update(JSON.stringify(row)).digest('hex');
}

/** Everything held about the request's persons concerned, with each item's proposal. */
export function collect(ctx: CoreContext, r: Pick<RequestRow, 'id' | 'kind' | 'requester_person_id' | 'received_on'>, links: readonly { person_id: string; role: FoiPersonRole }[]): Found[] {
  const s = ctx.sqlite;
  const country = countryOf(ctx);
  const ground = PROTECTED_GROUND[country];
  const publicKind = r.kind !== 'gdpr_access';
  const facts = new Map<string, PersonFacts>();
  const factsOf = (id: string | null | undefined): PersonFacts | undefined => {
    if (!id) return undefined;
    let f = facts.get(id);
    if (!f) {
      f = s.prepare('SELECT id, protection, shielded FROM person WHERE id = ?').get(id) as PersonFacts | undefined;
      if (f) facts.set(id, f);
    }
    return f;
  };
  const out: Found[] = [];
  // A proposal names a ground only while the table has it in force for the municipality's country: a ground
  // the office ended (or replaced under another code) leaves the choice to the officer instead.
  const today = ctx.clock.today();
  const inForce = new Set(
    foiGrounds(ctx)
      .grounds.filter((g) => (g.country === null || g.country === country) && g.validFrom <= today && (g.validTo === null || g.validTo >= today))
      .map((g) => g.code),
  );
  const add = (personId: string, category: FoiItemCategory, entity: RecordTable, id: string, proposal: Proposal) => {
    const row = readRecord(s, entity, id);
    if (!row) return;
    out.push({ personId, category, entity, recordId: id, row, proposal: proposal.ground !== null && !inForce.has(proposal.ground) ? { ...proposal, ground: null } : proposal });
  };
  const disclose: Proposal = { outcome: 'disclose', ground: null };
  for (const link of links) {
    const p = link.person_id;
    const me = factsOf(p);
    if (!me) continue;
    const protectedMe = me.protection !== 'none';
    add(p, 'identity', 'person', p, protectedMe && publicKind ? { outcome: 'withhold', ground } : disclose);
    if (link.role !== 'subject') continue;
    for (const src of SOURCES) {
      const ids = s.prepare(`SELECT id FROM ${src.entity} WHERE ${src.where} ORDER BY id`).pluck().all({ p }) as string[];
      for (const id of ids) {
        const row = readRecord(s, src.entity, id);
        if (!row) continue;
        out.push({ personId: p, category: src.category, entity: src.entity, recordId: id, row, proposal: propose(src.category, row, p) });
      }
    }
    // A household's income: only to a requester who is an adult of that household (their own household's).
    if (r.requester_person_id) {
      const households = s
        .prepare(
          `SELECT DISTINCT m.household_id FROM household_member m JOIN household_member a ON a.household_id = m.household_id
           WHERE m.person_id = @p AND m.deleted_at IS NULL AND a.person_id = @req AND a.role = 'adult' AND a.deleted_at IS NULL
             AND a.valid_from <= @on AND (a.valid_to IS NULL OR a.valid_to >= @on)
           ORDER BY m.household_id`,
        )
        .pluck()
        .all({ p, req: r.requester_person_id, on: r.received_on }) as string[];
      for (const h of households) {
        for (const id of s.prepare(`SELECT id FROM income_declaration WHERE household_id = ? AND deleted_at IS NULL ORDER BY valid_from, id`).pluck().all(h) as string[]) {
          add(p, 'income', 'income_declaration', id, publicKind ? { outcome: 'withhold', ground: country === 'SE' ? 'se_osl_23_1' : 'no_offl_13_fvl_13' } : disclose);
        }
      }
    }
  }
  return out;

  function propose(category: FoiItemCategory, row: Row, p: string): Proposal {
    // A data subject asking for their own data gets their own whereabouts.
    const own = !publicKind && p === r.requester_person_id;
    if (category === 'address' || category === 'contact') return withheldPerson(factsOf(p)) && !own ? { outcome: 'mask', ground } : careOrDisclose(category);
    if (category === 'guardianship') {
      const other = row.child_id === p ? (row.guardian_id as string) : (row.child_id as string);
      if (row.shielded === 1 || withheldPerson(factsOf(other))) return { outcome: 'mask', ground };
    }
    if (category === 'household' && withheldPerson(factsOf(p)) && !own) return { outcome: 'mask', ground };
    // A protected person's names tell who they are, like their identity.
    if (category === 'name' && publicKind && factsOf(p)?.protection !== 'none') return { outcome: 'withhold', ground };
    if (category === 'document' && row.classification === 'confidential') return { outcome: 'withhold', ground: null };
    return careOrDisclose(category);
  }

  function careOrDisclose(category: FoiItemCategory): Proposal {
    if (publicKind && CARE_CATEGORIES.has(category)) return { outcome: 'withhold', ground: country === 'SE' ? 'se_osl_23_2' : 'no_offl_13_fvl_13' };
    return disclose;
  }
}

interface ItemRow {
  id: string;
  version: number;
  request_id: string;
  person_id: string;
  category: FoiItemCategory;
  entity: RecordTable;
  record_id: string;
  content_hash: string;
  proposal: string;
  gone_at: string | null;
}

/** An item as listed: with its review, if any. */
export interface ListedItem extends ItemRow {
  outcome: FoiOutcome | null;
  ground: string | null;
  field_review: string | null;
  reason: string | null;
  merinnsyn: FoiMerinnsyn | null;
  reviewed_by_name: string | null;
  reviewed_at: string | null;
  reviewed_hash: string | null;
}

/**
 * Gathers (again): new records become items, an item whose record changed gets the new hash and proposal,
 * an item whose record went (or no longer concerns the person) is marked gone. Returns the counts.
 */
export function gather(w: Writer, r: Pick<RequestRow, 'id' | 'kind' | 'requester_person_id' | 'received_on'>, links: readonly { person_id: string; role: FoiPersonRole }[]): { added: number; changed: number; gone: number; total: number; persons: string[] } {
  const s = w.ctx.sqlite;
  const found = collect(w.ctx, r, links);
  const existing = s.prepare('SELECT id, version, request_id, person_id, category, entity, record_id, content_hash, proposal, gone_at FROM foi_item WHERE request_id = ?').all(r.id) as ItemRow[];
  const key = (entity: string, recordId: string, personId: string) => `${entity}|${recordId}|${personId}`;
  const byKey = new Map(existing.map((i) => [key(i.entity, i.record_id, i.person_id), i]));
  const seen = new Set<string>();
  let added = 0;
  let changed = 0;
  let gone = 0;
  for (const f of found) {
    const k = key(f.entity, f.recordId, f.personId);
    if (seen.has(k)) continue;
    seen.add(k);
    const hash = hashRow(f.row);
    const proposal = JSON.stringify(f.proposal);
    const cur = byKey.get(k);
    if (!cur) {
      // The id follows from the item's key: the same item on a cache and on the server's replica, whatever
      // else either finds (ids.ts derivedId).
      insertRecord(w, 'foi_item', {
        id: derivedId('foi_item', r.id, f.entity, f.recordId, f.personId),
        request_id: r.id,
        person_id: f.personId,
        category: f.category,
        entity: f.entity,
        record_id: f.recordId,
        content_hash: hash,
        proposal,
      });
      added++;
    } else if (cur.gone_at !== null || cur.content_hash !== hash || cur.proposal !== proposal) {
      updateRecord(w, 'foi_item', cur.id, { content_hash: hash, proposal, gone_at: null });
      changed++;
    }
  }
  for (const i of existing) {
    if (i.gone_at === null && !seen.has(key(i.entity, i.record_id, i.person_id))) {
      updateRecord(w, 'foi_item', i.id, { gone_at: w.now });
      gone++;
    }
  }
  return { added, changed, gone, total: seen.size, persons: [...new Set(found.map((f) => f.personId))] };
}

// ---------- reading items ----------

/** The columns each record shows in review (shared/domain/foi.ts: the renderer names the same list). */
export const SHOWN: Partial<Record<RecordTable, readonly string[]>> = FOI_ITEM_FIELDS;
const PERSON_COLUMNS: ReadonlySet<string> = new Set(['child_id', 'guardian_id', 'recipient_id']);

/** Items of a request for one reader, with their records' values as that reader may see them. */
export class ItemReader {
  private readonly names = new Map<string, string>();
  private readonly persons = new Map<string, PersonFacts & { given_name: string; family_name: string }>();
  constructor(
    private readonly ctx: CoreContext,
    private readonly scope: PersonScope,
    private readonly actor: Actor,
  ) {}

  private person(id: string) {
    let p = this.persons.get(id);
    if (!p) {
      p = this.ctx.sqlite.prepare('SELECT id, protection, shielded, given_name, family_name FROM person WHERE id = ?').get(id) as (PersonFacts & { given_name: string; family_name: string }) | undefined;
      if (p) this.persons.set(id, p);
    }
    return p;
  }

  private mayReveal(id: string): boolean {
    return this.scope.allows(this.actor, 'protected.reveal', id);
  }

  /** A person as the reader may name them: a protected person's name only with protected.reveal. */
  personRef(id: string): { id: string; name: string | null; protected: boolean } {
    const p = this.person(id);
    if (!p) return { id, name: null, protected: false };
    const prot = p.protection !== 'none';
    return { id, name: prot && !this.mayReveal(id) ? null : `${p.family_name}, ${p.given_name}`, protected: prot };
  }

  private label(table: 'org_unit' | 'school_group', id: string): string {
    const k = `${table}|${id}`;
    let n = this.names.get(k);
    if (n === undefined) {
      n = (this.ctx.sqlite.prepare(`SELECT name FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined) ?? id;
      this.names.set(k, n);
    }
    return n;
  }

  view(i: ListedItem, guarded: boolean): FoiItemView {
    const row = readRecord(this.ctx.sqlite, i.entity, i.record_id);
    const owner = this.person(i.person_id);
    // A protected or shielded person's whereabouts (addresses, contacts, households, their identity in a
    // list) are shown only to a reader who may reveal them.
    const hiddenWhole =
      !!owner &&
      withheldPerson(owner) &&
      !this.mayReveal(i.person_id) &&
      (i.category === 'address' || i.category === 'contact' || i.category === 'household' || (i.category === 'identity' && owner.protection !== 'none') || i.category === 'name' || i.category === 'document');
    const fields = (SHOWN[i.entity] ?? []).map((name) => {
      if (!row) return { name, value: null, withheld: false };
      if (hiddenWhole) return { name, value: null, withheld: true };
      const v = row[name];
      if (v === null || v === undefined) return { name, value: null, withheld: false };
      if (PERSON_COLUMNS.has(name)) {
        const ref = this.personRef(String(v));
        return { name, value: ref.name, withheld: ref.name === null };
      }
      if (name === 'id_canonical') return { name, value: formatIdentityNumber(String(v), { today: this.ctx.clock.today() }), withheld: false };
      if (name === 'unit_id') return { name, value: this.label('org_unit', String(v)), withheld: false };
      if (name === 'group_id') return { name, value: this.label('school_group', String(v)), withheld: false };
      return { name, value: String(v), withheld: false };
    });
    const proposal = JSON.parse(i.proposal) as Proposal;
    const hash = row ? hashRow(row) : null;
    const parts: { fields: Record<string, { outcome: 'mask'; ground: string | null }>; regions: FoiRegion[] } = i.field_review ? JSON.parse(i.field_review) : { fields: {}, regions: [] };
    return {
      id: i.id,
      version: i.version,
      category: i.category,
      entity: i.entity,
      recordId: i.record_id,
      person: this.personRef(i.person_id),
      fields,
      proposal: { outcome: proposal.outcome, ground: proposal.ground },
      review:
        i.outcome === null
          ? null
          : {
              outcome: i.outcome,
              ground: i.ground,
              fields: parts.fields,
              regions: parts.regions,
              reason: i.reason,
              merinnsyn: i.merinnsyn,
              reviewedByName: i.reviewed_by_name,
              reviewedAt: i.reviewed_at ?? '',
              stale: hash !== null && hash !== i.reviewed_hash,
            },
      guarded,
      changed: hash !== null && i.gone_at === null && hash !== i.content_hash,
      gone: i.gone_at !== null || row === null || (row.deleted_at ?? null) !== null,
    };
  }
}

/** Within a person, the register's order of categories (identity first, documents last). */
const CATEGORY_ORDER_SQL = `CASE i.category ${FOI_ITEM_CATEGORIES.map((c, n) => `WHEN '${c}' THEN ${n}`).join(' ')} END`;

/** The day a record is about, to order a category's items by (the earliest first); null last. */
function recordDay(row: Record<string, unknown> | null): string | null {
  if (!row) return null;
  for (const c of ['valid_from', 'document_date', 'applied_on', 'month'] as const) {
    const v = row[c];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** What `itemsPage` can leave out. */
export interface ItemsFilter {
  category?: FoiItemCategory | undefined;
  /** Only the items the review still needs (as the decision's check counts them): not reviewed, or stale (the record changed since reviewed); never gone ones. */
  unreviewed?: boolean | undefined;
  /**
   * The persons the reader cannot name (protected, without protected.reveal): listed after the others in an
   * order that says nothing about them (requests.ts unnamedLast), not in their alphabetical place.
   */
  unnamed?: ((personId: string) => boolean) | undefined;
}

/**
 * A request's items (gone ones last), by person name, category, the day each record is about (earliest
 * first) and record id; a page, with counts by category (the whole list's, whatever the filter).
 */
export function itemsPage(ctx: CoreContext, requestId: string, filter: ItemsFilter, offset: number, limit: number): { rows: ListedItem[]; total: number; counts: Record<string, number> } {
  const all = ctx.sqlite
    .prepare(
      `SELECT i.id, i.version, i.request_id, i.person_id, i.category, i.entity, i.record_id, i.content_hash, i.proposal, i.gone_at,
         i.outcome, i.ground, i.field_review, i.reason, i.merinnsyn, u.display_name AS reviewed_by_name, i.reviewed_at, i.reviewed_hash,
         p.sort_key AS person_key, ${CATEGORY_ORDER_SQL} AS category_order
       FROM foi_item i JOIN person p ON p.id = i.person_id LEFT JOIN user_account u ON u.id = i.reviewed_by WHERE i.request_id = ?`,
    )
    .all(requestId) as (ListedItem & { person_key: string; category_order: number })[];
  // A record removed since the gathering (a correction deletes; a removal marks deleted) is gone at once,
  // before the next gathering marks it.
  const keyed = all.map((i) => {
    const row = i.gone_at === null ? readRecord(ctx.sqlite, i.entity, i.record_id) : null;
    const live = row !== null && (row.deleted_at ?? null) === null;
    if (!live) i.gone_at ??= '';
    // Hashing every record is needed only to tell a stale review: done when the filter asks for it.
    const open = filter.unreviewed ? live && (i.outcome === null || hashRow(row) !== i.reviewed_hash) : live;
    const hidden = filter.unnamed?.(i.person_id) ?? false;
    // An unnamed person's place: after every named one (requests.ts unnamedLast).
    const personKey = hidden ? `\uffff${unnamedKey(requestId, i.person_id)}` : i.person_key;
    return { i, live, open, day: live ? recordDay(row) : null, personKey };
  });
  // The person's sort key is the register's collation key: compared by code unit, as its SQL index does.
  const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  keyed.sort(
    (a, b) =>
      Number(!a.live) - Number(!b.live) ||
      cmp(a.personKey, b.personKey) ||
      cmp(a.i.person_id, b.i.person_id) ||
      a.i.category_order - b.i.category_order ||
      cmp(a.day, b.day) ||
      cmp(a.i.record_id, b.i.record_id),
  );
  const counts: Record<string, number> = {};
  for (const k of keyed) if (k.live) counts[k.i.category] = (counts[k.i.category] ?? 0) + 1;
  const chosen = keyed.filter((k) => (!filter.category || k.i.category === filter.category) && (!filter.unreviewed || k.open)).map((k) => k.i);
  for (const c of chosen) {
    delete (c as Partial<typeof c>).person_key;
    delete (c as Partial<typeof c>).category_order;
  }
  return { rows: chosen.slice(offset, offset + limit), total: chosen.length, counts };
}

/** Checks a request may be gathered for now. */
export function requireGatherable(r: Pick<RequestRow, 'status'>): void {
  if (r.status === 'decided' || r.status === 'closed' || r.status === 'withdrawn') throw ruleViolation('foi_finished', `foi_finished: the request is ${r.status}: reopen it first`, 'requestId');
  if (r.status === 'decision') throw ruleViolation('foi_move', 'foi_move: the request waits for its decision; move it back to review to gather again', 'requestId');
}

