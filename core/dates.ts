/** Calendar arithmetic on ISO dates, in UTC so no time zone or DST shifts a legal date. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** School year of a date: the autumn's calendar year (a school year runs from 1 August in both countries). */
export function schoolYearOf(iso: string): number {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return m >= 8 ? y : y - 1;
}
