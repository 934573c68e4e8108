/**
 * LEGACY, to be deleted once handlers may be async: the synchronous class-list PDF that `list.export`
 * still uses. Its successor is `listPdf` in ./pdf.ts (same content, built with the PDF kit in core/pdf on
 * pdf-lib's public async API, with an embedded Unicode font). Nothing new should be built on this file.
 *
 * A list as a printable PDF (A4): title with unit, group, date and kind, a table of name / birth date /
 * group (and, for a contact list, each guardian with phone and e-mail), page numbers, and a footer that
 * says how many protected persons were left out, so a reader knows the list is not the whole group.
 *
 * Two constraints shape this file:
 * - Handlers run synchronously inside the call's SQLite transaction, and pdf-lib's `PDFDocument.create()`
 *   and `save()` are async (they only await to yield between objects). The document is therefore built
 *   from pdf-lib's synchronous building blocks (PDFContext, the standard-font embedder, pages, drawing)
 *   and serialised by `serialize` below, which writes exactly what pdf-lib's PDFWriter writes, without the
 *   ticks.
 * - The 14 standard fonts need no font file but encode only WinAnsi (Latin-1 plus a few letters such as
 *   Š, Ž, Œ, €). Embedding DejaVu needs pdf-lib's async embedFont (see ./pdf.ts). Every string
 *   therefore goes through `winAnsi`: Swedish and Norwegian letters pass unchanged, other Latin letters
 *   lose their diacritics (ć → c, ğ → g), letters without a decomposition are mapped (ł → l, đ → d,
 *   ı → i), and anything else (other scripts, emoji) prints as "?". The register keeps the real spelling;
 *   a printed list only must never fail on a name.
 */
import {
  PageSizes,
  PDFCatalog,
  PDFContext,
  PDFCrossRefSection,
  PDFDocument,
  PDFFont,
  PDFHeader,
  PDFPageTree,
  PDFTrailer,
  PDFTrailerDict,
  rgb,
  StandardFontEmbedder,
  StandardFonts,
  type PDFPage,
} from 'pdf-lib';
import type { ListResult } from '../../shared/api/care';
import { fill, LIST_TEXT, type ListLang } from './lists';

const MARGIN = 40;
const FOOTER = 28;
const BODY = 9;
const LINE = 11.5;
const PAD = 3;
const GREY = rgb(0.93, 0.93, 0.93);
const DARK = rgb(0.2, 0.2, 0.2);

/** Letters without a Unicode decomposition, mapped to the nearest WinAnsi letters. */
const NO_DECOMPOSITION: Record<string, string> = {
  ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', İ: 'I', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ŋ: 'n', Ŋ: 'N', ĸ: 'k', ŀ: 'l', Ŀ: 'L',
  ſ: 's', ƒ: 'f', ǥ: 'g', Ǥ: 'G', ɨ: 'i', ʉ: 'u', ə: 'e', Ə: 'E', ʼ: '’', '\u2010': '-', '\u2011': '-', '\u2212': '-',
};

/** `text` with every character the standard fonts cannot encode replaced (see the file comment). */
export function winAnsi(text: string, charset: ReadonlySet<number>): string {
  let out = '';
  for (const ch of text.replace(/[\t\r\n\f\v\u2028\u2029]+/g, ' ')) {
    const cp = ch.codePointAt(0)!;
    if (charset.has(cp)) {
      out += ch;
      continue;
    }
    const mapped = NO_DECOMPOSITION[ch];
    if (mapped !== undefined && [...mapped].every((c) => charset.has(c.codePointAt(0)!))) {
      out += mapped;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += base && [...base].every((c) => charset.has(c.codePointAt(0)!)) ? base : '?';
  }
  return out;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  charset: ReadonlySet<number>;
}

/** PDFDocument.create() without the promise: the same four steps, synchronously. */
function newDocument(): { doc: PDFDocument; context: PDFContext } {
  const context = PDFContext.create();
  const pageTreeRef = context.register(PDFPageTree.withContext(context));
  context.trailerInfo.Root = context.register(PDFCatalog.withContextAndPages(context, pageTreeRef));
  // The constructor is private in the typings only; create() does nothing else before calling it.
  const Doc = PDFDocument as unknown as new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;
  return { doc: new Doc(context, false, false), context };
}

function standardFont(doc: PDFDocument, context: PDFContext, name: StandardFonts): PDFFont {
  const embedder = StandardFontEmbedder.for(name as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);
  const ref = context.nextRef();
  // What save() would do at flush time: a Type1 font dictionary with WinAnsiEncoding under `ref`.
  embedder.embedIntoContext(context, ref);
  return PDFFont.of(ref, doc, embedder);
}

/** What pdf-lib's PDFWriter.serializeToBuffer writes (header, objects, xref, trailer), synchronously. */
function serialize(context: PDFContext): Uint8Array {
  const header = PDFHeader.forVersion(1, 7);
  const objects = context.enumerateIndirectObjects();
  const xref = PDFCrossRefSection.create();
  let size = header.sizeInBytes() + 2;
  for (const [ref, obj] of objects) {
    xref.addEntry(ref, size);
    size += ref.sizeInBytes() + 3 + obj.sizeInBytes() + 9;
  }
  const xrefOffset = size;
  size += xref.sizeInBytes() + 1;
  const { Root, Info } = context.trailerInfo;
  const Size = context.largestObjectNumber + 1;
  const trailerDict = PDFTrailerDict.of(context.obj(Info ? { Size, Root: Root!, Info } : { Size, Root: Root! }));
  size += trailerDict.sizeInBytes() + 2;
  const trailer = PDFTrailer.forLastCrossRefSectionOffset(xrefOffset);
  size += trailer.sizeInBytes();

  const buf = new Uint8Array(size);
  let at = 0;
  const ascii = (s: string) => {
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  };
  at += header.copyBytesInto(buf, at);
  ascii('\n\n');
  for (const [ref, obj] of objects) {
    ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    at += obj.copyBytesInto(buf, at);
    ascii('\nendobj\n\n');
  }
  at += xref.copyBytesInto(buf, at);
  ascii('\n');
  at += trailerDict.copyBytesInto(buf, at);
  ascii('\n\n');
  at += trailer.copyBytesInto(buf, at);
  if (at !== size) throw new Error(`PDF serialisation wrote ${at} of ${size} bytes`);
  return buf;
}

/** Cuts `text` to fit `width`, ending in an ellipsis when cut. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (font.widthOfTextAtSize(`${text.slice(0, mid)}…`, size) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

interface Column {
  heading: string;
  width: number;
  lines: (row: ListResult['rows'][number]) => string[];
}

export interface PdfOptions {
  lang: ListLang;
  withContacts: boolean;
  /** Creation timestamp written into the document's metadata. */
  now: string;
}

export function listPdfSync(result: ListResult, opts: PdfOptions): Uint8Array {
  const t = LIST_TEXT[opts.lang];
  const { doc, context } = newDocument();
  const regular = standardFont(doc, context, StandardFonts.Helvetica);
  const fonts: Fonts = { regular, bold: standardFont(doc, context, StandardFonts.HelveticaBold), charset: new Set(regular.getCharacterSet()) };
  const enc = (s: string) => winAnsi(s, fonts.charset);

  const [pageW, pageH] = PageSizes.A4;
  const tableW = pageW - 2 * MARGIN;
  const columns: Column[] = opts.withContacts
    ? [
        { heading: t.name, width: 0.3, lines: (r) => [r.person.name] },
        { heading: t.birthDate, width: 0.14, lines: (r) => [r.birthDate ?? ''] },
        { heading: t.group, width: 0.12, lines: (r) => [r.groupName ?? ''] },
        {
          heading: t.guardians,
          width: 0.44,
          lines: (r) => r.guardians.flatMap((g) => [g.name, ...(g.phones.length ? [g.phones.join(', ')] : []), ...(g.emails.length ? [g.emails.join(', ')] : [])]),
        },
      ]
    : [
        { heading: t.name, width: 0.52, lines: (r) => [r.person.name] },
        { heading: t.birthDate, width: 0.2, lines: (r) => [r.birthDate ?? ''] },
        { heading: t.group, width: 0.28, lines: (r) => [r.groupName ?? ''] },
      ];
  const title = enc(`${t.title[result.kind]} – ${result.unit.name}${result.group ? ` – ${result.group.name}` : ''}`);
  doc.setTitle(title);
  doc.setProducer('Kansli');
  doc.setCreator('Kansli');
  doc.setCreationDate(new Date(opts.now));
  doc.setModificationDate(new Date(opts.now));

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const newPage = () => {
    page = doc.addPage(PageSizes.A4);
    pages.push(page);
    y = pageH - MARGIN;
    if (pages.length === 1) {
      page.drawText(fit(title, fonts.bold, 15, tableW), { x: MARGIN, y: y - 15, size: 15, font: fonts.bold });
      y -= 15 + 8;
      page.drawText(enc(`${t.date}: ${result.date}`), { x: MARGIN, y: y - 10, size: 10, font: fonts.regular, color: DARK });
      y -= 10 + 14;
    } else {
      page.drawText(fit(title, fonts.regular, 9, tableW), { x: MARGIN, y: y - 9, size: 9, font: fonts.regular, color: DARK });
      y -= 9 + 10;
    }
    let x = MARGIN;
    for (const c of columns) {
      page.drawText(fit(enc(c.heading), fonts.bold, BODY, c.width * tableW - 2 * PAD), { x: x + PAD, y: y - BODY, size: BODY, font: fonts.bold });
      x += c.width * tableW;
    }
    y -= BODY + 4;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + tableW, y }, thickness: 0.6, color: DARK });
    y -= 2;
  };
  newPage();
  if (result.rows.length === 0) {
    page.drawText(enc(t.empty), { x: MARGIN + PAD, y: y - LINE, size: BODY, font: fonts.regular });
  }
  result.rows.forEach((row, i) => {
    const cells = columns.map((c) => c.lines(row).map((l) => fit(enc(l), fonts.regular, BODY, c.width * tableW - 2 * PAD)));
    const height = Math.max(1, ...cells.map((l) => l.length)) * LINE + 2;
    if (y - height < MARGIN + FOOTER) newPage();
    if (i % 2 === 1) page.drawRectangle({ x: MARGIN, y: y - height, width: tableW, height, color: GREY });
    let x = MARGIN;
    cells.forEach((lines, ci) => {
      lines.forEach((l, li) => page.drawText(l, { x: x + PAD, y: y - (li + 1) * LINE + 2, size: BODY, font: fonts.regular }));
      x += columns[ci]!.width * tableW;
    });
    y -= height;
  });

  const hidden = enc(fill(t.hidden, { n: result.hiddenProtected }));
  pages.forEach((p, i) => {
    p.drawLine({ start: { x: MARGIN, y: MARGIN + 12 }, end: { x: pageW - MARGIN, y: MARGIN + 12 }, thickness: 0.4, color: DARK });
    p.drawText(fit(hidden, fonts.regular, 8, tableW - 90), { x: MARGIN, y: MARGIN, size: 8, font: fonts.regular, color: DARK });
    const n = enc(fill(t.page, { n: i + 1, m: pages.length }));
    p.drawText(n, { x: pageW - MARGIN - fonts.regular.widthOfTextAtSize(n, 8), y: MARGIN, size: 8, font: fonts.regular, color: DARK });
  });
  return serialize(context);
}
