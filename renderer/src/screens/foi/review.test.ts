/**
 * The secrecy review's pure parts: the grounds in force by country and date, an item's fields and summary
 * in words (a protected person's values as the register says it), the work list's grouping, filter and
 * pages, the review form's checks (the ground, a masked field's own ground, Norway's merinnsyn, the reveal's
 * reason) and the call it makes, where the core's refusals land, and "take the proposals" (what it sends,
 * in how many calls, and what it says afterwards). Texts come from the real catalogs (catalogText), so an id
 * that is missing fails here.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError, CallResult } from '../../../../shared/api/transport';
import { DEFAULT_FOI_GROUNDS, FOI_ITEM_CATEGORIES, FOI_ITEM_FIELDS, FOI_MERINNSYN, FOI_OUTCOMES, type FoiGround } from '../../../../shared/domain/foi';
import { catalogs, LANGUAGES } from '../../../../shared/i18n';
import { catalogText } from '../../lib/catalog-text';
import { foiErrorMsg } from './logic';
import type { RegionDraft } from './regions';
import {
  ACCEPT_CHUNK,
  acceptAll,
  acceptCandidates,
  acceptNotice,
  allWithheld,
  canExtract,
  canGather,
  canReview,
  categoryOptions,
  chunks,
  citationOf,
  fetchAllItems,
  fieldLabel,
  fieldLabelKey,
  fieldValueText,
  filterItems,
  groundOptions,
  gatherNotice,
  groundLabel,
  groundsInForce,
  itemFlags,
  itemSummary,
  maskedRegionCount,
  mapReviewError,
  needsMerinnsyn,
  needsReview,
  needsReveal,
  pageOf,
  personStarts,
  reviewValuesOf,
  toReviewInput,
  usedGrounds,
  validateReview,
  type Item,
  type ReviewValues,
} from './review';

const TODAY = '2026-11-23';
const sv = catalogText('sv');
const ctx = { t: sv, lang: 'sv' as const, currency: 'SEK' as const };
const CHILD = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
let n = 0;

function item(patch: Partial<Item> & Pick<Item, 'category' | 'entity'>): Item {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    version: 1,
    recordId: `r${n}`,
    person: { id: CHILD, name: 'Andersson, Lisa', protected: false },
    fields: [],
    proposal: { outcome: 'disclose', ground: null },
    review: null,
    guarded: false,
    changed: false,
    gone: false,
    ...patch,
  };
}
const field = (name: string, value: string | null, withheld = false) => ({ name, value, withheld });
const address = (patch: Partial<Item> = {}) =>
  item({
    category: 'address',
    entity: 'person_address',
    fields: [field('kind', 'registered'), field('care_of', null), field('street', 'Storgatan 1'), field('postal_code', '123 45'), field('city', 'Exempelstad'), field('country', null), field('valid_from', '2025-08-18'), field('valid_to', null)],
    ...patch,
  });
const protectedAddress = () =>
  address({
    person: { id: OTHER, name: null, protected: true },
    fields: ['kind', 'care_of', 'street', 'postal_code', 'city', 'country', 'valid_from', 'valid_to'].map((f) => field(f, null, true)),
    proposal: { outcome: 'mask', ground: 'se_osl_21_3' },
    guarded: true,
  });
const placement = (patch: Partial<Item> = {}) =>
  item({
    category: 'placement',
    entity: 'placement',
    fields: [field('unit_id', 'Solrosenskolan'), field('group_id', null), field('school_form', 'FTH'), field('weekly_hours', '15'), field('state', 'accepted'), field('valid_from', '2025-08-18'), field('valid_to', null), field('notice_given_on', null)],
    ...patch,
  });
const review = (patch: Partial<NonNullable<Item['review']>> = {}): NonNullable<Item['review']> => ({
  outcome: 'disclose',
  ground: null,
  fields: {},
  regions: [],
  reason: null,
  merinnsyn: null,
  reviewedByName: 'Foi Handläggare',
  reviewedAt: '2026-11-23T10:00:00Z',
  stale: false,
  ...patch,
});
/** A date as a summary writes it: its hyphens never break. */
const d = (iso: string) => iso.replace(/-/g, '\u2011');
const values = (patch: Partial<ReviewValues> = {}): ReviewValues => ({ outcome: 'disclose', ground: '', fields: {}, regions: [], reason: '', merinnsyn: '', revealReason: '', ...patch });
const rule = (r: string, field?: string, details?: Record<string, number>): ApiError => ({ code: 'rule_violation', message: r, rule: r, ...(field ? { field } : {}), ...(details ? { details } : {}) }) as ApiError;

const SHOWN = FOI_ITEM_FIELDS;

/** A gathered document (three pages), a protected person's when `guarded`. */
const documentItem = (patch: Partial<Item> = {}) =>
  item({
    category: 'document',
    entity: 'person_document',
    fields: [field('title', 'Utredning'), field('kind', 'investigation'), field('document_date', '2026-10-01'), field('classification', 'confidential'), field('classification_ground', 'OSL 23:2'), field('pages', '3')],
    ...patch,
  });
const region = (id: string, page: number, ground = '', x = 0.1): RegionDraft => ({ id, page, x, y: 0.2, w: 0.3, h: 0.05, ground });
const issue = (field: string, code: string): ApiError => ({ code: 'validation', message: code, field, issues: [{ field, code, message: code }] }) as ApiError;

describe('the grounds table', () => {
  const dated: FoiGround[] = [
    ...DEFAULT_FOI_GROUNDS,
    { code: 'se_future', country: 'SE', citation: 'OSL 99:1', title: { sv: 'Ny', nb: 'Ny', en: 'New' }, optional: false, validFrom: '2027-01-01', validTo: null },
    { code: 'se_ended', country: 'SE', citation: 'SekrL 7:1', title: { sv: 'Gammal', nb: 'Gammel', en: 'Old' }, optional: false, validFrom: '1981-01-01', validTo: '2009-06-29' },
    { code: 'se_last_day', country: 'SE', citation: 'OSL 1:1', title: { sv: 'Sista dagen', nb: 'Siste dag', en: 'Last day' }, optional: false, validFrom: '2009-06-30', validTo: TODAY },
  ];

  it('offers the municipality\'s country\'s grounds and those of both, in force today (first and last day included)', () => {
    const se = groundsInForce(dated, 'SE', TODAY).map((g) => g.code);
    expect(se).toEqual(['se_osl_21_3', 'se_osl_21_1', 'se_osl_23_1', 'se_osl_23_2', 'se_osl_25_1', 'se_osl_26_1', 'gdpr_15_4', 'se_last_day']);
    expect(groundsInForce(dated, 'SE', '2026-11-24').map((g) => g.code)).not.toContain('se_last_day');
    expect(groundsInForce(dated, 'SE', '2027-01-01').map((g) => g.code)).toContain('se_future');
    expect(groundsInForce(dated, 'NO', TODAY).map((g) => g.code)).toEqual(['no_offl_13_fvl_13', 'no_offl_14', 'gdpr_15_4']);
  });

  it('names a ground by its citation and its title in the UI language; a code no longer in the table by itself', () => {
    const g = DEFAULT_FOI_GROUNDS.find((x) => x.code === 'se_osl_21_3')!;
    expect(groundLabel(g, 'sv')).toBe('OSL 21:3 – Skyddade personuppgifter (bostadsadress och jämförbara uppgifter)');
    expect(groundLabel(g, 'en')).toBe('OSL 21:3 – Protected personal details (home address and the like)');
    expect(citationOf('no_offl_14', DEFAULT_FOI_GROUNDS)).toBe('offl. § 14');
    expect(citationOf('gone_code', DEFAULT_FOI_GROUNDS)).toBe('gone_code');
    expect(citationOf(null, DEFAULT_FOI_GROUNDS)).toBeNull();
  });
});

describe('an item in words', () => {
  it('labels every field the core shows, in every language: "kind" by its record, the history\'s labels where they exist', () => {
    for (const [entity, fields] of Object.entries(SHOWN)) {
      for (const f of fields) {
        const key = fieldLabelKey(entity, f);
        expect(key, `${entity}.${f}`).not.toBeNull();
        for (const l of LANGUAGES) expect((catalogs[l] as Record<string, string>)[key!], `${l} ${key}`).toBeTruthy();
      }
    }
    expect(fieldLabel('person_address', 'kind', sv)).toBe('Adresstyp');
    expect(fieldLabel('guardianship', 'kind', sv)).toBe('Typ av ansvar');
    expect(fieldLabel('placement', 'valid_from', sv)).toBe('Från och med');
    expect(fieldLabel('person_address', 'street', sv)).toBe('Gatuadress');
    expect(fieldLabel('person', 'id_canonical', catalogText('nb'))).toBe('Identitetsnummer');
    expect(fieldLabel('person', 'something_new', sv)).toBe('something_new');
  });

  it('writes values as the officer reads them: dates, codes in words, money, shares, grades', () => {
    const p = placement();
    const v = (it: Item, name: string, value: string | null) => fieldValueText(it, field(name, value), ctx);
    expect(v(p, 'valid_from', '2025-08-18')).toBe('2025-08-18');
    expect(v(p, 'school_form', 'FTH')).toBe('Fritidshem');
    expect(v(p, 'state', 'accepted')).toBe('Antagen');
    expect(v(address(), 'kind', 'registered')).toBe('Folkbokföringsadress');
    const g = item({ category: 'guardianship', entity: 'guardianship' });
    expect(v(g, 'kind', 'vardnadshavare')).toBe('Vårdnadshavare');
    expect(v(g, 'lives_with', '1')).toBe('Ja');
    expect(v(g, 'invoice_share', '50')).toBe('50 %');
    const enrolment = item({ category: 'enrolment', entity: 'enrolment', fields: [field('school_form', 'GR'), field('grade', '2')] });
    expect(v(enrolment, 'grade', '2')).toBe('Årskurs 2');
    const fee = item({ category: 'fee_line', entity: 'fee_line' });
    expect(v(fee, 'amount', '154700').replace(/\s/g, ' ')).toBe('1 547,00 kr');
    expect(v(fee, 'month', '2026-11')).toBe('november 2026');
    expect(v(fee, 'share_bp', '5000').replace(/\s/g, ' ')).toBe('50 %');
    expect(v(p, 'state', 'some_new_state')).toBe('some_new_state');
    expect(v(p, 'notice_given_on', null)).toBe('');
  });

  it('says a withheld value the register\'s way: a protected person as "Skyddad person", anything else as "Skyddad uppgift"', () => {
    const g = item({ category: 'guardianship', entity: 'guardianship' });
    expect(fieldValueText(g, field('guardian_id', null, true), ctx)).toBe('Skyddad person');
    expect(fieldValueText(g, field('guardian_id', 'Berg, Anna'), ctx)).toBe('Berg, Anna');
    expect(fieldValueText(protectedAddress(), field('street', null, true), ctx)).toBe('Skyddad uppgift');
    expect(fieldValueText(protectedAddress(), field('street', null, true), { ...ctx, t: catalogText('nb'), lang: 'nb' })).toBe('Beskyttet opplysning');
  });

  it('sums an item up in one line: an address as street, postal code and city with its period; a protected one once as protected', () => {
    expect(itemSummary(address(), ctx)).toBe(`Storgatan 1, 123 45 Exempelstad, från ${d('2025-08-18')}`);
    expect(itemSummary(address({ fields: [field('care_of', 'Berg'), field('street', 'Storgatan 1'), field('postal_code', '123 45'), field('city', 'Exempelstad'), field('valid_from', '2020-01-01'), field('valid_to', '2024-12-31')] }), ctx)).toBe(
      `Berg, Storgatan 1, 123 45 Exempelstad, ${d('2020-01-01')} – ${d('2024-12-31')}`,
    );
    expect(allWithheld(protectedAddress())).toBe(true);
    expect(itemSummary(protectedAddress(), ctx)).toBe('Skyddad uppgift');
    const guardianship = item({
      category: 'guardianship',
      entity: 'guardianship',
      fields: [field('child_id', 'Andersson, Lisa'), field('guardian_id', null, true), field('kind', 'vardnadshavare'), field('lives_with', '1'), field('invoice_share', '50'), field('valid_from', '2018-08-14'), field('valid_to', null)],
    });
    expect(allWithheld(guardianship)).toBe(false);
    // The child's item names the guardian; the guardian's the child.
    expect(itemSummary({ ...guardianship, person: { id: CHILD, name: 'Andersson, Lisa', protected: false } }, ctx)).toBe(`Skyddad person, Vårdnadshavare, från ${d('2018-08-14')}`);
    const guardians = { ...guardianship, fields: guardianship.fields.map((f) => (f.name === 'guardian_id' ? field('guardian_id', 'Berg, Anna') : f)) };
    expect(itemSummary({ ...guardians, person: { id: OTHER, name: 'Berg, Anna', protected: false } }, ctx)).toBe(`Andersson, Lisa, Vårdnadshavare, från ${d('2018-08-14')}`);
    expect(itemSummary(placement(), ctx)).toBe(`Solrosenskolan, Fritidshem, från ${d('2025-08-18')}`);
    expect(itemSummary(placement(), { ...ctx, t: catalogText('en'), lang: 'en' })).toBe('Solrosenskolan, School-age educare (fritidshem), from 18/08/2025');
    const contact = item({ category: 'contact', entity: 'person_contact', fields: [field('kind', 'email'), field('value', 'lisa@exempel.invalid'), field('valid_from', null), field('valid_to', null)] });
    expect(itemSummary(contact, ctx)).toBe('E-post, lisa@exempel.invalid');
  });
});

describe('the work list', () => {
  const lisa = { id: CHILD, name: 'Andersson, Lisa', protected: false };
  const anna = { id: OTHER, name: null, protected: true };
  const a = item({ category: 'identity', entity: 'person', person: lisa });
  const b = address({ person: lisa, review: review({ outcome: 'disclose' }) });
  const c = placement({ person: lisa, review: review({ outcome: 'disclose', stale: true }), changed: true });
  const d = item({ category: 'identity', entity: 'person', person: anna, proposal: { outcome: 'withhold', ground: 'se_osl_21_3' } });
  const e = placement({ person: anna, gone: true });
  const list = [a, b, c, d, e];

  it('groups by person: the first row of each person begins a group', () => {
    expect([...personStarts(list)]).toEqual([a.id, d.id]);
    expect([...personStarts([b, c])]).toEqual([b.id]);
  });

  it('knows what still needs the officer: not reviewed, or changed since the review; never a removed record', () => {
    expect(list.map(needsReview)).toEqual([true, false, true, true, false]);
    expect(itemFlags(c)).toEqual(['changed', 'stale']);
    expect(itemFlags(e)).toEqual(['gone']);
    expect(itemFlags(b)).toEqual([]);
  });

  it('filters by category and by "not reviewed only"; offers the categories with items in the register\'s order', () => {
    expect(filterItems(list, { category: 'all', unreviewedOnly: false })).toHaveLength(5);
    expect(filterItems(list, { category: 'placement', unreviewedOnly: false }).map((i) => i.id)).toEqual([c.id, e.id]);
    expect(filterItems(list, { category: 'all', unreviewedOnly: true }).map((i) => i.id)).toEqual([a.id, c.id, d.id]);
    expect(filterItems(list, { category: 'identity', unreviewedOnly: true }).map((i) => i.id)).toEqual([a.id, d.id]);
    expect(categoryOptions({ placement: 2, identity: 2, address: 1 }, 'all')).toEqual([
      { category: 'identity', count: 2 },
      { category: 'address', count: 1 },
      { category: 'placement', count: 2 },
    ]);
    // The category chosen stays offered when its last item went.
    expect(categoryOptions({ identity: 1 }, 'document').map((o) => o.category)).toEqual(['identity', 'document']);
  });

  it('pages a filtered list, keeping the page within it', () => {
    const rows = Array.from({ length: 250 }, (_, i) => i);
    expect(pageOf(rows, 0, 100).rows).toHaveLength(100);
    expect(pageOf(rows, 200, 100)).toEqual({ rows: rows.slice(200), offset: 200 });
    // A filter that shortened the list: back to its last page.
    expect(pageOf(rows.slice(0, 40), 200, 100)).toEqual({ rows: rows.slice(0, 40), offset: 0 });
    expect(pageOf([], 100, 100)).toEqual({ rows: [], offset: 0 });
  });

  it('gathers until the decision, reviews in gathering and review, makes the extract from review on', () => {
    expect(['registered', 'gathering', 'review', 'decision', 'decided', 'closed', 'withdrawn'].map((s) => [canGather(s), canReview(s), canExtract(s)])).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
      [false, false, true],
      [false, false, true],
      [false, false, false],
      [false, false, false],
    ]);
  });
});

describe('the review form', () => {
  const SE = DEFAULT_FOI_GROUNDS;

  it('starts from the review when there is one, else from the proposal', () => {
    const p = protectedAddress();
    expect(reviewValuesOf(p)).toMatchObject({ outcome: 'mask', ground: 'se_osl_21_3', reason: '', merinnsyn: '' });
    expect(reviewValuesOf(p).fields.street).toEqual({ on: false, ground: '' });
    const reviewed = placement({ review: review({ outcome: 'mask', ground: 'se_osl_23_1', fields: { weekly_hours: { outcome: 'mask', ground: null }, state: { outcome: 'mask', ground: 'se_osl_21_1' } }, reason: 'Barnets behov' }) });
    const v = reviewValuesOf(reviewed);
    expect([v.outcome, v.ground, v.reason, v.fields.weekly_hours, v.fields.state, v.fields.unit_id]).toEqual(['mask', 'se_osl_23_1', 'Barnets behov', { on: true, ground: '' }, { on: true, ground: 'se_osl_21_1' }, { on: false, ground: '' }]);
  });

  it('needs a ground to withhold or to mask the whole item; a masked field needs its own ground or the item\'s', () => {
    const p = placement();
    expect(validateReview(p, values({ outcome: 'disclose' }), 'SE', SE)).toEqual({});
    expect(validateReview(p, values({ outcome: 'withhold' }), 'SE', SE)).toEqual({ ground: { key: 'foi.rule.foi_ground_required' } });
    expect(validateReview(p, values({ outcome: 'mask' }), 'SE', SE)).toEqual({ ground: { key: 'foi.rule.foi_ground_required' } });
    const fields = { weekly_hours: { on: true, ground: '' }, state: { on: true, ground: 'se_osl_21_1' }, unit_id: { on: false, ground: '' } };
    expect(validateReview(p, values({ outcome: 'mask', fields }), 'SE', SE)).toEqual({ 'fields.weekly_hours.ground': { key: 'foi.rule.foi_ground_required' } });
    expect(validateReview(p, values({ outcome: 'mask', fields, ground: 'se_osl_23_1' }), 'SE', SE)).toEqual({});
    // Fields marked but the outcome is no longer a mask: they do not count.
    expect(validateReview(p, values({ outcome: 'withhold', fields, ground: 'se_osl_23_1' }), 'SE', SE)).toEqual({});
    expect(validateReview(p, values({ reason: 'x'.repeat(1001) }), 'SE', SE).reason).toEqual({ key: 'validation.too_long' });
  });

  it('asks for the merinnsyn assessment in Norway only, where a ground used may be waived, and refuses "merinnsyn given" with a mask', () => {
    const p = placement();
    const waivable = values({ outcome: 'mask', ground: 'no_offl_14' });
    expect(needsMerinnsyn(waivable, 'NO', SE)).toBe(true);
    expect(needsMerinnsyn(values({ outcome: 'mask', ground: 'no_offl_13_fvl_13' }), 'NO', SE)).toBe(false);
    expect(needsMerinnsyn(waivable, 'SE', SE)).toBe(false);
    expect(needsMerinnsyn(values({ outcome: 'disclose', ground: 'no_offl_14' }), 'NO', SE)).toBe(false);
    // A masked field's own waivable ground counts too; the item's ground counts only where a part uses it.
    const ownGround = values({ outcome: 'mask', ground: 'no_offl_13_fvl_13', fields: { state: { on: true, ground: 'no_offl_14' } } });
    expect(usedGrounds(ownGround)).toEqual(['no_offl_14']);
    expect(needsMerinnsyn(ownGround, 'NO', SE)).toBe(true);
    expect(validateReview(p, waivable, 'NO', SE)).toEqual({ merinnsyn: { key: 'foi.rule.foi_merinnsyn_required' } });
    expect(validateReview(p, { ...waivable, merinnsyn: 'assessed_disclosed' }, 'NO', SE)).toEqual({ merinnsyn: { key: 'foi.reviewDialog.merinnsynDisclosed' } });
    expect(validateReview(p, { ...waivable, merinnsyn: 'assessed_withheld' }, 'NO', SE)).toEqual({});
  });

  it('asks the reason (at least ten characters, logged) where a protected person\'s whereabouts would be disclosed', () => {
    const p = protectedAddress();
    expect(needsReveal(p, values({ outcome: 'disclose' }))).toBe(true);
    expect(needsReveal(p, values({ outcome: 'mask', ground: 'se_osl_21_3' }))).toBe(false);
    expect(needsReveal(p, values({ outcome: 'withhold', ground: 'se_osl_21_3' }))).toBe(false);
    // Masked field by field with a field left shown: it discloses; every field masked: it does not.
    const some = values({ outcome: 'mask', ground: 'se_osl_21_3', fields: { street: { on: true, ground: '' } } });
    expect(needsReveal(p, some)).toBe(true);
    const every = values({ outcome: 'mask', ground: 'se_osl_21_3', fields: Object.fromEntries(p.fields.map((f) => [f.name, { on: true, ground: '' }])) });
    expect(needsReveal(p, every)).toBe(false);
    expect(needsReveal(placement(), values({ outcome: 'disclose' }))).toBe(false);
    expect(validateReview(p, values({ outcome: 'disclose', revealReason: 'för kort' }), 'SE', SE)).toEqual({ revealReason: { key: 'foi.rule.foi_reveal_reason', vars: { min: 10 } } });
    expect(validateReview(p, values({ outcome: 'disclose', revealReason: 'Domstolen begärde uppgiften.' }), 'SE', SE)).toEqual({});
  });

  it('sends a disclosure without a ground, a mask with its fields and their grounds, merinnsyn and the reveal\'s reason only where they apply', () => {
    const p = placement();
    expect(toReviewInput(p, values({ outcome: 'disclose', ground: 'se_osl_23_1', reason: '  ' }), 'SE', SE)).toEqual({
      id: p.id,
      version: 1,
      outcome: 'disclose',
      ground: null,
      fields: {},
      regions: [],
      reason: null,
      merinnsyn: null,
    });
    const fields = { weekly_hours: { on: true, ground: '' }, state: { on: true, ground: 'se_osl_21_1' }, unit_id: { on: false, ground: 'se_osl_26_1' } };
    expect(toReviewInput(p, values({ outcome: 'mask', ground: 'se_osl_23_1', fields, reason: ' Barnets behov ' }), 'SE', SE)).toMatchObject({
      outcome: 'mask',
      ground: 'se_osl_23_1',
      fields: { weekly_hours: { outcome: 'mask', ground: null }, state: { outcome: 'mask', ground: 'se_osl_21_1' } },
      reason: 'Barnets behov',
    });
    expect(toReviewInput(p, values({ outcome: 'withhold', ground: 'se_osl_23_1', fields }), 'SE', SE).fields).toEqual({});
    expect(toReviewInput(p, values({ outcome: 'mask', ground: 'no_offl_14', merinnsyn: 'assessed_withheld' }), 'NO', SE).merinnsyn).toBe('assessed_withheld');
    expect(toReviewInput(p, values({ outcome: 'mask', ground: 'no_offl_13_fvl_13', merinnsyn: 'assessed_withheld' }), 'NO', SE).merinnsyn).toBeNull();
    const reveal = toReviewInput(protectedAddress(), values({ outcome: 'disclose', revealReason: ' Domstolen begärde uppgiften. ' }), 'SE', SE);
    expect(reveal.revealReason).toBe('Domstolen begärde uppgiften.');
    expect('revealReason' in toReviewInput(protectedAddress(), values({ outcome: 'mask', ground: 'se_osl_21_3', revealReason: 'x' }), 'SE', SE)).toBe(false);
  });

  it('puts the core\'s refusals on the field they name: the ground, a masked field\'s own ground, merinnsyn, the reveal', () => {
    const p = protectedAddress();
    expect(mapReviewError(rule('foi_ground_required', 'ground'), p)).toEqual({ fields: { ground: { key: 'foi.rule.foi_ground_required' } }, top: [] });
    expect(mapReviewError(rule('foi_ground_invalid', 'fields.street.ground'), p).fields['fields.street.ground']).toEqual({ key: 'foi.rule.foi_ground_invalid' });
    expect(mapReviewError(rule('foi_merinnsyn_required', 'merinnsyn'), p).fields.merinnsyn).toEqual({ key: 'foi.rule.foi_merinnsyn_required' });
    expect(mapReviewError(rule('foi_reveal_reason', 'revealReason'), p).fields.revealReason).toEqual({ key: 'foi.rule.foi_reveal_reason', vars: { min: 10 } });
    expect(mapReviewError(rule('foi_item_gone', 'id'), p)).toEqual({ fields: {}, top: [{ key: 'foi.rule.foi_item_gone' }] });
    expect(mapReviewError(rule('foi_move', 'id'), p).top).toEqual([{ key: 'foi.rule.foi_move' }]);
    expect(mapReviewError({ code: 'forbidden', message: 'x' } as ApiError, p).top).toEqual([{ key: 'foi.reviewDialog.revealForbidden' }]);
    expect(mapReviewError({ code: 'forbidden', message: 'x' } as ApiError, placement()).top).toEqual([{ key: 'error.forbidden' }]);
  });

  it('says why the decision must wait, with the core\'s counts, in every language', () => {
    const m = foiErrorMsg(rule('foi_review_incomplete', 'to', { unreviewed: 3, stale: 1 }));
    expect(m).toEqual({ key: 'foi.rule.foi_review_incomplete.details', vars: { unreviewed: 3, stale: 1 } });
    expect(sv(m.key, m.vars)).toBe('Prövningen är inte klar: 3 poster är inte prövade och 1 har ändrats sedan de prövades. Pröva dem i listan innan begäran går till beslut.');
    expect(catalogText('en')(m.key, m.vars)).toContain('3 items are not reviewed and 1 changed');
    expect(catalogText('nb')(m.key, m.vars)).toContain('3 poster er ikke vurdert');
    expect(foiErrorMsg(rule('foi_review_incomplete', 'to'))).toEqual({ key: 'foi.rule.foi_review_incomplete' });
  });
});

describe('a document masked by regions', () => {
  const SE = DEFAULT_FOI_GROUNDS;

  it('loads the review\'s regions into the form (the item\'s ground as none of their own) and counts them for the list', () => {
    const d = documentItem({ review: review({ outcome: 'mask', ground: 'se_osl_23_2', regions: [{ page: 2, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: null }, { page: 1, x: 0, y: 0, w: 1, h: 0.1, ground: 'se_osl_21_1' }] }) });
    const v = reviewValuesOf(d);
    expect(v.regions.map((r) => [r.page, r.x, r.y, r.w, r.h, r.ground])).toEqual([
      [2, 0.1, 0.2, 0.3, 0.05, ''],
      [1, 0, 0, 1, 0.1, 'se_osl_21_1'],
    ]);
    expect(reviewValuesOf(documentItem()).regions).toEqual([]);
    expect(maskedRegionCount(d.review!)).toBe(2);
    expect(maskedRegionCount(review())).toBe(0);
  });

  it('a mask with only regions is a mask: each region needs its own ground or the item\'s; none is asked of the whole item', () => {
    const d = documentItem();
    const only = values({ outcome: 'mask', regions: [region('a', 1, 'se_osl_23_2'), region('b', 2)] });
    expect(validateReview(d, only, 'SE', SE)).toEqual({ 'regions.1.ground': { key: 'foi.rule.foi_ground_required' } });
    expect(validateReview(d, { ...only, ground: 'se_osl_23_1' }, 'SE', SE)).toEqual({});
    expect(validateReview(d, { ...only, regions: [region('a', 1, 'se_osl_23_2')] }, 'SE', SE)).toEqual({});
    // No region and no field: the whole item is masked, and needs the item's ground.
    expect(validateReview(d, values({ outcome: 'mask' }), 'SE', SE)).toEqual({ ground: { key: 'foi.rule.foi_ground_required' } });
    // Regions kept in the form while another outcome is chosen do not count.
    expect(validateReview(d, { ...only, outcome: 'withhold' }, 'SE', SE)).toEqual({ ground: { key: 'foi.rule.foi_ground_required' } });
    expect(validateReview(d, { ...only, outcome: 'disclose' }, 'SE', SE)).toEqual({});
  });

  it('a region on a page the document does not have is refused on that region (when the item tells the pages)', () => {
    const d = documentItem();
    const v = values({ outcome: 'mask', ground: 'se_osl_23_1', regions: [region('a', 3), region('b', 4)] });
    expect(validateReview(d, v, 'SE', SE)).toEqual({ 'regions.1': { key: 'foi.rule.foi_region_page.details', vars: { pages: 3 } } });
    expect(sv('foi.rule.foi_region_page.details', { pages: 3 })).toBe('Området ligger på en sida som dokumentet inte har (det har 3 sidor).');
    // The pages withheld (a protected person's document): the core checks it.
    const withheld = documentItem({ fields: [field('title', null, true), field('pages', null, true)] });
    expect(validateReview(withheld, v, 'SE', SE)).toEqual({});
  });

  it('sends the regions only with a mask, as shares on the page, the item\'s ground as null', () => {
    const d = documentItem();
    const v = values({ outcome: 'mask', ground: 'se_osl_23_1', regions: [region('a', 1, 'se_osl_23_2'), region('b', 2)] });
    const input = toReviewInput(d, v, 'SE', SE);
    expect(input.regions).toEqual([
      { page: 1, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: 'se_osl_23_2' },
      { page: 2, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: null },
    ]);
    expect(input.fields).toEqual({});
    expect([input.outcome, input.ground]).toEqual(['mask', 'se_osl_23_1']);
    expect(toReviewInput(d, { ...v, outcome: 'withhold' }, 'SE', SE).regions).toEqual([]);
    expect(toReviewInput(d, { ...v, outcome: 'disclose' }, 'SE', SE).regions).toEqual([]);
  });

  it('counts the regions\' own grounds (Norway\'s merinnsyn) and the item\'s where a region uses it', () => {
    const NO = DEFAULT_FOI_GROUNDS;
    const own = values({ outcome: 'mask', ground: 'no_offl_13_fvl_13', regions: [region('a', 1, 'no_offl_14')] });
    expect(usedGrounds(own)).toEqual(['no_offl_14']);
    expect(needsMerinnsyn(own, 'NO', NO)).toBe(true);
    const items = values({ outcome: 'mask', ground: 'no_offl_13_fvl_13', regions: [region('a', 1, 'no_offl_14'), region('b', 1)] });
    expect(usedGrounds(items)).toEqual(['no_offl_13_fvl_13', 'no_offl_14']);
    expect(usedGrounds({ ...items, outcome: 'withhold' })).toEqual(['no_offl_13_fvl_13']);
  });

  it('a protected person\'s document masked by regions discloses the rest of its pages: the reveal\'s reason is asked', () => {
    const d = documentItem({ guarded: true, person: { id: OTHER, name: null, protected: true } });
    const v = values({ outcome: 'mask', ground: 'se_osl_21_3', regions: [region('a', 1)] });
    expect(needsReveal(d, v)).toBe(true);
    expect(needsReveal(d, { ...v, regions: [] })).toBe(false);
    expect(needsReveal(documentItem(), v)).toBe(false);
    expect(validateReview(d, v, 'SE', SE)).toEqual({ revealReason: { key: 'foi.rule.foi_reveal_reason', vars: { min: 10 } } });
    expect(toReviewInput(d, { ...v, revealReason: ' Domstolen begärde handlingen. ' }, 'SE', SE).revealReason).toBe('Domstolen begärde handlingen.');
  });

  it('puts the core\'s refusals of a region on that region: its page, its box, its ground', () => {
    const d = documentItem();
    // foi_region_page names regions.n.page: the region's row says it, with the document's pages.
    expect(mapReviewError(rule('foi_region_page', 'regions.1.page', { pages: 3 }), d, 2)).toEqual({ fields: { 'regions.1': { key: 'foi.rule.foi_region_page.details', vars: { pages: 3 } } }, top: [] });
    // A region the form no longer has (the list changed): the section says it.
    expect(mapReviewError(rule('foi_region_page', 'regions.4.page', { pages: 3 }), d, 2).fields).toEqual({ regions: { key: 'foi.rule.foi_region_page.details', vars: { pages: 3 } } });
    expect(mapReviewError(rule('foi_ground_required', 'regions.0.ground'), d, 2).fields).toEqual({ 'regions.0.ground': { key: 'foi.rule.foi_ground_required' } });
    expect(mapReviewError(rule('foi_ground_invalid', 'regions.1.ground', { code: 1 }), d, 2).fields['regions.1.ground']).toMatchObject({ key: 'foi.rule.foi_ground_invalid' });
    // The schema's refusals: outside the page, a side of nothing.
    expect(mapReviewError(issue('regions.1', 'region_outside_page'), d, 2)).toEqual({ fields: { 'regions.1': { key: 'foi.regions.outside' } }, top: [] });
    expect(mapReviewError(issue('regions.0.w', 'too_small'), d, 2)).toEqual({ fields: { 'regions.0': { key: 'foi.regions.invalid' } }, top: [] });
    expect(mapReviewError(issue('regions.7', 'region_outside_page'), d, 2).fields).toEqual({ regions: { key: 'foi.regions.outside' } });
    // A region's issue and another field's together: each where it belongs.
    const both = { code: 'validation', message: 'x', field: 'regions.0', issues: [{ field: 'regions.0', code: 'region_outside_page', message: 'x' }, { field: 'reason', code: 'too_long', message: 'x' }] } as ApiError;
    expect(mapReviewError(both, d, 1)).toEqual({ fields: { 'regions.0': { key: 'foi.regions.outside' }, reason: { key: 'validation.too_long' } }, top: [] });
    // Regions on an item that is not a document, or not masked: the section.
    expect(mapReviewError({ code: 'validation', message: 'x', field: 'regions' } as ApiError, d, 1).fields.regions).toBeDefined();
    for (const k of ['foi.regions.outside', 'foi.regions.invalid'] as const) expect(sv(k)).not.toBe('');
  });

  it('offers a ground select\'s choices: the empty one first, the grounds in force, and one chosen earlier that has ended', () => {
    const inForce = SE.filter((g) => g.code === 'se_osl_23_1' || g.code === 'se_osl_23_2');
    const ended = { ...SE.find((g) => g.code === 'se_osl_26_1')!, validTo: '2026-01-01' };
    const options = groundOptions(inForce, [...SE.filter((g) => g.code !== 'se_osl_26_1'), ended], 'se_osl_26_1', 'Postens grund (OSL 23:1)', 'sv');
    expect(options.map((o) => o.value)).toEqual(['', 'se_osl_26_1', 'se_osl_23_1', 'se_osl_23_2']);
    expect(options[0]!.label).toBe('Postens grund (OSL 23:1)');
    expect(options[1]!.label).toMatch(/^OSL 26:1 – /);
    expect(groundOptions(inForce, SE, 'gone_code', '–', 'sv').map((o) => o.label)).toContain('gone_code');
    expect(groundOptions(inForce, SE, '', '–', 'sv')).toHaveLength(3);
  });
});

describe('taking the proposals and gathering', () => {
  it('sends every item not reviewed and not gone, with the version read, in calls of at most 2000', () => {
    const list = [placement(), placement({ review: review() }), placement({ gone: true }), placement({ review: review({ stale: true }) }), address()];
    expect(acceptCandidates(list)).toEqual([
      { id: list[0]!.id, version: 1 },
      { id: list[4]!.id, version: 1 },
    ]);
    expect(chunks(Array.from({ length: 4500 }, (_, i) => i)).map((c) => c.length)).toEqual([2000, 2000, 500]);
    expect(ACCEPT_CHUNK).toBe(2000);
  });

  it('reads every page of the items, then takes the proposals chunk by chunk and sums the answers', async () => {
    const all = Array.from({ length: 1203 }, () => placement());
    all[5] = placement({ review: review() });
    const calls: { method: string; input: Record<string, unknown> }[] = [];
    const api = {
      tryCall: (async (method: string, input: Record<string, unknown>): Promise<CallResult<unknown>> => {
        calls.push({ method, input });
        if (method === 'foi.items') {
          const offset = input.offset as number;
          const limit = input.limit as number;
          return { ok: true, data: { items: all.slice(offset, offset + limit), total: all.length, counts: { placement: all.length } } };
        }
        const items = input.items as { id: string }[];
        return { ok: true, data: { accepted: items.length - 1, skipped: [{ id: items[0]!.id, why: 'reveal' }] } };
      }) as never,
    };
    const read = await fetchAllItems(api, 'req');
    expect(read.ok && read.data.items.length).toBe(1203);
    expect(calls.map((c) => c.input.offset)).toEqual([0, 500, 1000]);
    calls.length = 0;
    const r = await acceptAll(api, 'req');
    expect(r).toEqual({ ok: true, data: { accepted: 1201, skipped: [{ id: all[0]!.id, why: 'reveal' }] } });
    expect(calls.filter((c) => c.method === 'foi.reviewAccept').map((c) => (c.input.items as unknown[]).length)).toEqual([1202]);
  });

  it('stops at the first refusal', async () => {
    const api = { tryCall: (async () => ({ ok: false, error: { code: 'forbidden', message: 'no' } })) as never };
    expect(await acceptAll(api, 'req')).toEqual({ ok: false, error: { code: 'forbidden', message: 'no' } });
  });

  it('says what was taken, and what was skipped counted by why, the most pressing first', () => {
    const ok = acceptNotice({ accepted: 9, skipped: [] });
    expect(sv(ok.msg.key, ok.msg.vars)).toBe('9 förslag godtogs.');
    expect(ok.lines).toEqual([]);
    const some = acceptNotice({
      accepted: 7,
      skipped: [
        { id: 'a', why: 'ground' },
        { id: 'b', why: 'reveal' },
        { id: 'c', why: 'reveal' },
      ],
    });
    expect(sv(some.msg.key, some.msg.vars)).toBe('7 förslag godtogs. 3 poster hoppades över och behöver dig:');
    expect(some.lines.map((m) => sv(m.key, m.vars))).toEqual(['skulle lämna ut skyddade uppgifter: 2', 'förslaget saknar grund: 1']);
    const g = gatherNotice({ added: 11, changed: 0, gone: 1, total: 11 });
    expect(sv(g.key, g.vars)).toBe('Insamlingen är klar: 11 nya, 0 ändrade och 1 borttagna poster (11 totalt).');
  });

  it('has every category, outcome, merinnsyn assessment and reason to skip in every language', () => {
    const ids = [
      ...FOI_ITEM_CATEGORIES.map((c) => `foi.category.${c}`),
      ...FOI_OUTCOMES.flatMap((o) => [`foi.outcome.${o}`, `foi.outcomeHint.${o}`]),
      ...FOI_MERINNSYN.map((m) => `foi.merinnsyn.${m}`),
      ...(['ground', 'reveal', 'merinnsyn', 'conflict', 'gone', 'reviewed'] as const).flatMap((w) => [`foi.skip.${w}`, `foi.accept.why.${w}`]),
      ...(['changed', 'stale', 'gone'] as const).map((f) => `foi.flag.${f}`),
    ];
    for (const l of LANGUAGES) for (const id of ids) expect((catalogs[l] as Record<string, string>)[id], `${l} ${id}`).toBeTruthy();
    expect(catalogs.sv['foi.outcome.mask']).toBe('Maskeras');
    expect([catalogs.nb['foi.outcome.disclose'], catalogs.nb['foi.outcome.mask'], catalogs.nb['foi.outcome.withhold']]).toEqual(['Gis innsyn', 'Sladdes', 'Unntas']);
    expect([catalogs.en['foi.outcome.disclose'], catalogs.en['foi.outcome.mask'], catalogs.en['foi.outcome.withhold']]).toEqual(['Disclose', 'Mask', 'Withhold']);
  });
});
