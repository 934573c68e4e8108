/**
 * Check-digit algorithms.
 * - Sweden (Skatteverket): Luhn / mod 10 over YYMMDDNNN, weights 2,1,2,1,…
 * - Norway (Skatteetaten): two mod-11 digits k1, k2; from 2032 k1 may take several values.
 */

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

/** Luhn check digit for the nine digits YYMMDDNNN of a Swedish personnummer. */
export function luhnCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) {
    throw new RangeError(`luhnCheckDigit needs exactly 9 digits, got "${nineDigits}"`);
  }
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    // Weight 2 on even positions (0-based) because the check digit itself gets weight 1.
    const p = digitAt(nineDigits, i) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return (10 - (sum % 10)) % 10;
}

export const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
export const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w * digitAt(digits, i);
  });
  return sum;
}

/** Classic mod-11 digit: 11 − (sum mod 11), 11 → 0; null where it would be 10 (number unusable). */
function classicMod11(sum: number): number | null {
  const k = (11 - (sum % 11)) % 11;
  return k === 10 ? null : k;
}

/** Classic k1 over the first 9 digits (null = no valid classic k1 exists). */
export function norwegianK1Classic(nine: string): number | null {
  return classicMod11(weightedSum(nine, K1_WEIGHTS));
}

/**
 * Every k1 accepted from 2032. Skatteetaten defines it as: the remainder of (weighted sum of the
 * nine digits + k1) mod 11 may be 0, 1, 2 or 3 (classic only allows 0). Equivalently
 * k1 = (11 + r − sum mod 11) mod 11 for r ∈ {0..3}, keeping single digits. This also covers
 * sum mod 11 = 0 (k1 = 0,1,2,3), which a literal "{11..14} − (sum mod 11)" reading would miss.
 */
export function norwegianK1Candidates2032(nine: string): number[] {
  const rest = weightedSum(nine, K1_WEIGHTS) % 11;
  const out: number[] = [];
  for (let r = 0; r <= 3; r++) {
    const k = (11 + r - rest) % 11;
    if (k <= 9) out.push(k);
  }
  return out.sort((a, b) => a - b);
}

/** k2 over the first 10 digits (including k1); unchanged by the 2032 reform. */
export function norwegianK2(ten: string): number | null {
  return classicMod11(weightedSum(ten, K2_WEIGHTS));
}
