/**
 * An import's problems as CSV for whoever sent the file: line, column, element (or column heading), the
 * reason and the record's identity number. Formula-safe cells, BOM and CRLF, like every CSV export.
 */
import { csvCell } from '../text/csv';

const HEAD: Record<'sv' | 'nb' | 'en', string[]> = {
  sv: ['Rad', 'Kolumn', 'Fält', 'Orsak', 'Kod', 'Följd', 'Person'],
  nb: ['Linje', 'Kolonne', 'Felt', 'Årsak', 'Kode', 'Følge', 'Person'],
  en: ['Line', 'Column', 'Field', 'Reason', 'Code', 'Effect', 'Person'],
};
const EFFECT: Record<'sv' | 'nb' | 'en', Record<'record' | 'file', string>> = {
  sv: { record: 'posten hoppades över', file: 'filen kunde inte läsas' },
  nb: { record: 'posten ble hoppet over', file: 'filen kunne ikke leses' },
  en: { record: 'record skipped', file: 'file could not be read' },
};

export function problemsCsv(
  problems: Iterable<{ line: number; column: number; element: string; reason: string; code: string; severity: 'record' | 'file'; subject: string | null }>,
  lang: 'sv' | 'nb' | 'en',
): string {
  const lines = [HEAD[lang].map(csvCell).join(',')];
  for (const p of problems) lines.push([p.line, p.column, p.element, p.reason, p.code, EFFECT[lang][p.severity], p.subject].map(csvCell).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
