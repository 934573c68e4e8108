/**
 * A list as CSV, the way core/audit/query.ts exports the audit log: RFC 4180 (comma separated, CRLF,
 * doubled quotes), UTF-8 with a byte order mark (without it Excel reads the file as ANSI and garbles å, ä,
 * ö, ø), and cells that a spreadsheet would run as a formula defused with a leading apostrophe (names and
 * e-mail addresses are typed by people, and "=HYPERLINK(…)" in a name must stay text).
 *
 * One row per child; each guardian gets a group of columns (name, and with contacts phone and e-mail) so
 * a mail merge can address them one by one. Chosen columns (list.export `columns`) may leave out the
 * identity number and the guardians; rows keep the list's order (the register's collation, sort_key). A shielded or protected guardian is not in the rows at all
 * (core/lists/lists.ts), so there is nothing to leave out here.
 */
import type { ListResult } from '../../shared/api/care';
import type { ListColumn } from '../../shared/api/lists';
import { csvCell } from '../text/csv';
import { LIST_TEXT, type ListLang } from './lists';

export function listCsv(result: ListResult, lang: ListLang, withContacts: boolean, columns?: readonly ListColumn[]): string {
  const t = LIST_TEXT[lang];
  // Chosen columns leave out the identity number or the guardians when not chosen; the rest is always there.
  const withIdentity = !columns || columns.includes('identity');
  const slots = columns && !columns.includes('guardians') ? 0 : Math.max(1, ...result.rows.map((r) => r.guardians.length));
  const header: string[] = [t.name, t.birthDate, ...(withIdentity ? [t.identity] : []), t.group, t.form];
  if (result.kind === 'enrolments') header.push(t.grade);
  else header.push(t.weeklyHours, t.status);
  header.push(t.validFrom, t.validTo);
  for (let i = 1; i <= slots; i++) {
    header.push(`${t.guardian} ${i}`);
    if (withContacts) header.push(`${t.phone} ${i}`, `${t.email} ${i}`);
  }
  const lines = [header.map(csvCell).join(',')];
  for (const r of result.rows) {
    const cells: (string | number | null)[] = [r.person.name, r.birthDate, ...(withIdentity ? [r.identity] : []), r.groupName, r.schoolForm];
    if (result.kind === 'enrolments') cells.push(r.grade);
    else cells.push(r.weeklyHours, r.status ? t.statuses[r.status] : null);
    cells.push(r.validFrom, r.validTo);
    for (let i = 0; i < slots; i++) {
      const g = r.guardians[i];
      cells.push(g?.name ?? null);
      if (withContacts) cells.push(g ? g.phones.join('; ') : null, g ? g.emails.join('; ') : null);
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
