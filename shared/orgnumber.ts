/**
 * Organisation numbers of school units and municipalities.
 * SE organisationsnummer: 10 digits (NNNNNN-NNNN), Luhn check digit, third digit ≥ 2 for legal persons
 * (municipalities are 212000-xxxx). NO organisasjonsnummer: 9 digits, mod-11 check with weights 3,2,7,6,5,4,3,2.
 */
export type OrgNumberResult = { ok: true; canonical: string; display: string } | { ok: false; code: 'bad_length' | 'bad_characters' | 'bad_checksum' | 'bad_group'; message: string };

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let v = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

export function parseOrgNumber(input: string, country: 'SE' | 'NO'): OrgNumberResult {
  const raw = input.trim();
  if (country === 'SE') {
    if (!/^\d{6}-?\d{4}$/.test(raw)) {
      return /[^\d-]/.test(raw)
        ? { ok: false, code: 'bad_characters', message: 'Only digits and one hyphen (NNNNNN-NNNN) are allowed' }
        : { ok: false, code: 'bad_length', message: 'A Swedish organisation number has 10 digits (NNNNNN-NNNN)' };
    }
    const d = raw.replace('-', '');
    if (Number(d[2]) < 2) return { ok: false, code: 'bad_group', message: 'The third digit of an organisation number is at least 2' };
    if (!luhnOk(d)) return { ok: false, code: 'bad_checksum', message: 'The check digit of the organisation number is wrong' };
    return { ok: true, canonical: d, display: `${d.slice(0, 6)}-${d.slice(6)}` };
  }
  const d = raw.replace(/\s/g, '');
  if (!/^\d+$/.test(d)) return { ok: false, code: 'bad_characters', message: 'Only digits are allowed' };
  if (d.length !== 9) return { ok: false, code: 'bad_length', message: 'A Norwegian organisation number has 9 digits' };
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = w.reduce((s, wi, i) => s + wi * Number(d[i]), 0);
  let k = 11 - (sum % 11);
  if (k === 11) k = 0;
  if (k === 10 || k !== Number(d[8])) return { ok: false, code: 'bad_checksum', message: 'The check digit of the organisation number is wrong' };
  return { ok: true, canonical: d, display: `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` };
}

/** Makes a valid number for synthetic demo data. */
export function makeOrgNumber(country: 'SE' | 'NO', serial: number): string {
  if (country === 'SE') {
    const base = `212${String(serial % 1000000).padStart(6, '0')}`;
    for (let c = 0; c < 10; c++) if (luhnOk(base + c)) return base + c;
  }
  // About one base in eleven has no valid check digit (remainder 10); step to the next base.
  for (let s = serial; ; s++) {
    const base = `9${String(s % 10000000).padStart(7, '0')}`;
    for (let c = 0; c < 10; c++) if (parseOrgNumber(base + c, 'NO').ok) return base + c;
  }
}
