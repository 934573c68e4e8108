/** checkFileOrder: a stale, repeated or out-of-order file is refused before anything is applied. */
import { describe, expect, it } from 'vitest';
import { checkFileOrder, type FileOrdering, type PopulationFileHeader } from './model';

const header = (kind: 'full' | 'delta', ordering: FileOrdering | null): PopulationFileHeader => ({
  format: ordering?.basis === 'freg_sequence' ? 'freg' : 'navet',
  country: ordering?.basis === 'freg_sequence' ? 'NO' : 'SE',
  kind,
  kindBasis: 'test',
  createdAt: null,
  ordering,
  producer: null,
  recipient: null,
  fileName: null,
  declaredRecords: null,
});
const freg = (from: number | null, to: number, stream = '9902'): FileOrdering => ({ basis: 'freg_sequence', stream, from, to, serial: null, part: 1, parts: 1 });
const navet = (from: number | null, to: number, o: Partial<FileOrdering> = {}): FileOrdering => ({
  basis: 'navet_selection_dates',
  stream: '162120000019',
  from,
  to,
  serial: 1,
  part: 1,
  parts: 1,
  ...o,
});

describe('Folkeregisteret sequence numbers', () => {
  it('accepts a full extract as the first baseline, and a delta that continues it', () => {
    expect(checkFileOrder(null, header('full', freg(null, 1000)))).toEqual({ ok: true, note: 'baseline', skipThrough: null });
    expect(checkFileOrder(freg(null, 1000), header('delta', freg(1001, 1200)))).toEqual({ ok: true, note: 'next', skipThrough: null });
  });

  it('accepts an overlapping delta and says which events are already applied', () => {
    expect(checkFileOrder(freg(1001, 1200), header('delta', freg(1150, 1300)))).toEqual({ ok: true, note: 'overlap', skipThrough: 1200 });
  });

  it.each([
    ['a delta without a baseline', null, header('delta', freg(1, 10)), 'no_baseline'],
    ['a delta with a gap (events missed)', freg(null, 1000), header('delta', freg(1002, 1100)), 'gap'],
    ['a delta ending before what is applied', freg(1001, 1200), header('delta', freg(900, 1100)), 'older_than_applied'],
    ['the same delta again', freg(1001, 1200), header('delta', freg(1001, 1200)), 'already_applied'],
    ['a delta for another municipality', freg(null, 1000, '9902'), header('delta', freg(1001, 1100, '0301')), 'different_stream'],
    ['a full extract older than what is applied', freg(1001, 1200), header('full', freg(null, 1100)), 'older_than_applied'],
    ['a file without ordering', freg(null, 1000), header('delta', null), 'no_ordering'],
    ['a Navet file after Folkeregisteret files', freg(null, 1000), header('delta', navet(20261201, 20261202)), 'different_basis'],
  ])('refuses %s', (_what, last, next, code) => {
    const r = checkFileOrder(last, next);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.code).toBe(code);
  });
});

describe('Navet selection dates', () => {
  it('accepts the next day’s notices after a full extract, across a month end', () => {
    expect(checkFileOrder(navet(null, 20261130), header('delta', navet(20261201, 20261201, { serial: 2 })))).toMatchObject({ ok: true, note: 'next' });
  });

  it('accepts part 2 of the same delivery and a second delivery of the same day', () => {
    const part1 = navet(20261201, 20261201, { serial: 5, part: 1, parts: 2 });
    expect(checkFileOrder(part1, header('delta', navet(20261201, 20261201, { serial: 5, part: 2, parts: 2 })))).toMatchObject({ ok: true, note: 'next' });
    expect(checkFileOrder(part1, header('delta', navet(20261201, 20261201, { serial: 6 })))).toMatchObject({ ok: true, note: 'next' });
  });

  it.each([
    ['a period after a gap of a day', navet(20261126, 20261130), header('delta', navet(20261202, 20261202, { serial: 2 })), 'gap'],
    ['part 3 before part 2', navet(20261201, 20261201, { serial: 5, part: 1, parts: 3 }), header('delta', navet(20261201, 20261201, { serial: 5, part: 3, parts: 3 })), 'gap'],
    ['the same file again', navet(20261201, 20261201), header('delta', navet(20261201, 20261201)), 'already_applied'],
    ['an older period', navet(20261201, 20261202), header('delta', navet(20261125, 20261130)), 'older_than_applied'],
  ])('refuses %s', (_what, last, next, code) => {
    const r = checkFileOrder(last, next);
    expect(r.ok ? null : r.code).toBe(code);
  });
});
