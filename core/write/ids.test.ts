import { describe, expect, it } from 'vitest';
import { newId, withMutationIds } from './ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('record ids (UUIDv7)', () => {
  it('are version 7 with the RFC variant and carry the millisecond they were made', () => {
    const t = Date.UTC(2026, 11, 3, 9, 30, 0, 123);
    const id = newId(t + 1_000_000);
    expect(id).toMatch(V7);
    expect(msOf(id)).toBe(t + 1_000_000);
  });

  it('strictly increase, also within one millisecond, past the 4 096 a millisecond holds, and when the clock steps back', () => {
    const base = Date.UTC(2027, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(newId(base)); // one millisecond, far more than 4 096
    for (let i = 0; i < 100; i++) ids.push(newId(base - 5_000)); // the clock jumps back
    for (let i = 0; i < 100; i++) ids.push(newId(base + 60_000));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(V7);
    // Never behind the clock it was given: an overflow borrows the next milliseconds, not earlier ones.
    expect(msOf(ids[0]!)).toBe(base);
    expect(msOf(ids.at(-1)!)).toBe(base + 60_000);
  });

  it('differ in their random part between ids of the same moment', () => {
    const a = newId(Date.UTC(2028, 0, 1));
    const b = newId(Date.UTC(2028, 0, 1));
    expect(a.slice(19)).not.toBe(b.slice(19));
  });
});

describe('ids made while a mutation runs', () => {
  const V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const m = '0b9f6a52-3c1e-4f0a-9d7e-2a4b6c8d0e1f';

  it('are the same sequence on every run of the same mutation (the server re-runs it), and version 8', () => {
    const a = withMutationIds(m, () => [newId(), newId(), newId()]);
    const b = withMutationIds(m, () => [newId(), newId(), newId()]);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(3);
    for (const id of a) expect(id).toMatch(V8);
    expect(withMutationIds('1c9f6a52-3c1e-4f0a-9d7e-2a4b6c8d0e1f', () => newId())).not.toBe(a[0]);
  });

  it('stop when the mutation ends, also when it throws, and a nested call keeps the outer sequence', () => {
    expect(() => withMutationIds(m, () => { newId(); throw new Error('rule'); })).toThrow('rule');
    expect(newId()).toMatch(V7);
    const ids = withMutationIds(m, () => [newId(), withMutationIds('other', () => newId()), newId()]);
    expect(ids).toEqual(withMutationIds(m, () => [newId(), newId(), newId()]));
    expect(withMutationIds(null, () => newId())).toMatch(V7);
  });
});
