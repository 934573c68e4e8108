import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client';
import { createFakeBridge } from '../../../shared/api/fake';
import type { PersonSummary } from './domain';
import { PageCache } from './pageCache';

const TOTAL = 1050;
function person(i: number): PersonSummary {
  return {
    id: `00000001-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    givenName: `P${i}`,
    middleName: null,
    familyName: 'Test',
    preferredName: null,
    identity: null,
    birthDate: '2015-01-01',
    reserveNumber: null,
    sex: null,
    status: 'active',
    roles: ['child'],
    protected: false,
  };
}

function setup(opts: { maxPages?: number } = {}) {
  const bridge = createFakeBridge({
    'person.list': ({ offset, limit }) => ({ items: Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => ({ ...person(offset + k), place: null })), total: TOTAL }),
  });
  const api = createClient(bridge);
  const cache = new PageCache<PersonSummary>((offset, limit) => api.call('person.list', { offset, limit }), { pageSize: 200, ...opts });
  return { bridge, cache };
}

describe('PageCache over person.list', () => {
  it('fetches only the pages the viewport needs, once each', async () => {
    const { bridge, cache } = setup();
    await cache.ensure(0, 30);
    expect(cache.total).toBe(TOTAL);
    expect(cache.get(5)?.givenName).toBe('P5');
    await Promise.all([cache.ensure(190, 230), cache.ensure(195, 240)]);
    expect(bridge.calls.map((c) => (c.input as { offset: number }).offset)).toEqual([0, 200]);
    expect(cache.get(230)?.givenName).toBe('P230');
    expect(cache.get(450)).toBeUndefined();
  });

  it('never asks beyond the total', async () => {
    const { bridge, cache } = setup();
    await cache.ensure(0, 10);
    await cache.ensure(1000, 5000);
    expect(bridge.calls.map((c) => (c.input as { offset: number }).offset)).toEqual([0, 1000]);
    expect(cache.get(1049)?.givenName).toBe('P1049');
  });

  it('evicts the least recently used page', async () => {
    const { cache } = setup({ maxPages: 2 });
    await cache.ensure(0, 0);
    await cache.ensure(200, 200);
    cache.get(0); // touch page 0
    await cache.ensure(400, 400);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(200)).toBe(false);
    expect(cache.loadedPages).toBe(2);
  });

  it('records an error and notifies', async () => {
    let notified = 0;
    const cache = new PageCache<number>(() => Promise.reject(new Error('down')));
    cache.subscribe(() => notified++);
    await cache.ensure(0, 10);
    expect(cache.error).toBeInstanceOf(Error);
    expect(notified).toBe(1);
  });
});
