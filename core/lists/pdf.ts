/**
 * A list as a printable PDF (A4), built with the PDF kit (core/pdf): title with kind, unit and group, the
 * date, a table of name / birth date / group (and, for a contact list, each guardian with phone and
 * e-mail) whose header row repeats on every page, page x of y, and a footer that says how many protected
 * persons were left out, so a reader knows the list is not the whole group.
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
import { PdfKit, type TableColumn } from '../pdf/kit';
import { fill, LIST_TEXT, type ListLang } from './lists';

type Row = ListResult['rows'][number];

export interface ListPdfOptions {
  lang: ListLang;
  withContacts: boolean;
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

export async function listPdf(result: ListResult, opts: ListPdfOptions): Promise<Uint8Array> {
  const t = LIST_TEXT[opts.lang];
  const columns: TableColumn<Row>[] = opts.withContacts
    ? [
        // DejaVu is wider than Helvetica (the standard font of earlier versions): the date column takes 0.16 so that
        // "Födelsedatum" fits at the body size.
        { heading: t.name, width: 0.29, cell: (r) => r.person.name },
        { heading: t.birthDate, width: 0.16, overflow: 'ellipsis', cell: (r) => r.birthDate },
        { heading: t.group, width: 0.11, cell: (r) => r.groupName },
        {
          heading: t.guardians,
          width: 0.44,
          cell: (r) => r.guardians.flatMap((g) => [g.name, ...(g.phones.length ? [g.phones.join(', ')] : []), ...(g.emails.length ? [g.emails.join(', ')] : [])]),
        },
      ]
    : [
        { heading: t.name, width: 0.52, cell: (r) => r.person.name },
        { heading: t.birthDate, width: 0.2, overflow: 'ellipsis', cell: (r) => r.birthDate },
        { heading: t.group, width: 0.28, cell: (r) => r.groupName },
      ];
  const kit = await PdfKit.create({
    title: `${t.title[result.kind]} – ${result.unit.name}${result.group ? ` – ${result.group.name}` : ''}`,
    createdAt: opts.now,
    lang: opts.lang,
    header: { municipality: opts.municipality, lines: [`${t.date}: ${result.date}`] },
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
