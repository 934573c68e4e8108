/**
 * The secrecy review's pure logic (issue 13, step 5; no JSX): the grounds a municipality may name today, how
 * a gathered item reads in the work list (its fields by name and value, a one-line summary, the person it
 * belongs to, its flags), which items the list shows, the review form's values, checks and call, where the
 * core's refusals land, and what "take the proposals" sends and says afterwards.
 */
import type { MethodInput, MethodOutput } from '../../../../shared/api/contract';
import type { FoiItemView } from '../../../../shared/api/foi';
import type { KansliClient } from '../../../../shared/api/client';
import type { ApiError, CallResult } from '../../../../shared/api/transport';
import { REVEAL_REASON_MIN } from '../../../../shared/domain/access';
import { FOI_ITEM_CATEGORIES, FOI_LIMITS, type FoiGround, type FoiItemCategory, type FoiMerinnsyn, type FoiOutcome } from '../../../../shared/domain/foi';
import { catalogs, type Lang } from '../../../../shared/i18n';
import { historyFieldKey } from '../../../../shared/i18n/history-labels';
import type { FieldErrors, MappedError } from '../../kit/errors';
import type { Country } from '../../lib/domain';
import { formatBasisPoints, formatDate, formatMoney, formatMonth, type Currency } from '../../lib/format';
import type { TFn, TKey } from '../../lib/i18n';
import { gradeLabel } from '../../lib/labels';
import { mapFoiError, type Msg } from './logic';
import { draftsOf, pagesOf, toFoiRegions, type RegionDraft } from './regions';

export type Item = FoiItemView;
export type ItemField = Item['fields'][number];
type Skip = MethodOutput<'foi.reviewAccept'>['skipped'][number];
export type SkipWhy = Skip['why'];

const has = (key: string): key is TKey => Object.prototype.hasOwnProperty.call(catalogs.sv, key);

// ---------------------------------------------------------------------------------------------
// The grounds table
// ---------------------------------------------------------------------------------------------

/** The grounds an officer may name today: the municipality's country's and those of both (GDPR), in force on `today`. */
export function groundsInForce(grounds: readonly FoiGround[], country: Country, today: string): FoiGround[] {
  return grounds.filter((g) => (g.country === null || g.country === country) && g.validFrom <= today && (g.validTo === null || g.validTo >= today));
}

/** "OSL 21:3 – Skyddade personuppgifter (…)": the citation and the title in the UI language. */
export function groundLabel(g: FoiGround, lang: Lang): string {
  return `${g.citation} – ${g.title[lang]}`;
}

/**
 * A ground select's options: first the empty choice (the item's ground, or "choose"), then the grounds in
 * force. A ground chosen earlier that is no longer in force stays offered (the core then names it), never
 * silently dropped.
 */
export function groundOptions(inForce: readonly FoiGround[], all: readonly FoiGround[], chosen: string, empty: string, lang: Lang): { value: string; label: string }[] {
  const options = inForce.map((g) => ({ value: g.code, label: groundLabel(g, lang) }));
  if (chosen && !inForce.some((g) => g.code === chosen)) {
    const g = all.find((x) => x.code === chosen);
    options.unshift({ value: chosen, label: g ? groundLabel(g, lang) : chosen });
  }
  return [{ value: '', label: empty }, ...options];
}

/** A ground's citation as the list shows it (a code the table no longer has: the code). */
export function citationOf(code: string | null, grounds: readonly FoiGround[]): string | null {
  if (!code) return null;
  return grounds.find((g) => g.code === code)?.citation ?? code;
}

// ---------------------------------------------------------------------------------------------
// An item's fields
// ---------------------------------------------------------------------------------------------

/** The record's columns that name a person (a protected one's name is null and withheld). */
const PERSON_FIELDS: ReadonlySet<string> = new Set(['child_id', 'guardian_id', 'recipient_id']);
const DATE_FIELDS: ReadonlySet<string> = new Set(['valid_from', 'valid_to', 'birth_date', 'applied_on', 'wished_start', 'notice_given_on', 'document_date']);
/** "kind" means something else in each record. */
const KIND_LABEL: Readonly<Record<string, TKey>> = {
  person_address: 'foi.field.kind.person_address',
  person_contact: 'foi.field.kind.person_contact',
  fee_line: 'foi.field.kind.fee_line',
  person_document: 'foi.field.kind.person_document',
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A field's label: the record's own word for "kind", the history's label where it has one, else the review's. */
export function fieldLabelKey(entity: string, name: string): TKey | null {
  if (name === 'kind' && KIND_LABEL[entity]) return KIND_LABEL[entity];
  if (name === 'id_canonical') return 'foi.field.id_canonical';
  const history = historyFieldKey(camel(name));
  if (history) return history;
  const own = `foi.field.${name}`;
  return has(own) ? own : null;
}

export function fieldLabel(entity: string, name: string, t: TFn): string {
  const key = fieldLabelKey(entity, name);
  return key ? t(key) : name;
}

export interface ValueContext {
  t: TFn;
  lang: Lang;
  currency: Currency;
}

/** The words for a code value, when the catalogs have them (else the value as stored). */
function coded(prefix: string, value: string, t: TFn): string {
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : value;
}

/**
 * A field's value as the officer reads it: dates, money and shares in the reader's locale, codes in words;
 * a withheld value as the register says it (a protected person: "Skyddad person"; anything else: "Skyddad
 * uppgift"). An empty value is ''.
 */
export function fieldValueText(item: Pick<Item, 'entity' | 'fields'>, f: ItemField, ctx: ValueContext): string {
  const { t, lang } = ctx;
  if (f.value === null) return f.withheld ? t(PERSON_FIELDS.has(f.name) ? 'foi.protectedPerson' : 'foi.value.withheld') : '';
  const v = f.value;
  if (DATE_FIELDS.has(f.name)) return formatDate(v, lang);
  switch (f.name) {
    case 'sex':
      return coded('sex', v, t);
    case 'status':
      return item.entity === 'application' ? coded('care.applicationStatus', v, t) : coded('status', v, t);
    case 'state':
      return coded('care.placementStatus', v, t);
    case 'kind': {
      const prefix = { person_address: 'addressKind', person_contact: 'contactKind', guardianship: 'guardianship', fee_line: 'fees.lineKind', person_document: 'documents.kind' }[item.entity];
      return prefix ? coded(prefix, v, t) : v;
    }
    case 'school_form':
      return coded('schoolForm', v, t);
    case 'grade': {
      const form = item.fields.find((x) => x.name === 'school_form')?.value ?? null;
      const n = Number(v);
      return Number.isInteger(n) ? gradeLabel(form, n, t) : v;
    }
    case 'lives_with':
    case 'shared':
      return t(v === '1' || v === 'true' ? 'care.yes' : 'care.no');
    case 'invoice_share':
      return `${v} %`;
    case 'share_bp':
      return Number.isFinite(Number(v)) ? formatBasisPoints(Number(v), lang) : v;
    case 'amount':
    case 'monthly_income':
      return Number.isFinite(Number(v)) ? formatMoney(Number(v), lang, ctx.currency) : v;
    case 'month':
      return formatMonth(v, lang);
    case 'source':
      return coded('fees.income.source', v, t);
    case 'classification':
      return coded('documents.classification', v, t);
    case 'role':
      return coded('care.household.role', v, t);
    case 'country':
      return coded('country', v, t);
    default:
      return v;
  }
}

/** Every field of an item is withheld (a protected person's whereabouts): the list says so once. */
export const allWithheld = (item: Pick<Item, 'fields'>): boolean => item.fields.length > 0 && item.fields.every((f) => f.value === null && f.withheld);

/** The fields each category's summary shows, in order ("street, postal code city" for an address). */
const SUMMARY: Readonly<Record<FoiItemCategory, readonly (string | readonly string[])[]>> = {
  identity: [['given_name', 'family_name'], 'id_canonical', 'birth_date'],
  name: [['given_name', 'middle_name', 'family_name']],
  address: ['care_of', 'street', ['postal_code', 'city']],
  contact: ['kind', 'value'],
  guardianship: ['guardian_id', 'child_id', 'kind'],
  household: ['role', 'shared'],
  placement: ['unit_id', 'group_id', 'school_form'],
  enrolment: ['unit_id', 'group_id', 'grade'],
  application: ['school_form', 'applied_on', 'status'],
  membership: ['group_id'],
  fee_line: ['month', 'kind', 'amount'],
  income: ['monthly_income', 'source'],
  document: ['title', 'document_date', 'classification'],
};
const PERIOD: ReadonlySet<FoiItemCategory> = new Set(['name', 'address', 'contact', 'guardianship', 'household', 'placement', 'enrolment', 'membership', 'income']);

/**
 * An item in one line: its category's telling fields ("Storgatan 1, 123 45 Exempelstad"), then its period
 * ("från 2025-08-18"); a protected person's whereabouts as the register says it.
 */
export function itemSummary(item: Pick<Item, 'category' | 'entity' | 'fields'> & { person?: Item['person'] }, ctx: ValueContext): string {
  const person = item.person;
  if (allWithheld(item)) return ctx.t('foi.value.withheld');
  const byName = new Map(item.fields.map((f) => [f.name, f]));
  const text = (name: string) => {
    const f = byName.get(name);
    return f ? fieldValueText(item, f, ctx) : '';
  };
  const parts: string[] = [];
  // A guardianship names the other party: the child on a guardian's item, else the guardian.
  const skip = item.category === 'guardianship' && person?.name != null ? (byName.get('guardian_id')?.value === person.name ? 'guardian_id' : 'child_id') : item.category === 'guardianship' ? 'child_id' : null;
  for (const part of SUMMARY[item.category]) {
    if (part === skip) continue;
    const s = typeof part === 'string' ? text(part) : part.map(text).filter(Boolean).join(' ');
    if (s) parts.push(s);
  }
  if (PERIOD.has(item.category)) {
    const from = byName.get('valid_from')?.value ?? null;
    const to = byName.get('valid_to')?.value ?? null;
    // A date in a line never breaks at its hyphens (2026-\n11-23).
    const day = (iso: string) => formatDate(iso, ctx.lang).replace(/-/g, '\u2011');
    if (from && to) parts.push(ctx.t('foi.period.range', { from: day(from), to: day(to) }));
    else if (from) parts.push(ctx.t('foi.period.from', { date: day(from) }));
    else if (to) parts.push(ctx.t('foi.period.to', { date: day(to) }));
  }
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// The work list
// ---------------------------------------------------------------------------------------------

/** An item still needs the officer: not reviewed, or changed since (and not gone). */
export const needsReview = (i: Pick<Item, 'gone' | 'review'>): boolean => !i.gone && (i.review === null || i.review.stale);

export type ItemFlag = 'changed' | 'stale' | 'gone';
export function itemFlags(i: Pick<Item, 'changed' | 'gone' | 'review'>): ItemFlag[] {
  if (i.gone) return ['gone'];
  const out: ItemFlag[] = [];
  if (i.changed) out.push('changed');
  if (i.review?.stale) out.push('stale');
  return out;
}

export interface ListFilter {
  category: FoiItemCategory | 'all';
  unreviewedOnly: boolean;
}

export function filterItems(items: readonly Item[], f: ListFilter): Item[] {
  return items.filter((i) => (f.category === 'all' || i.category === f.category) && (!f.unreviewedOnly || needsReview(i)));
}

/** The ids of the rows that begin a person's group (the list is in the core's order: by person, then category). */
export function personStarts(rows: readonly Pick<Item, 'id' | 'person'>[]): Set<string> {
  const out = new Set<string>();
  let last: string | null = null;
  for (const r of rows) {
    if (r.person.id !== last) out.add(r.id);
    last = r.person.id;
  }
  return out;
}

/** The categories the filter offers, in the register's order: those with items, and the one chosen. */
export function categoryOptions(counts: Readonly<Record<string, number>>, chosen: FoiItemCategory | 'all'): { category: FoiItemCategory; count: number }[] {
  return FOI_ITEM_CATEGORIES.filter((c) => (counts[c] ?? 0) > 0 || c === chosen).map((c) => ({ category: c, count: counts[c] ?? 0 }));
}

/** The page of a filtered list (offset clamped to the last page). */
export function pageOf<T>(rows: readonly T[], offset: number, size: number): { rows: T[]; offset: number } {
  const last = rows.length === 0 ? 0 : Math.floor((rows.length - 1) / size) * size;
  const at = Math.max(0, Math.min(offset, last));
  return { rows: rows.slice(at, at + size), offset: at };
}

// ---------------------------------------------------------------------------------------------
// The review form
// ---------------------------------------------------------------------------------------------

export interface FieldMask {
  on: boolean;
  /** The field's own ground ('' = the item's). */
  ground: string;
}

export interface ReviewValues {
  outcome: FoiOutcome;
  ground: string;
  fields: Record<string, FieldMask>;
  /** A document's masked regions (sent only when masking), each with its own ground ('' = the item's). */
  regions: RegionDraft[];
  reason: string;
  merinnsyn: FoiMerinnsyn | '';
  revealReason: string;
}

/** The form as the item stands: its review, or (not reviewed yet) its proposal. */
export function reviewValuesOf(item: Pick<Item, 'fields' | 'proposal' | 'review'>): ReviewValues {
  const r = item.review;
  const fields: Record<string, FieldMask> = {};
  for (const f of item.fields) {
    const own = r?.fields[f.name];
    fields[f.name] = { on: own !== undefined, ground: own?.ground ?? '' };
  }
  return {
    outcome: r?.outcome ?? item.proposal.outcome,
    ground: (r ? r.ground : item.proposal.ground) ?? '',
    fields,
    regions: draftsOf(r?.regions ?? []),
    reason: r?.reason ?? '',
    merinnsyn: r?.merinnsyn ?? '',
    revealReason: '',
  };
}

/** How many fields a review masks on their own. */
export const maskedFieldCount = (review: Pick<NonNullable<Item['review']>, 'fields'>): number => Object.keys(review.fields).length;

/** How many regions of a document a review masks. */
export const maskedRegionCount = (review: Pick<NonNullable<Item['review']>, 'regions'>): number => review.regions.length;

/** The fields masked on their own (mask only). */
export const maskedFields = (v: Pick<ReviewValues, 'outcome' | 'fields'>): string[] => (v.outcome === 'mask' ? Object.keys(v.fields).filter((k) => v.fields[k]!.on) : []);

/** The regions masked (mask only: kept in the form while another outcome is chosen, never sent with it). */
export const maskedRegions = (v: Pick<ReviewValues, 'outcome' | 'regions'>): RegionDraft[] => (v.outcome === 'mask' ? v.regions : []);

/** The form's names for a region (its row: the page, the box) and for its own ground; the core's paths are the same. */
export const regionName = (n: number): string => `regions.${n}`;
export const regionGroundName = (n: number): string => `regions.${n}.ground`;

/** The ground codes the review names (the item's where a part uses it or nothing is masked part by part, and the parts' own). */
export function usedGrounds(v: ReviewValues): string[] {
  if (v.outcome === 'disclose') return [];
  const out = new Set<string>();
  const fields = maskedFields(v);
  const regions = maskedRegions(v);
  const partial = fields.length > 0 || regions.length > 0;
  if (v.ground && (v.outcome === 'withhold' || !partial || fields.some((f) => !v.fields[f]!.ground) || regions.some((r) => !r.ground))) out.add(v.ground);
  for (const f of fields) if (v.fields[f]!.ground) out.add(v.fields[f]!.ground);
  for (const r of regions) if (r.ground) out.add(r.ground);
  return [...out];
}

/** Norway, offl. § 11: a part masked or withheld on a ground that may be waived needs the merinnsyn assessment. */
export function needsMerinnsyn(v: ReviewValues, country: Country, grounds: readonly FoiGround[]): boolean {
  if (country !== 'NO' || v.outcome === 'disclose') return false;
  return usedGrounds(v).some((code) => grounds.find((g) => g.code === code)?.optional === true);
}

/**
 * Whether the review would disclose a protected or shielded person's whereabouts: the item is guarded and
 * disclosed, or masked field by field with some field left shown, or a document masked by regions (the rest
 * of its pages is shown) (the core's rule, core/foi/review.ts).
 */
export function needsReveal(item: Pick<Item, 'guarded' | 'fields'>, v: Pick<ReviewValues, 'outcome' | 'fields'> & Partial<Pick<ReviewValues, 'regions'>>): boolean {
  if (!item.guarded) return false;
  if (v.outcome === 'disclose') return true;
  if (v.outcome !== 'mask') return false;
  if ((v.regions ?? []).length > 0) return true;
  const masked = maskedFields(v);
  return masked.length > 0 && masked.length < item.fields.length;
}

/** The name of a masked field's own ground in the form (and the core's path for it). */
export const fieldGroundName = (field: string): string => `fields.${field}.ground`;

export function validateReview(item: Pick<Item, 'guarded' | 'fields'>, v: ReviewValues, country: Country, grounds: readonly FoiGround[]): FieldErrors {
  const e: FieldErrors = {};
  const fields = maskedFields(v);
  const regions = maskedRegions(v);
  if (v.outcome === 'withhold' || (v.outcome === 'mask' && fields.length === 0 && regions.length === 0)) {
    if (!v.ground) e.ground = { key: 'foi.rule.foi_ground_required' };
  } else if (v.outcome === 'mask' && !v.ground) {
    for (const f of fields) if (!v.fields[f]!.ground) e[fieldGroundName(f)] = { key: 'foi.rule.foi_ground_required' };
    regions.forEach((r, n) => {
      if (!r.ground) e[regionGroundName(n)] = { key: 'foi.rule.foi_ground_required' };
    });
  }
  // A region on a page the document does not have (as far as the item tells its pages).
  const pages = pagesOf(item.fields);
  regions.forEach((r, n) => {
    if (pages !== null && r.page > pages) e[regionName(n)] = { key: 'foi.rule.foi_region_page.details', vars: { pages } };
  });
  if (needsMerinnsyn(v, country, grounds)) {
    if (!v.merinnsyn) e.merinnsyn = { key: 'foi.rule.foi_merinnsyn_required' };
    else if (v.merinnsyn === 'assessed_disclosed') e.merinnsyn = { key: 'foi.reviewDialog.merinnsynDisclosed' };
  }
  if (needsReveal(item, v) && v.revealReason.trim().length < REVEAL_REASON_MIN) e.revealReason = { key: 'foi.rule.foi_reveal_reason', vars: { min: REVEAL_REASON_MIN } };
  if (v.revealReason.trim().length > 500) e.revealReason = { key: 'validation.too_long' };
  if (v.reason.trim().length > FOI_LIMITS.reason) e.reason = { key: 'validation.too_long' };
  return e;
}

/** The call: a disclosed item names no ground; fields only when masked; merinnsyn only where it is assessed; the reveal's reason only when it reveals. */
export function toReviewInput(item: Pick<Item, 'id' | 'version' | 'guarded' | 'fields'>, v: ReviewValues, country: Country, grounds: readonly FoiGround[]): MethodInput<'foi.review'> {
  const fields: Record<string, { outcome: 'mask'; ground: string | null }> = {};
  for (const f of maskedFields(v)) fields[f] = { outcome: 'mask', ground: v.fields[f]!.ground || null };
  const reveal = needsReveal(item, v);
  return {
    id: item.id,
    version: item.version,
    outcome: v.outcome,
    ground: v.outcome === 'disclose' ? null : v.ground || null,
    fields,
    regions: toFoiRegions(maskedRegions(v)),
    reason: v.reason.trim() || null,
    merinnsyn: needsMerinnsyn(v, country, grounds) && v.merinnsyn ? v.merinnsyn : null,
    ...(reveal ? { revealReason: v.revealReason.trim() } : {}),
  };
}

const REGION_PATH = /^regions\.(\d+)(?:\.(\w+))?$/;

/**
 * The core's refusal of a review → the form: the ground on the ground (or the masked field's or region's
 * own), the merinnsyn and the reveal on theirs; a region on a page the document does not have, or outside its
 * page, on that region; a gone item, a request not in review at the top; the refusal to disclose protected
 * whereabouts (no protected.reveal) in the review's own words. `regions`: how many regions were sent.
 */
export function mapReviewError(e: ApiError, item: Pick<Item, 'guarded' | 'fields'>, regions = 0): MappedError {
  if (e.code === 'forbidden' && item.guarded) return { fields: {}, top: [{ key: 'foi.reviewDialog.revealForbidden' }] };
  const regionPaths = Array.from({ length: regions }, (_, n) => [regionName(n), regionGroundName(n)]).flat();
  const shown = ['outcome', 'ground', 'reason', 'merinnsyn', 'revealReason', 'regions', ...item.fields.map((f) => fieldGroundName(f.name)), ...regionPaths];
  // "regions.2.page" (the rule names the page): the region's row says it.
  const m = e.code === 'rule_violation' && e.field ? REGION_PATH.exec(e.field) : null;
  if (m && m[2] !== 'ground') return mapFoiError({ ...e, field: Number(m[1]) < regions ? regionName(Number(m[1])) : 'regions' }, shown);
  if (e.code !== 'validation' || !e.issues?.some((i) => REGION_PATH.test(i.field))) return mapFoiError(e, shown);
  // The schema's refusals of a region (outside the page, a size of nothing) in the regions' own words.
  const fields: FieldErrors = {};
  const top: MappedError['top'] = [];
  for (const i of e.issues) {
    const r = REGION_PATH.exec(i.field);
    if (!r) continue;
    const n = Number(r[1]);
    const path = n >= regions ? 'regions' : r[2] === 'ground' ? regionGroundName(n) : regionName(n);
    fields[path] ??= r[2] === 'ground' ? { key: 'validation.invalid' } : i.code === 'region_outside_page' ? { key: 'foi.regions.outside' } : { key: 'foi.regions.invalid' };
  }
  const rest = e.issues.filter((i) => !REGION_PATH.test(i.field));
  if (rest.length) {
    const other = mapFoiError({ ...e, field: rest[0]!.field || undefined, issues: rest }, shown);
    for (const [k, v] of Object.entries(other.fields)) fields[k] ??= v;
    top.push(...other.top);
  }
  return { fields, top };
}

// ---------------------------------------------------------------------------------------------
// Reading the items, taking the proposals, gathering
// ---------------------------------------------------------------------------------------------

/** foi.items gives at most this many a call. */
const FETCH_LIMIT = 500;

export interface ItemsData {
  items: Item[];
  counts: Record<string, number>;
  total: number;
}

/** Every item of a request, page after page (the work list filters and counts them; "take the proposals" sends them). */
export async function fetchAllItems(api: Pick<KansliClient, 'tryCall'>, requestId: string): Promise<CallResult<ItemsData>> {
  const items: Item[] = [];
  for (;;) {
    const r = await api.tryCall('foi.items', { requestId, offset: items.length, limit: FETCH_LIMIT });
    if (!r.ok) return r;
    items.push(...r.data.items);
    if (r.data.items.length === 0 || items.length >= r.data.total) return { ok: true, data: { items, counts: r.data.counts, total: r.data.total } };
  }
}

/** "Take the proposals" for every item not reviewed yet, in calls of at most ACCEPT_CHUNK items; the answers summed. */
export async function acceptAll(api: Pick<KansliClient, 'tryCall'>, requestId: string): Promise<CallResult<MethodOutput<'foi.reviewAccept'>>> {
  const all = await fetchAllItems(api, requestId);
  if (!all.ok) return all;
  let accepted = 0;
  const skipped: Skip[] = [];
  for (const items of chunks(acceptCandidates(all.data.items))) {
    const r = await api.tryCall('foi.reviewAccept', { requestId, items });
    if (!r.ok) return r;
    accepted += r.data.accepted;
    skipped.push(...r.data.skipped);
  }
  return { ok: true, data: { accepted, skipped } };
}

// ---------------------------------------------------------------------------------------------
// Taking the proposals, gathering
// ---------------------------------------------------------------------------------------------

/** What "take the proposals" sends: every item not reviewed yet (and not gone), with the version read. */
export function acceptCandidates(items: readonly Pick<Item, 'id' | 'version' | 'gone' | 'review'>[]): { id: string; version: number }[] {
  return items.filter((i) => !i.gone && i.review === null).map((i) => ({ id: i.id, version: i.version }));
}

/** The core takes at most this many items a call. */
export const ACCEPT_CHUNK = 2000;
export function chunks<T>(xs: readonly T[], size = ACCEPT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const SKIP_ORDER: readonly SkipWhy[] = ['reveal', 'ground', 'merinnsyn', 'conflict', 'gone', 'reviewed'];

/** The answer in words: how many were taken, and the skipped ones counted by why (the most pressing first). */
export function acceptNotice(r: MethodOutput<'foi.reviewAccept'>): { msg: Msg; lines: Msg[] } {
  const byWhy = new Map<SkipWhy, number>();
  for (const s of r.skipped) byWhy.set(s.why, (byWhy.get(s.why) ?? 0) + 1);
  const lines: Msg[] = SKIP_ORDER.filter((w) => byWhy.has(w)).map((w) => ({ key: `foi.accept.why.${w}`, vars: { count: byWhy.get(w)! } }));
  if (r.skipped.length === 0) return { msg: { key: 'foi.accept.done', vars: { count: r.accepted } }, lines };
  return { msg: { key: 'foi.accept.doneSkipped', vars: { count: r.accepted, skipped: r.skipped.length } }, lines };
}

export function gatherNotice(r: MethodOutput<'foi.gather'>): Msg {
  return { key: 'foi.gather.done', vars: { added: r.added, changed: r.changed, gone: r.gone, total: r.total } };
}

/** Gathering is open until the decision (the core refuses a request waiting for it, or finished). */
export const canGather = (status: string): boolean => status === 'registered' || status === 'gathering' || status === 'review';
/** Items are reviewed while the request is gathering or in review. */
export const canReview = (status: string): boolean => status === 'gathering' || status === 'review';
/** The extract is made from the review: in review, waiting for the decision, or decided. */
export const canExtract = (status: string): boolean => status === 'review' || status === 'decision' || status === 'decided';
