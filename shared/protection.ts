/**
 * The order of protection levels (domain.md §2), free of zod so the renderer can use it as well as the core.
 *
 * Each country's register has its own scale; the levels of one are not comparable with the other's.
 * Sweden: sekretessmarkering is a warning flag, skyddad folkbokföring hides the real address from us.
 * Norway: klientadresse < fortrolig (public authorities only) < strengt fortrolig (no one).
 */
import type { ProtectionLevel } from './api/schemas';

export const PROTECTION_SCALES: Readonly<Record<'SE' | 'NO', readonly ProtectionLevel[]>> = {
  SE: ['none', 'se_sekretessmarkering', 'se_skyddad_folkbokforing'],
  NO: ['none', 'no_klientadresse', 'no_fortrolig', 'no_strengt_fortrolig'],
};

export type ProtectionChange = 'same' | 'raise' | 'lower';

const scaleOf = (level: ProtectionLevel): readonly ProtectionLevel[] | null =>
  level === 'none' ? null : level.startsWith('se_') ? PROTECTION_SCALES.SE : PROTECTION_SCALES.NO;

/**
 * A change is a raise only when it climbs within one country's scale (from none onto either scale counts).
 * Everything else that changes the level is a lowering, including a move to the other country's scale:
 * a Norwegian klientadresse is weaker than a Swedish skyddad folkbokföring, and no rule makes the two
 * comparable, so the change is treated as the one that needs the permission and a reason.
 */
export function protectionChange(from: ProtectionLevel, to: ProtectionLevel): ProtectionChange {
  if (from === to) return 'same';
  if (from === 'none') return 'raise';
  const scale = scaleOf(from)!;
  return scale.includes(to) && scale.indexOf(to) > scale.indexOf(from) ? 'raise' : 'lower';
}

export const isProtectionLowered = (from: ProtectionLevel, to: ProtectionLevel): boolean => protectionChange(from, to) === 'lower';
