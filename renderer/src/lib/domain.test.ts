/**
 * The fee values the renderer mirrors (domain.ts) are the contract's own, in the contract's order: the
 * renderer may not import them from shared/api (zod would reach the bundle), so this test is the link.
 */
import { describe, expect, it } from 'vitest';
import * as contract from '../../../shared/api/fees';
import * as mirror from './domain';

describe('the fee values mirrored from the contract', () => {
  it('are the contract’s lists, in its order', () => {
    expect(mirror.FEE_WARNINGS).toEqual(contract.FEE_WARNINGS);
    expect(mirror.FEE_RUN_KINDS).toEqual(contract.FEE_RUN_KINDS);
    expect(mirror.FEE_RUN_STATES).toEqual(contract.FEE_RUN_STATES);
    expect(mirror.INCOME_SOURCES).toEqual(contract.INCOME_SOURCES);
  });

  it('are the contract’s limits', () => {
    expect(mirror.FEE_PAGE_MAX).toBe(contract.FEE_PAGE_MAX);
    expect(mirror.INCOME_MAX).toBe(contract.INCOME_MAX);
  });

  it('offer the export formats and the explanation warnings the contract accepts', () => {
    const exportFormat = contract.feesMethods['fee.runExport'].input.shape.format;
    for (const f of mirror.FEE_EXPORT_FORMATS) expect(exportFormat.safeParse(f).success).toBe(true);
    expect(exportFormat.safeParse('pdf').success).toBe(false);
    const explainWarning = contract.feesMethods['fee.explain'].output.shape.warnings.element.shape.code;
    for (const c of mirror.EXPLAIN_WARNINGS) expect(explainWarning.safeParse(c).success).toBe(true);
    expect(explainWarning.options).toHaveLength(mirror.EXPLAIN_WARNINGS.length);
  });
});
