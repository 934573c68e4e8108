/**
 * The secrecy review (issue 13, step 5; docs/foi.md "Review"): the officer's outcome per gathered item and
 * per field (disclose, mask, withhold), each masked or withheld part with its legal ground from the dated,
 * editable grounds table, a reason and who decided. The rules, each by name:
 * - a masked or withheld part names a ground (`foi_ground_required`) that is in the table, in force today and
 *   of the municipality's country or of both (`foi_ground_invalid`);
 * - Norway: masking on a ground that may be waived needs the merinnsyn assessment (offl. § 11,
 *   `foi_merinnsyn_required`);
 * - disclosing a protected or shielded person's whereabouts needs protected.reveal for them and a reason,
 *   logged as a reveal (`foi_reveal_reason`);
 * - a gone item is not reviewed (`foi_item_gone`); the request is in gathering or review (`foi_move`);
 * - the request moves on to its decision only when every item is reviewed on its record as it is now
 *   (`foi_review_incomplete`, requests.ts checks it through `reviewGaps`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PersonScope } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { foiGround, type FoiRegion } from '../../shared/api/foi';
import { DEFAULT_FOI_GROUNDS, type FoiGround, type FoiMerinnsyn, type FoiOutcome } from '../../shared/domain/foi';
import { REVEAL_REASON_MIN } from '../../shared/domain/access';
import { readRecord } from '../sync/records';
import { updateRecord, type Writer } from '../write/records';
import { hashRow, SHOWN, type Proposal } from './gather';
import { countryOf, type RequestRow } from './requests';
import type { RecordTable } from '../write/records';

export const FOI_GROUNDS_KEY = 'foi.grounds';

export function foiGrounds(ctx: CoreContext): { grounds: FoiGround[]; defaults: boolean } {
  const raw = ctx.sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(FOI_GROUNDS_KEY) as string | undefined;
  return raw ? { grounds: z.array(foiGround).parse(JSON.parse(raw)), defaults: false } : { grounds: [...DEFAULT_FOI_GROUNDS], defaults: true };
}

export function groundsVersion(g: { grounds: FoiGround[]; defaults: boolean }): string {
  return createHash('sha256').update(JSON.stringify(g)).digest('hex').slice(0, 32);
}

/** Stores the table (inside the caller's transaction): codes once each, dates in order, no ground a review uses removed. */
export function setFoiGrounds(ctx: CoreContext, grounds: FoiGround[]): void {
  const codes = new Set<string>();
  grounds.forEach((g, n) => {
    if (codes.has(g.code)) throw ruleViolation('foi_ground_twice', `foi_ground_twice: two grounds have the code ${g.code}`, `grounds.${n}.code`);
    codes.add(g.code);
    if (g.validTo !== null && g.validTo < g.validFrom) throw ruleViolation('end_before_start', `end_before_start: the ground ${g.code} ends before it begins`, `grounds.${n}.validTo`);
  });
  for (const used of usedGrounds(ctx)) {
    if (!codes.has(used)) throw ruleViolation('foi_ground_in_use', `foi_ground_in_use: a review names the ground ${used}: give it a last day instead of removing it`, 'grounds', { code: used });
  }
  ctx.sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(FOI_GROUNDS_KEY, JSON.stringify(grounds));
}

/** Every ground code a review names (item grounds and field grounds). */
function usedGrounds(ctx: CoreContext): Set<string> {
  const out = new Set<string>();
  for (const r of ctx.sqlite.prepare('SELECT ground, field_review FROM foi_item WHERE outcome IS NOT NULL').all() as { ground: string | null; field_review: string | null }[]) {
    if (r.ground) out.add(r.ground);
    const parts = parseParts(r.field_review);
    for (const f of Object.values(parts.fields)) if (f.ground) out.add(f.ground);
    for (const g of parts.regions) if (g.ground) out.add(g.ground);
  }
  return out;
}

type FieldReview = Record<string, { outcome: 'mask'; ground: string | null }>;
/** What an item's review masks part by part: fields, and (a document) regions of its pages. Stored as JSON. */
export interface PartReview {
  fields: FieldReview;
  regions: FoiRegion[];
}
export const parseParts = (raw: string | null): PartReview => (raw ? (JSON.parse(raw) as PartReview) : { fields: {}, regions: [] });

export interface ItemForReview {
  id: string;
  version: number;
  request_id: string;
  person_id: string;
  category: string;
  entity: RecordTable;
  record_id: string;
  content_hash: string;
  proposal: string;
  gone_at: string | null;
}

export interface ReviewInput {
  outcome: FoiOutcome;
  ground: string | null;
  fields: FieldReview;
  regions: FoiRegion[];
  reason: string | null;
  merinnsyn: FoiMerinnsyn | null;
  revealReason?: string;
}

/** Categories that tell where a person lives (or who they are, for a protected person): guarded when theirs. */
const WHEREABOUTS = new Set(['address', 'contact', 'household', 'name', 'document']);

export class Reviewer {
  private readonly country: 'SE' | 'NO';
  private readonly grounds: FoiGround[];
  private readonly today: string;
  constructor(
    private readonly ctx: CoreContext,
    private readonly scope: PersonScope,
    private readonly actor: Actor,
  ) {
    this.country = countryOf(ctx);
    this.grounds = foiGrounds(ctx).grounds;
    this.today = ctx.clock.today();
  }

  /** Whether disclosing this item would show a protected or shielded person's whereabouts (or a protected person on a list). */
  guarded(i: Pick<ItemForReview, 'person_id' | 'category'>): boolean {
    const p = this.ctx.sqlite.prepare('SELECT protection, shielded FROM person WHERE id = ?').get(i.person_id) as { protection: string; shielded: number } | undefined;
    if (!p || (p.protection === 'none' && p.shielded === 0)) return false;
    return WHEREABOUTS.has(i.category) || (i.category === 'identity' && p.protection !== 'none');
  }

  private ground(code: string, field: string): FoiGround {
    const g = this.grounds.find((x) => x.code === code);
    if (!g || (g.country !== null && g.country !== this.country) || g.validFrom > this.today || (g.validTo !== null && g.validTo < this.today)) {
      throw ruleViolation('foi_ground_invalid', `foi_ground_invalid: ${code} is not a ground in force today for this municipality`, field, { code });
    }
    return g;
  }

  /**
   * Checks a review of one item; returns what the audit must say (a reveal and its reason). Throws the
   * named rule otherwise.
   */
  check(item: ItemForReview, input: ReviewInput): { reveal: string | null } {
    if (item.gone_at !== null) throw ruleViolation('foi_item_gone', 'foi_item_gone: the record went after it was gathered: gather again', 'id');
    const shown = new Set(SHOWN[item.entity] ?? []);
    const fieldNames = Object.keys(input.fields);
    if (input.outcome !== 'mask' && fieldNames.length) throw new DomainError('validation', 'Fields are masked on their own only when the item is masked', 'fields');
    if (input.regions.length && (input.outcome !== 'mask' || item.entity !== 'person_document')) {
      throw new DomainError('validation', 'Regions are masked only on a document, when it is masked', 'regions');
    }
    if (input.regions.length) {
      const pages = Number(this.ctx.sqlite.prepare('SELECT pages FROM person_document WHERE id = ?').pluck().get(item.record_id) ?? 0);
      input.regions.forEach((g, n) => {
        if (g.page > pages) throw ruleViolation('foi_region_page', `foi_region_page: the document has ${pages} page(s)`, `regions.${n}.page`, { pages });
      });
    }
    const partial = fieldNames.length > 0 || input.regions.length > 0;
    for (const f of fieldNames) if (!shown.has(f)) throw new DomainError('validation', `The record shows no field ${f}`, `fields.${f}`);
    const used: FoiGround[] = [];
    if (input.outcome === 'withhold' || (input.outcome === 'mask' && !partial)) {
      if (!input.ground) throw ruleViolation('foi_ground_required', 'foi_ground_required: a masked or withheld part names its legal ground', 'ground');
      used.push(this.ground(input.ground, 'ground'));
    } else if (input.outcome === 'mask') {
      // The item's ground is checked, and counts (for merinnsyn too) only where a part has none of its own.
      if (input.ground) this.ground(input.ground, 'ground');
      for (const f of fieldNames) {
        const code = input.fields[f]!.ground ?? input.ground;
        if (!code) throw ruleViolation('foi_ground_required', `foi_ground_required: the masked field ${f} names its legal ground (its own or the item's)`, `fields.${f}.ground`);
        used.push(this.ground(code, `fields.${f}.ground`));
      }
      input.regions.forEach((g, n) => {
        const code = g.ground ?? input.ground;
        if (!code) throw ruleViolation('foi_ground_required', `foi_ground_required: a masked region names its legal ground (its own or the item's)`, `regions.${n}.ground`);
        used.push(this.ground(code, `regions.${n}.ground`));
      });
    } else if (input.ground) {
      throw new DomainError('validation', 'A disclosed item names no ground', 'ground');
    }
    // Norway's merinnsyn (offl. § 11): assessed wherever the exemption could be waived.
    if (this.country === 'SE' && input.merinnsyn) throw new DomainError('validation', 'The merinnsyn assessment is Norwegian law (offentleglova § 11)', 'merinnsyn');
    if (this.country === 'NO' && input.outcome !== 'disclose' && used.some((g) => g.optional) && input.merinnsyn !== 'assessed_withheld') {
      throw ruleViolation('foi_merinnsyn_required', 'foi_merinnsyn_required: the exemption may be waived: record the merinnsyn assessment (offentleglova § 11)', 'merinnsyn');
    }
    // A protected person's whereabouts disclosed (wholly, or a field left unmasked): the reveal's rules.
    const disclosesSome = input.outcome === 'disclose' || (input.outcome === 'mask' && partial && (input.regions.length > 0 || fieldNames.length < shown.size));
    if (disclosesSome && this.guarded(item)) {
      if (!this.scope.allows(this.actor, 'protected.reveal', item.person_id)) {
        throw new DomainError('forbidden', 'Disclosing a protected person\'s whereabouts needs protected.reveal for them', 'outcome');
      }
      const why = input.revealReason?.trim() ?? '';
      if (why.length < REVEAL_REASON_MIN) throw ruleViolation('foi_reveal_reason', 'foi_reveal_reason: state why the protected details may be disclosed (it is logged)', 'revealReason');
      return { reveal: why };
    }
    return { reveal: null };
  }

  /** Writes the review (after `check`). */
  write(w: Writer, item: ItemForReview, input: ReviewInput): { id: string; version: number } {
    const row = readRecord(this.ctx.sqlite, item.entity, item.record_id);
    const r = updateRecord(
      w,
      'foi_item',
      item.id,
      {
        outcome: input.outcome,
        ground: input.ground,
        field_review: Object.keys(input.fields).length || input.regions.length ? JSON.stringify({ fields: input.fields, regions: input.regions } satisfies PartReview) : null,
        reason: input.reason,
        merinnsyn: input.merinnsyn,
        reviewed_by: this.actor.id,
        reviewed_at: w.now,
        reviewed_hash: row ? hashRow(row) : item.content_hash,
      },
      { expectVersion: item.version },
    );
    return { id: r.id, version: r.version };
  }

  /** The proposal as a review input, or why it cannot be taken as it is. */
  fromProposal(item: ItemForReview): ReviewInput | 'ground' | 'reveal' | 'merinnsyn' {
    const p = JSON.parse(item.proposal) as Proposal;
    const input: ReviewInput = { outcome: p.outcome, ground: p.ground, fields: {}, regions: [], reason: null, merinnsyn: null };
    try {
      this.check(item, input);
      return input;
    } catch (e) {
      if (e instanceof DomainError) {
        if (e.rule === 'foi_ground_required' || e.rule === 'foi_ground_invalid') return 'ground';
        if (e.rule === 'foi_merinnsyn_required') return 'merinnsyn';
        if (e.code === 'forbidden' || e.rule === 'foi_reveal_reason') return 'reveal';
      }
      throw e;
    }
  }
}

/** What stands between a request and its decision: items not reviewed, and reviews whose record changed since. */
export function reviewGaps(ctx: CoreContext, requestId: string): { unreviewed: number; stale: number } {
  let unreviewed = 0;
  let stale = 0;
  for (const i of ctx.sqlite.prepare('SELECT entity, record_id, outcome, reviewed_hash FROM foi_item WHERE request_id = ? AND gone_at IS NULL').all(requestId) as {
    entity: RecordTable;
    record_id: string;
    outcome: string | null;
    reviewed_hash: string | null;
  }[]) {
    if (i.outcome === null) {
      unreviewed++;
      continue;
    }
    const row = readRecord(ctx.sqlite, i.entity, i.record_id);
    if (row && hashRow(row) !== i.reviewed_hash) stale++;
  }
  return { unreviewed, stale };
}

export function requireReviewable(r: Pick<RequestRow, 'status'>): void {
  if (r.status !== 'gathering' && r.status !== 'review') throw ruleViolation('foi_move', `foi_move: items are reviewed while the request is gathering or in review (it is ${r.status})`, 'id');
}
