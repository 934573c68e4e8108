/**
 * A request's deadlines (core/foi/deadlines.ts). Every expected date is counted by hand on a calendar, the
 * weekdays and closed days written beside it; the code under test never computes an expectation.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/api/errors';
import { DEFAULT_FOI_DEADLINE_RULES, deadlineState, foiDeadlineRules, parseFoiDeadlineRules, requestDeadlines, type FoiDeadlineRules, type FoiRequestInput } from './deadlines';

/** The refused call's error (fails the test when nothing was thrown). */
function errorOf(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected an error');
}

const se = (receivedOn: string, extra: Partial<FoiRequestInput> = {}): FoiRequestInput => ({ kind: 'se_public_document', country: 'SE', receivedOn, ...extra });
const no = (receivedOn: string, extra: Partial<FoiRequestInput> = {}): FoiRequestInput => ({ kind: 'no_innsyn', country: 'NO', receivedOn, ...extra });
const gdpr = (country: 'SE' | 'NO', receivedOn: string, noticeOn?: string): FoiRequestInput => ({
  kind: 'gdpr_access',
  country,
  receivedOn,
  extension: noticeOn ? { noticeOn } : null,
});

describe('the rules as configuration', () => {
  it('ships the law’s figures as defaults, and they pass the schema', () => {
    expect(DEFAULT_FOI_DEADLINE_RULES).toMatchObject({
      se_public_document: { targetWorkingDays: 0, overdueAfterWorkingDays: 3 },
      no_innsyn: { targetWorkingDays: 3, deemedRefusedAfterWorkingDays: 5 },
      gdpr_access: { months: 1, extensionMonths: 2 },
    });
    expect(foiDeadlineRules.safeParse(DEFAULT_FOI_DEADLINE_RULES).success).toBe(true);
    expect(parseFoiDeadlineRules(JSON.parse(JSON.stringify(DEFAULT_FOI_DEADLINE_RULES)))).toEqual(DEFAULT_FOI_DEADLINE_RULES);
  });

  it('names the bad field', () => {
    const bad = (patch: Record<string, unknown>) => errorOf(() => parseFoiDeadlineRules({ ...DEFAULT_FOI_DEADLINE_RULES, ...patch }));
    const e = bad({ no_innsyn: { targetWorkingDays: 3, deemedRefusedAfterWorkingDays: -1 } });
    expect(e.code).toBe('validation');
    expect(e.field).toBe('no_innsyn.deemedRefusedAfterWorkingDays');
    expect(e.message).toContain('no_innsyn.deemedRefusedAfterWorkingDays');
    expect(bad({ gdpr_access: { months: 1.5, extensionMonths: 2 } }).field).toBe('gdpr_access.months');
    expect(bad({ gdpr_access: { months: 1, extensionMonths: 2, weeks: 4 } }).field).toBe('gdpr_access.weeks');
    expect(bad({ se_public_document: { targetWorkingDays: 0, overdueAfterWorkingDays: 0 } }).field).toBe('se_public_document.overdueAfterWorkingDays');
    expect(bad({ source: 7 }).field).toBe('source');
  });

  it('refuses a target after the last day, at the target', () => {
    const se3 = errorOf(() => parseFoiDeadlineRules({ ...DEFAULT_FOI_DEADLINE_RULES, se_public_document: { targetWorkingDays: 3, overdueAfterWorkingDays: 3 } }));
    expect(se3.field).toBe('se_public_document.targetWorkingDays');
    expect(se3.issues?.[0]?.code).toBe('target_after_last_day');
    const no6 = errorOf(() => parseFoiDeadlineRules({ ...DEFAULT_FOI_DEADLINE_RULES, no_innsyn: { targetWorkingDays: 6, deemedRefusedAfterWorkingDays: 5 } }));
    expect(no6.field).toBe('no_innsyn.targetWorkingDays');
    // The last day itself is allowed as a target in Norway.
    expect(foiDeadlineRules.safeParse({ ...DEFAULT_FOI_DEADLINE_RULES, no_innsyn: { targetWorkingDays: 5, deemedRefusedAfterWorkingDays: 5 } }).success).toBe(true);
  });
});

describe('se_public_document (Sweden, skyndsamt)', () => {
  it('received on a Friday: target that Friday, accepted until Tuesday, overdue from Wednesday (the third working day after)', () => {
    // Fri 16 Jan 2026: Fri (1), Mon 19 (2), Tue 20 (3) accepted; Wed 21 overdue.
    expect(requestDeadlines(se('2026-01-16'))).toEqual({
      kind: 'se_public_document',
      country: 'SE',
      receivedOn: '2026-01-16',
      target: '2026-01-16',
      overdueFrom: '2026-01-21',
      deemedRefusedOn: null,
      final: '2026-01-20',
      extended: false,
      extensionNoticeBy: null,
    });
  });

  it('received on midsommarafton 2026 (closed): the next working day counts as the day received', () => {
    // Fri 19 June closed, Sat 20 midsommardagen, Sun 21 → Mon 22 (1), Tue 23 (2), Wed 24 (3); Thu 25 overdue.
    expect(requestDeadlines(se('2026-06-19'))).toMatchObject({ target: '2026-06-22', final: '2026-06-24', overdueFrom: '2026-06-25' });
    // A municipality open on the eves: Fri 19 (1), Mon 22 (2), Tue 23 (3); Wed 24 overdue.
    expect(requestDeadlines(se('2026-06-19'), undefined, { closedEves: false })).toMatchObject({ target: '2026-06-19', final: '2026-06-23', overdueFrom: '2026-06-24' });
  });

  it('received on a Sunday: Monday is the first day', () => {
    // Sun 18 Jan → Mon 19 (1), Tue 20 (2), Wed 21 (3); Thu 22 overdue.
    expect(requestDeadlines(se('2026-01-18'))).toMatchObject({ target: '2026-01-19', final: '2026-01-21', overdueFrom: '2026-01-22' });
  });

  it('overdue from the day after the last accepted day, even a Saturday', () => {
    // Wed 14 Jan (1), Thu 15 (2), Fri 16 (3): late from Sat 17 (shown as such; nobody works until Monday).
    expect(requestDeadlines(se('2026-01-14'))).toMatchObject({ target: '2026-01-14', final: '2026-01-16', overdueFrom: '2026-01-17' });
  });

  it('across Easter 2026: Thursday, then Tuesday and Wednesday after', () => {
    // Thu 2 Apr (1); Fri 3 långfredagen … Mon 6 annandag påsk closed; Tue 7 (2), Wed 8 (3); Thu 9 overdue.
    expect(requestDeadlines(se('2026-04-02'))).toMatchObject({ target: '2026-04-02', final: '2026-04-08', overdueFrom: '2026-04-09' });
  });

  it('follows the rules and the municipality’s closed days', () => {
    const rules: FoiDeadlineRules = { ...DEFAULT_FOI_DEADLINE_RULES, se_public_document: { targetWorkingDays: 1, overdueAfterWorkingDays: 5 } };
    // Fri 16 Jan (1), Mon 19 (2, the target), Tue 20 (3), Wed 21 (4), Thu 22 (5); Fri 23 overdue.
    expect(requestDeadlines(se('2026-01-16'), rules)).toMatchObject({ target: '2026-01-19', final: '2026-01-22', overdueFrom: '2026-01-23' });
    // The office closed on Mon 19: Fri 16 (1), Tue 20 (2), Wed 21 (3); Thu 22 overdue.
    expect(requestDeadlines(se('2026-01-16'), undefined, { extraClosedDays: ['2026-01-19'] })).toMatchObject({ final: '2026-01-21', overdueFrom: '2026-01-22' });
  });
});

describe('no_innsyn (Norway, offentleglova)', () => {
  it('received the Wednesday before Easter 2026: counts as refused after five working days, skipping skjærtorsdag to 2. påskedag', () => {
    // Wed 1 Apr received; Thu 2 skjærtorsdag, Fri 3 langfredag, Sat 4, Sun 5 1. påskedag, Mon 6 2. påskedag closed;
    // Tue 7 (1), Wed 8 (2), Thu 9 (3: target), Fri 10 (4), Mon 13 (5: last day); refused from Tue 14.
    expect(requestDeadlines(no('2026-04-01'))).toEqual({
      kind: 'no_innsyn',
      country: 'NO',
      receivedOn: '2026-04-01',
      target: '2026-04-09',
      overdueFrom: null,
      deemedRefusedOn: '2026-04-14',
      final: '2026-04-13',
      extended: false,
      extensionNoticeBy: null,
    });
  });

  it('counts the working days after the day received, also from a weekend', () => {
    // Sat 17 Jan: Mon 19 (1), Tue 20 (2), Wed 21 (3: target), Thu 22 (4), Fri 23 (5); refused from Sat 24.
    expect(requestDeadlines(no('2026-01-17'))).toMatchObject({ target: '2026-01-21', final: '2026-01-23', deemedRefusedOn: '2026-01-24' });
  });

  it('over Christmas: the municipality’s own closed days move its target, never the law’s five days', () => {
    // Wed 23 Dec: Thu 24 (1), Mon 28 (2), Tue 29 (3: target), Wed 30 (4), Thu 31 (5); refused from Fri 1 Jan.
    expect(requestDeadlines(no('2026-12-23'))).toMatchObject({ target: '2026-12-29', final: '2026-12-31', deemedRefusedOn: '2027-01-01' });
    // Closed on 24 and 31 Dec: the target is Mon 28 (1), Tue 29 (2), Wed 30 (3); the law's last day stays Thu 31.
    expect(requestDeadlines(no('2026-12-23'), undefined, { extraClosedDays: ['2026-12-24', '2026-12-31'] })).toMatchObject({
      target: '2026-12-30',
      final: '2026-12-31',
      deemedRefusedOn: '2027-01-01',
    });
  });

  it('a target pushed past the law’s last day by closed days is the last day', () => {
    // From Wed 1 Apr the office is closed Wed 8 to Mon 13: its third working day would be Wed 15, after Mon 13.
    const closed = { extraClosedDays: ['2026-04-08', '2026-04-09', '2026-04-10', '2026-04-13'] };
    expect(requestDeadlines(no('2026-04-01'), undefined, closed)).toMatchObject({ target: '2026-04-13', final: '2026-04-13' });
  });

  it('follows the rules', () => {
    const rules: FoiDeadlineRules = { ...DEFAULT_FOI_DEADLINE_RULES, no_innsyn: { targetWorkingDays: 1, deemedRefusedAfterWorkingDays: 3 } };
    // Fri 16 Jan: Mon 19 (1: target), Tue 20 (2), Wed 21 (3); refused from Thu 22.
    expect(requestDeadlines(no('2026-01-16'), rules)).toMatchObject({ target: '2026-01-19', final: '2026-01-21', deemedRefusedOn: '2026-01-22' });
  });
});

describe('gdpr_access (one month, Regulation 1182/71 art. 3)', () => {
  it('received 31 January 2026: the month has no 31st, so it ends on 28 February, a Saturday, and moves to Monday 2 March', () => {
    // 31 Jan + one month → 31 Feb does not exist → the last day of February, Sat 28 Feb 2026 (not a leap year);
    // Sat 28 and Sun 1 Mar are not working days → Mon 2 Mar 2026.
    expect(requestDeadlines(gdpr('SE', '2026-01-31'))).toEqual({
      kind: 'gdpr_access',
      country: 'SE',
      receivedOn: '2026-01-31',
      target: '2026-03-02',
      overdueFrom: '2026-03-03',
      deemedRefusedOn: null,
      final: '2026-03-02',
      extended: false,
      extensionNoticeBy: '2026-03-02',
    });
    expect(requestDeadlines(gdpr('NO', '2026-01-31'))).toMatchObject({ final: '2026-03-02' });
  });

  it('the same day-number next month when it exists and is a working day', () => {
    expect(requestDeadlines(gdpr('SE', '2026-03-31'))).toMatchObject({ final: '2026-04-30' }); // 31 Mar → 30 Apr, Thu
    expect(requestDeadlines(gdpr('SE', '2026-01-15'))).toMatchObject({ final: '2026-02-16' }); // 15 Feb is a Sunday → Mon 16
    expect(requestDeadlines(gdpr('NO', '2028-01-31'))).toMatchObject({ final: '2028-02-29' }); // leap year: Tue 29 Feb
  });

  it('received 24 December 2026 in Sweden: 24 January 2027 is a Sunday → Monday 25 January', () => {
    expect(requestDeadlines(gdpr('SE', '2026-12-24'))).toMatchObject({ target: '2027-01-25', final: '2027-01-25', overdueFrom: '2027-01-26' });
  });

  it('an end on a public holiday moves to the next working day of the controller’s country', () => {
    // 1 Apr → Fri 1 May 2026 (första maj / 1. mai) → Mon 4 May in both.
    expect(requestDeadlines(gdpr('SE', '2026-04-01'))).toMatchObject({ final: '2026-05-04' });
    expect(requestDeadlines(gdpr('NO', '2026-04-01'))).toMatchObject({ final: '2026-05-04' });
    // 25 Apr → Mon 25 May 2026: a working day in Sweden, 2. pinsedag in Norway (→ Tue 26).
    expect(requestDeadlines(gdpr('SE', '2026-04-25'))).toMatchObject({ final: '2026-05-25' });
    expect(requestDeadlines(gdpr('NO', '2026-04-25'))).toMatchObject({ final: '2026-05-26' });
  });

  it('an end on julafton: Sweden moves it while the eves are closed; Norway does not, nor for a local closed day', () => {
    // 24 Nov → Thu 24 Dec 2026. Sweden: 24 julafton, 25 juldagen, 26, 27 weekend → Mon 28 Dec.
    expect(requestDeadlines(gdpr('SE', '2026-11-24'))).toMatchObject({ final: '2026-12-28' });
    expect(requestDeadlines(gdpr('SE', '2026-11-24'), undefined, { closedEves: false })).toMatchObject({ final: '2026-12-24' });
    expect(requestDeadlines(gdpr('NO', '2026-11-24'))).toMatchObject({ final: '2026-12-24' });
    expect(requestDeadlines(gdpr('NO', '2026-11-24'), undefined, { extraClosedDays: ['2026-12-24'] })).toMatchObject({ final: '2026-12-24' });
  });

  it('extended by two months with a notice within the first month: two months from the first month’s own end', () => {
    // Received Sat 31 Jan 2026; the first month ends Sat 28 Feb (moved to Mon 2 Mar for the answer and the notice).
    // The two further months run from 28 Feb → 28 Apr 2026, a Tuesday.
    const d = requestDeadlines(gdpr('SE', '2026-01-31', '2026-02-20'));
    expect(d).toMatchObject({ extended: true, target: '2026-04-28', final: '2026-04-28', overdueFrom: '2026-04-29', extensionNoticeBy: '2026-03-02' });
    // A notice on the moved last day (Mon 2 Mar) is still within the first month.
    expect(requestDeadlines(gdpr('SE', '2026-01-31', '2026-03-02'))).toMatchObject({ extended: true, final: '2026-04-28' });
    // A notice on the day received is fine too.
    expect(requestDeadlines(gdpr('NO', '2026-01-31', '2026-01-31'))).toMatchObject({ extended: true, final: '2026-04-28' });
  });

  it('an extended end on a holiday moves too', () => {
    // Received 24 Feb 2026: the month ends Tue 24 Mar; two months more: Sun 24 May 2026 (pingstdagen) → Mon 25 in
    // Sweden; in Norway Mon 25 is 2. pinsedag → Tue 26.
    expect(requestDeadlines(gdpr('SE', '2026-02-24', '2026-03-10'))).toMatchObject({ final: '2026-05-25' });
    expect(requestDeadlines(gdpr('NO', '2026-02-24', '2026-03-10'))).toMatchObject({ final: '2026-05-26' });
  });

  it('refuses a notice after the first month, and one before the request was received', () => {
    const late = errorOf(() => requestDeadlines(gdpr('SE', '2026-01-31', '2026-03-03')));
    expect(late.code).toBe('rule_violation');
    expect(late.rule).toBe('foi_extension_late');
    expect(late.field).toBe('extension.noticeOn');
    expect(late.message).toContain('extension.noticeOn');
    expect(late.message).toContain('2026-03-02');
    const early = errorOf(() => requestDeadlines(gdpr('SE', '2026-01-31', '2026-01-30')));
    expect(early.code).toBe('validation');
    expect(early.field).toBe('extension.noticeOn');
    expect(errorOf(() => requestDeadlines(gdpr('SE', '2026-01-31', '2026-02-30'))).field).toBe('extension.noticeOn');
  });

  it('follows the rules: other months, and no extension at all', () => {
    const rules: FoiDeadlineRules = { ...DEFAULT_FOI_DEADLINE_RULES, gdpr_access: { months: 2, extensionMonths: 0 } };
    // 31 Dec 2026 + 2 months → 28 Feb 2027, a Sunday → Mon 1 Mar 2027.
    expect(requestDeadlines(gdpr('SE', '2026-12-31'), rules)).toMatchObject({ final: '2027-03-01', extensionNoticeBy: null });
    const e = errorOf(() => requestDeadlines(gdpr('SE', '2026-12-31', '2027-01-05'), rules));
    expect(e.field).toBe('extension');
    expect(e.rule).toBe('foi_extension_unavailable');
  });
});

describe('refused input', () => {
  it('a Swedish kind in Norway and a Norwegian kind in Sweden, saying which kind and which country', () => {
    const a = errorOf(() => requestDeadlines({ kind: 'se_public_document', country: 'NO', receivedOn: '2026-01-16' }));
    expect(a.rule).toBe('foi_kind_country');
    expect(a.field).toBe('kind');
    expect(a.message).toContain('se_public_document');
    expect(a.message).toContain('Norway');
    const b = errorOf(() => requestDeadlines({ kind: 'no_innsyn', country: 'SE', receivedOn: '2026-01-16' }));
    expect(b.message).toContain('no_innsyn');
    expect(b.message).toContain('Sweden');
  });

  it('an unknown kind or country, a malformed date, an extension of a kind that has none', () => {
    expect(errorOf(() => requestDeadlines({ kind: 'complaint' as 'no_innsyn', country: 'NO', receivedOn: '2026-01-16' })).field).toBe('kind');
    expect(errorOf(() => requestDeadlines({ kind: 'gdpr_access', country: 'FI' as 'SE', receivedOn: '2026-01-16' })).field).toBe('country');
    for (const bad of ['2026-02-29', '2026-1-16', '16.01.2026', '']) {
      const e = errorOf(() => requestDeadlines(se(bad)));
      expect(e.field).toBe('receivedOn');
      expect(e.message).toContain('receivedOn');
    }
    const ext = errorOf(() => requestDeadlines(no('2026-01-16', { extension: { noticeOn: '2026-01-19' } })));
    expect(ext.field).toBe('extension');
    expect(ext.rule).toBe('foi_extension_kind');
    // No extension, null or left out, is no extension.
    expect(requestDeadlines(se('2026-01-16', { extension: null })).extended).toBe(false);
  });
});

describe('deadlineState', () => {
  const seFri = requestDeadlines(se('2026-01-16')); // target Fri 16, final Tue 20, overdue from Wed 21
  const noEaster = requestDeadlines(no('2026-04-01')); // target Thu 9, final Mon 13, refused from Tue 14
  const gdprJan = requestDeadlines(gdpr('SE', '2026-01-31')); // final Mon 2 Mar

  it('open before the target', () => {
    expect(deadlineState(noEaster, '2026-04-01')).toBe('open');
    expect(deadlineState(noEaster, '2026-04-08')).toBe('open');
    expect(deadlineState(gdprJan, '2026-02-28')).toBe('open');
  });

  it('due today from the target to the last day', () => {
    expect(deadlineState(seFri, '2026-01-16')).toBe('due_today');
    expect(deadlineState(seFri, '2026-01-20')).toBe('due_today'); // the secrecy-review days
    expect(deadlineState(noEaster, '2026-04-09')).toBe('due_today');
    expect(deadlineState(noEaster, '2026-04-13')).toBe('due_today');
    expect(deadlineState(gdprJan, '2026-03-02')).toBe('due_today');
  });

  it('overdue after the last day (Sweden, GDPR)', () => {
    expect(deadlineState(seFri, '2026-01-21')).toBe('overdue');
    expect(deadlineState(gdprJan, '2026-03-03')).toBe('overdue');
  });

  it('counts as refused after the last day in Norway', () => {
    expect(deadlineState(noEaster, '2026-04-14')).toBe('deemed_refused');
    expect(deadlineState(noEaster, '2026-06-01')).toBe('deemed_refused');
  });

  it('decided: in time up to the last day, late after it, whatever today is', () => {
    expect(deadlineState(seFri, '2026-03-01', '2026-01-16')).toBe('decided');
    expect(deadlineState(seFri, '2026-03-01', '2026-01-20')).toBe('decided');
    expect(deadlineState(seFri, '2026-03-01', '2026-01-21')).toBe('decided_late');
    expect(deadlineState(noEaster, '2026-04-20', '2026-04-13')).toBe('decided');
    expect(deadlineState(noEaster, '2026-04-20', '2026-04-14')).toBe('decided_late');
    expect(deadlineState(gdprJan, '2026-03-10', '2026-03-02')).toBe('decided');
    expect(deadlineState(gdprJan, '2026-03-10', null)).toBe('overdue');
  });

  it('an extension moves the state with the last day', () => {
    const extended = requestDeadlines(gdpr('SE', '2026-01-31', '2026-02-20')); // final Tue 28 Apr
    expect(deadlineState(extended, '2026-03-03')).toBe('open');
    expect(deadlineState(extended, '2026-04-28')).toBe('due_today');
    expect(deadlineState(extended, '2026-04-29')).toBe('overdue');
  });

  it('refuses a malformed day or a decision before the request, naming the field', () => {
    expect(errorOf(() => deadlineState(seFri, '2026-01-32')).field).toBe('today');
    expect(errorOf(() => deadlineState(seFri, '2026-01-20', 'yesterday')).field).toBe('decidedOn');
    expect(errorOf(() => deadlineState(seFri, '2026-01-20', '2026-01-15')).field).toBe('decidedOn');
  });
});
