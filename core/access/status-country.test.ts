/**
 * auth.status is public (callable before sign-in) and carries the municipality's country, so the sign-in
 * screen of a workstation where nobody has chosen a language already speaks the municipality's language.
 */
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import { makeTestCore } from '../../test/util/core';

type Status = MethodOutput<'auth.status'>;

describe('auth.status: the municipality country', () => {
  it.each(['SE', 'NO'] as const)('a %s municipality: a signed-out connection learns its country', (country) => {
    const c = makeTestCore({ persons: 30, country });
    try {
      const r = c.connect('ws').call('auth.status', {});
      expect(r.ok).toBe(true);
      const st = (r as { data: Status }).data;
      expect(st.state).toBe('signed_out');
      expect(st.country).toBe(country);
      // Nothing else about the municipality leaks before sign-in.
      expect(Object.keys(st).sort()).not.toContain('municipality');
    } finally {
      c.dispose();
    }
  });

  it('a fresh database without a municipality: no country (the first-run setup keeps the default language)', () => {
    const c = makeTestCore();
    try {
      const r = c.connect('ws').call('auth.status', {});
      expect(r).toMatchObject({ ok: true, data: { state: 'setup', country: null } });
    } finally {
      c.dispose();
    }
  });
});
