/**
 * A list as a printable PDF (A4), built with the PDF kit (core/pdf): the municipality and unit above the
 * title with kind, unit and group, the date, a table of name / birth date / group and the columns the reader
 * chose (identity number, school form, weekly hours, guardians and their contacts) whose header row repeats
 * on every page, page x of y, "printed by / at", and a footer that says how many protected persons were
 * left out, so a reader knows the list is not the whole group.
 *
 * Names print exactly as the register spells them (Łukasz, Nguyễn, Ахмедов), in an embedded DejaVu Sans
 * subset, and long names and contact details wrap instead of being cut. `list.export` is an async method
 * and renders after its reads (pdf-lib's public API is async).
 *
 * Only `ListResult` reaches this function: what a list may show (protected children, shielded guardians,
 * contact details) is decided by ListReader before; nothing here reads the database. It is therefore safe
 * to run after the call's transaction has committed.
 */
import type { ListResult } from '../../shared/api/care';
import type { ListColumn } from '../../shared/api/lists';
import { catalogs, type MessageId } from '../../shared/i18n';
import { PdfKit, type TableColumn } from '../pdf/kit';
import { fill, LIST_TEXT, type ListLang } from './lists';

type Row = ListResult['rows'][number];

export interface ListPdfOptions {
  lang: ListLang;
  /** Without `columns`: a contact list (guardians with phones and e-mails) or names only. */
  withContacts: boolean;
  /**
   * The optional columns the reader chose (shared/api/lists.ts LIST_COLUMNS); name, birth date and group are
   * always printed. What a column may hold was decided by ListReader: a protected child has no identity
   * number and no guardians, a shielded guardian is never there, a guardian linked to a protected person
   * has no contacts. Contacts print only when the list was read with them.
   */
  columns?: readonly ListColumn[];
  /** ISO 8601 timestamp from the core's clock: the document's dates and the "printed" line. */
  now: string;
  /** The unit's municipality, printed above the title (ListReader.municipalityName). */
  municipality?: string | null;
  /** Who prints the list (the signed-in user's display name); without it the footer has no "printed" line. */
  printedBy?: string | null;
  /**
   * Told which characters of the list no font could draw (each printed as "�"), once, when there are
   * any: the caller may log or show it. Called with the characters only, never a name.
   */
  onReplaced?: (chars: string[]) => void;
}

/**
 * "2026-11-23 14:05" in the local time zone, the zone `clock.today()` takes the calendar date from, so the
 * printed time and the list's dates agree. The Swedish locale gives ISO-ordered digits in every language.
 */
const localStamp = new Intl.DateTimeFormat('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The columns a list prints by default: what earlier versions printed for a names-only or a contact list. */
export const defaultListColumns = (withContacts: boolean): ListColumn[] => (withContacts ? ['guardians', 'contacts'] : []);

/**
 * The table's columns in print order, each with a relative width (the kit scales them to the page). DejaVu is
 * wider than Helvetica (the standard font of earlier versions): the birth date column is wide enough for
 * "Födelsedatum" at the body size.
 */
export function listPdfColumns(kind: ListResult['kind'], chosen: readonly ListColumn[], lang: ListLang): TableColumn<Row>[] {
  const t = LIST_TEXT[lang];
  const ui = catalogs[lang];
  const has = (c: ListColumn) => chosen.includes(c);
  const contacts = has('contacts');
  // Relative widths: the kit scales them to the page. The identity number and "Födelsedatum" must fit on
  // one line at the body size even with every column chosen; names and guardians wrap.
  const cols: TableColumn<Row>[] = [
    { heading: t.name, width: 0.21, cell: (r) => r.person.name },
    { heading: t.birthDate, width: 0.17, overflow: 'ellipsis', cell: (r) => r.birthDate },
  ];
  if (has('identity')) cols.push({ heading: t.identity, width: 0.18, overflow: 'ellipsis', cell: (r) => r.identity ?? '—' });
  cols.push({ heading: t.group, width: 0.08, cell: (r) => r.groupName });
  if (has('form'))
    cols.push({
      heading: t.form,
      width: 0.13,
      cell: (r) => {
        const form = ui[`schoolForm.${r.schoolForm}.short` as MessageId] ?? r.schoolForm;
        return kind === 'enrolments' && r.grade !== null ? [form, `${t.grade} ${r.grade}`] : form;
      },
    });
  if (has('hours') && kind === 'placements') cols.push({ heading: t.weeklyHours, width: 0.11, align: 'right', cell: (r) => (r.weeklyHours === null ? '—' : String(r.weeklyHours)) });
  if (has('guardians'))
    cols.push({
      heading: contacts ? t.guardians : t.guardian,
      width: contacts ? 0.33 : 0.26,
      cell: (r) =>
        r.guardians.flatMap((g) => [g.name, ...(contacts && g.phones.length ? [g.phones.join(', ')] : []), ...(contacts && g.emails.length ? [g.emails.join(', ')] : [])]),
    });
  // The lists of earlier versions keep their proportions (names only: name, birth date, group).
  if (cols.length === 3) {
    cols[0]!.width = 0.52;
    cols[1]!.width = 0.2;
    cols[2]!.width = 0.28;
  }
  return cols;
}

export async function listPdf(result: ListResult, opts: ListPdfOptions): Promise<Uint8Array> {
  const t = LIST_TEXT[opts.lang];
  const columns = listPdfColumns(result.kind, opts.columns ?? defaultListColumns(opts.withContacts), opts.lang);
  const kit = await PdfKit.create({
    title: `${t.title[result.kind]} – ${result.unit.name}${result.group ? ` – ${result.group.name}` : ''}`,
    createdAt: opts.now,
    lang: opts.lang,
    header: { municipality: opts.municipality, unit: result.unit.name, lines: [`${t.date}: ${result.date}`] },
    footer: {
      note: fill(t.hidden, { n: result.hiddenProtected }),
      printed: opts.printedBy ? fill(t.printed, { who: opts.printedBy, at: localStamp.format(new Date(opts.now)) }) : null,
      pageLabel: (n, m) => fill(t.page, { n, m }),
    },
  });
  kit.table(columns, result.rows, { empty: t.empty });
  const { bytes, replaced } = await kit.save();
  if (replaced.length) opts.onReplaced?.(replaced);
  return bytes;
}
