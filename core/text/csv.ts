/**
 * One CSV cell (RFC 4180: comma separated, doubled quotes). Spreadsheets execute a cell that starts with
 * one of FORMULA_START as a formula (CSV injection); names, reasons and e-mail addresses are typed by
 * people, so such cells are defused with a leading apostrophe. Every CSV export of the core uses this.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
