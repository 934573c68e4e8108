import { describe, expect, it } from 'vitest';
import { PROTECTION_LEVELS } from './api/schemas';
import { isProtectionLowered, PROTECTION_SCALES, protectionChange } from './protection';

describe('protectionChange', () => {
  it('every pair of levels: a raise only upwards within one country’s scale', () => {
    const want: Record<string, 'same' | 'raise' | 'lower'> = {};
    for (const from of PROTECTION_LEVELS) for (const to of PROTECTION_LEVELS) want[`${from}>${to}`] = from === to ? 'same' : 'lower';
    for (const scale of Object.values(PROTECTION_SCALES)) {
      scale.forEach((from, i) => scale.slice(i + 1).forEach((to) => (want[`${from}>${to}`] = 'raise')));
    }
    // From none onto either scale is a raise; the explicit table above already says so (index 0 of both).
    expect(want['none>no_klientadresse']).toBe('raise');
    expect(want['se_skyddad_folkbokforing>no_strengt_fortrolig']).toBe('lower');
    const got = Object.fromEntries(PROTECTION_LEVELS.flatMap((from) => PROTECTION_LEVELS.map((to) => [`${from}>${to}`, protectionChange(from, to)])));
    expect(got).toEqual(want);
  });

  it('the scales cover every level exactly once besides none', () => {
    expect([...new Set([...PROTECTION_SCALES.SE, ...PROTECTION_SCALES.NO])].sort()).toEqual([...PROTECTION_LEVELS].sort());
  });

  it('isProtectionLowered', () => {
    expect(isProtectionLowered('se_sekretessmarkering', 'none')).toBe(true);
    expect(isProtectionLowered('no_fortrolig', 'no_klientadresse')).toBe(true);
    expect(isProtectionLowered('no_klientadresse', 'se_sekretessmarkering')).toBe(true);
    expect(isProtectionLowered('none', 'se_skyddad_folkbokforing')).toBe(false);
    expect(isProtectionLowered('no_fortrolig', 'no_fortrolig')).toBe(false);
  });
});
