/**
 * The check of a workstation's audit batch against its anchor (server/engine/audit.ts), on chains built
 * with the core's own hash: an unbroken chain extends; a re-ship after a lost answer adds nothing twice;
 * a truncated, wiped, rewritten or forged log is a break, and its entries are still taken.
 */
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, type AuditInput } from '../../core/audit/chain';
import { checkBatch, type ShippedEntry } from './audit';

function chain(n: number, from = 1, prev = GENESIS_HASH, tag = 'a'): ShippedEntry[] {
  const out: ShippedEntry[] = [];
  for (let seq = from; seq < from + n; seq++) {
    const entry: AuditInput = {
      at: `2026-12-04T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
      actorId: 'u1',
      actorName: 'Kari Kanslist (demo)',
      workstation: 'ws-1',
      method: 'person.get',
      action: 'read',
      outcome: 'ok',
      personIds: [`p-${tag}-${seq}`],
      details: {},
      reason: null,
    };
    const hash = entryHash(seq, { ...entry, prevHash: prev });
    out.push({ seq, hash, prevHash: prev, entry });
    prev = hash;
  }
  return out;
}
const anchorOf = (e: ShippedEntry) => ({ seq: e.seq, hash: e.hash });

describe('checkBatch', () => {
  const log = chain(10);

  it('takes a first batch from the genesis and then batches that extend the anchor', () => {
    const a = checkBatch(null, log.slice(0, 4));
    expect(a).toMatchObject({ breakAt: null, last: anchorOf(log[3]!) });
    expect(a.fresh).toHaveLength(4);
    const b = checkBatch(a.last, log.slice(4));
    expect(b).toMatchObject({ breakAt: null, last: anchorOf(log[9]!) });
    expect(b.fresh.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('a re-ship of entries already held adds only the new ones', () => {
    const r = checkBatch(anchorOf(log[5]!), log.slice(2));
    expect(r.breakAt).toBeNull();
    expect(r.fresh.map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    expect(checkBatch(anchorOf(log[9]!), log.slice(5)).fresh).toEqual([]);
  });

  it('links (entries without content) keep the chain checkable', () => {
    const withLinks = log.map((e, i) => (i % 2 ? { seq: e.seq, hash: e.hash, prevHash: e.prevHash } : e));
    expect(checkBatch(anchorOf(log[1]!), withLinks.slice(2)).breakAt).toBeNull();
  });

  it('a wiped log that starts again from the genesis is a break, and its entries are taken', () => {
    const again = chain(3, 1, GENESIS_HASH, 'b');
    const r = checkBatch(anchorOf(log[9]!), again);
    expect(r.breakAt).toMatchObject({ problem: 'restarted', expected: anchorOf(log[9]!), received: { seq: 1 } });
    expect(r.fresh).toHaveLength(3);
    expect(r.last).toEqual(anchorOf(again[2]!));
  });

  it('a truncated tail written over (new entries after an earlier one) is a break', () => {
    const over = chain(4, 7, log[5]!.hash, 'c');
    const r = checkBatch(anchorOf(log[9]!), over);
    expect(r.breakAt?.problem).toBe('rewritten');
    expect(r.fresh).toHaveLength(4);
  });

  it('entries missing before the batch (a gap) or a first batch not from the genesis is a break', () => {
    expect(checkBatch(anchorOf(log[2]!), log.slice(5)).breakAt?.problem).toBe('gap');
    expect(checkBatch(null, log.slice(1)).breakAt?.problem).toBe('gap');
  });

  it('an entry whose content does not give its hash, or a batch that does not link inside, is a break', () => {
    const forged = log.slice(0, 3).map((e) => ({ ...e, entry: { ...e.entry!, actorName: e.seq === 2 ? 'Someone Else' : e.entry!.actorName } }));
    expect(checkBatch(null, forged).breakAt).toMatchObject({ problem: 'bad_hash', received: { seq: 2 } });
    expect(checkBatch(null, [log[0]!, log[2]!]).breakAt?.problem).toBe('gap');
  });
});
