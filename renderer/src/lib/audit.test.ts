import { describe, expect, it } from 'vitest';
import { auditFilterInput, auditQueryInput, collapsePersons, detailLines, emptyAuditFilter, pageRange, personNames, validateAuditFilter } from './audit';

describe('audit filter', () => {
  it('sends only the filled-in filters', () => {
    expect(auditFilterInput(emptyAuditFilter())).toEqual({});
    expect(auditFilterInput({ userId: 'u1', person: ' 19121212-1212 ', from: '2026-01-01', to: '', action: 'reveal' })).toEqual({
      userId: 'u1',
      person: '19121212-1212',
      from: '2026-01-01',
      action: 'reveal',
    });
    expect(auditQueryInput(emptyAuditFilter(), 100)).toEqual({ offset: 100, limit: 50 });
  });

  it('refuses dates that are not dates and ranges that end before they start', () => {
    expect(validateAuditFilter({ ...emptyAuditFilter(), from: '2026-02-30' })).toEqual({ from: 'validation.date_invalid' });
    expect(validateAuditFilter({ ...emptyAuditFilter(), from: '2026-03-02', to: '2026-03-01' })).toEqual({ to: 'audit.filter.toBeforeFrom' });
    expect(validateAuditFilter({ ...emptyAuditFilter(), from: '2026-03-01', to: '2026-03-01' })).toEqual({});
  });
});

describe('audit table', () => {
  it('pages as "51–100 of 230"', () => {
    expect(pageRange(50, 50, 230)).toEqual({ first: 51, last: 100, hasPrev: true, hasNext: true });
    expect(pageRange(0, 30, 30)).toEqual({ first: 1, last: 30, hasPrev: false, hasNext: false });
    expect(pageRange(0, 0, 0)).toEqual({ first: 0, last: 0, hasPrev: false, hasNext: false });
  });

  it('names persons where the answer knows them', () => {
    expect(personNames({ personIds: ['a', 'b'] }, { a: 'Berg, Anna' })).toEqual(['Berg, Anna', 'b']);
  });

  it('reads details as key: value lines', () => {
    expect(detailLines({ fields: ['addresses', 'contacts'], count: 2, note: 'x' })).toEqual(['fields: ["addresses","contacts"]', 'count: 2', 'note: x']);
  });

  it('collapses a long person list to the first name and a count ("Lind, Elsa and 98 more")', () => {
    const names = Array.from({ length: 99 }, (_, i) => (i === 0 ? 'Lind, Elsa' : `Berg, ${i}`));
    expect(collapsePersons(names)).toEqual({ shown: ['Lind, Elsa'], more: 98 });
    // Two names take no more room than "X and 1 more": both are shown.
    expect(collapsePersons(['A', 'B'])).toEqual({ shown: ['A', 'B'], more: 0 });
    expect(collapsePersons([])).toEqual({ shown: [], more: 0 });
  });
});
