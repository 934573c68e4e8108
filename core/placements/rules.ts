/**
 * The municipality's configurable placement rules (notice periods, age limits, final grades, rollover
 * exceptions, the placement guarantee), stored as one JSON document in app_meta and validated by the
 * contract's schema on every write. Defaults follow common Swedish and Norwegian practice.
 *
 * A setting, not a record: it does not pass the one write path and has no change record (the change
 * log is the register's history and sync outbox). Who changed the rules, and from what to what, is in
 * the audit entry of placementRules.update.
 */
import { placementRules, type PlacementRules } from '../../shared/api/care';
import type { CoreContext } from '../context';

const KEY = 'placement.rules';

export const DEFAULT_PLACEMENT_RULES: PlacementRules = {
  // Uppsägningstid: most municipalities use two months for preschool and one for fritidshem.
  noticeMonths: { FS: 2, PO: 2, BHG: 1, FTH: 1, OPPFTH: 1, SFO: 1 },
  // Preschool from 1 year to school start; fritidshem/SFO through the year the child turns 13 (SE) / grade 4 (NO).
  ageLimits: { FS: { min: 1, max: 6 }, PO: { min: 1, max: 12 }, BHG: { min: 0, max: 6 }, FTH: { min: 5, max: 13 }, OPPFTH: { min: 9, max: 13 }, SFO: { min: 5, max: 10 } },
  // Förskoleklass (grade 0) is not a leaving grade: the rollover moves its pupils on to grundskola year 1.
  finalGrade: { FKLASS: 0, GR: 9, GRS: 9, GY: 3, GYS: 4, VUX: 13, GSK: 10, VGS: 3 },
  rolloverExceptions: [],
  // Skollagen 8 kap. 14 §: a place within four months of the application.
  guaranteeMonths: 4,
  // Barnehageloven § 16: the right to a place from August for a child who turns one by the end of November
  // and applied by the main admission's deadline. The deadline is the municipality's own (1 March is the
  // most common); a year with another one is added to `years`.
  mainAdmission: { deadline: '03-01', placesFrom: '08-01', lastBirthMonth: 11, years: [] },
};

const cache = new WeakMap<CoreContext['sqlite'], PlacementRules>();

export function getPlacementRules(ctx: CoreContext): PlacementRules {
  const hit = cache.get(ctx.sqlite);
  if (hit) return hit;
  const raw = ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = ?`).pluck().get(KEY) as string | undefined;
  let rules = DEFAULT_PLACEMENT_RULES;
  if (raw) {
    const parsed = placementRules.safeParse(JSON.parse(raw));
    // A stored document that no longer parses (an older version's shape) falls back to the defaults per key.
    rules = parsed.success
      ? { ...DEFAULT_PLACEMENT_RULES, ...parsed.data, mainAdmission: parsed.data.mainAdmission ?? DEFAULT_PLACEMENT_RULES.mainAdmission }
      : DEFAULT_PLACEMENT_RULES;
  }
  cache.set(ctx.sqlite, rules);
  return rules;
}

/** Rules without `mainAdmission` keep the stored main admission (a form that does not edit it need not send it). */
export function setPlacementRules(ctx: CoreContext, rules: PlacementRules): PlacementRules {
  const stored = { ...rules, mainAdmission: rules.mainAdmission ?? getPlacementRules(ctx).mainAdmission };
  ctx.sqlite
    .prepare(`INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
    .run(KEY, JSON.stringify(stored));
  cache.delete(ctx.sqlite);
  return getPlacementRules(ctx);
}

/** Called when the transaction that wrote the rules rolls back, so the cache does not keep a value never stored. */
export function forgetPlacementRules(ctx: CoreContext): void {
  cache.delete(ctx.sqlite);
}
