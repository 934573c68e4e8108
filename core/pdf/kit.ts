/**
 * The PDF kit every printed document of Kansli is built with (class lists today; fee invoices, FOI extracts
 * and archive reports later): A4 pages with a header (municipality, unit, title) and a footer (a note,
 * "printed by … at …", page x of y), wrapped paragraphs, and tables whose header row repeats on every page.
 *
 * Built on pdf-lib's exported API only, no private constructors or copied internals: the document API,
 * which is asynchronous (`PDFDocument.create`, `embedFont`, `save`), so creating and saving a document
 * happens outside a synchronous SQLite transaction (read and audit first, then render); and for text its
 * documented content-stream operators (`pushOperators`, `showText` …) with glyphs encoded by the font's
 * `encodeText`, which is what `drawText` does underneath (see Face and drawOn for why).
 *
 * Fonts: DejaVu Sans regular and bold (core/pdf/fonts.ts), embedded as subsets holding only the glyphs a
 * document uses; a one-page list is about 20 kB instead of the 300 kB a whole embedded face costs. Every
 * string goes through `printable` (core/pdf/text.ts) for the face it is drawn with, so a character the font
 * lacks prints as "�" and is listed in `PdfOutput.replaced` instead of failing the export.
 *
 * Widths are measured with the embedded font itself (pdf-lib lays the text out with fontkit), so a column
 * never overflows into the next one, whatever the script or the diacritics.
 *
 * Metadata: title, producer and creator "Kansli", language, creation and modification date from the
 * caller's clock. No author: the document's metadata travels with every copy, and who printed it is on
 * the page (the footer), where a reader sees it.
 */
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import {
  beginText,
  endText,
  PageSizes,
  PDFDocument,
  PDFHexString,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  type Color,
  type PDFFont,
  type PDFName,
  type PDFPage,
} from 'pdf-lib';
import { FONTS, fontBytes, type FontFace } from './fonts';
import { ellipsize, printable, wrap } from './text';

const [PAGE_W, PAGE_H] = PageSizes.A4 as [number, number];
/** The share of the text area an image needs left on a page to follow what is there (imagePage `below`). */
const IMAGE_BELOW_SHARE = 0.55;
const MARGIN = 40;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const FOOTER_SIZE = 8;
const FOOTER_LINE = 10;
/** Space between the body and the footer's rule. */
const FOOTER_GAP = 8;
const CELL_PAD_X = 3;
const MIN_HEADING_SIZE = 7;
const CELL_PAD_Y = 1;
const TEXT = rgb(0, 0, 0);
const MUTED = rgb(0.25, 0.25, 0.25);
const RULE = rgb(0.2, 0.2, 0.2);
const STRIPE = rgb(0.93, 0.93, 0.93);

const lineHeight = (size: number) => size * 1.28;
/** Baseline of line `i` in a box whose top is `top`: the capital height centred in the line. */
const baseline = (top: number, i: number, size: number) => top - i * lineHeight(size) - lineHeight(size) / 2 - 0.36 * size;

export interface PdfHeader {
  /** Shown above the title on every page, joined with the unit: "Ekdala kommun · Ängsskolan". */
  municipality?: string | null;
  unit?: string | null;
  /** Further lines under the title on every page (e.g. "Datum: 2026-11-23"). */
  lines?: readonly string[];
}

export interface PdfFooter {
  /** First footer line (e.g. how many protected persons a list leaves out). */
  note?: string | null;
  /** Second footer line, e.g. "Utskriven av Karin Lind 2026-11-23 14:05", composed by the caller. */
  printed?: string | null;
  /** Right-aligned on the last footer line of each page, in the document's language. */
  pageLabel: (page: number, pages: number) => string;
}

export interface PdfDocumentOptions {
  /** The document's title: its metadata title and the header's main line on every page. */
  title: string;
  /** When the document was made (ISO 8601, from the caller's clock): creation and modification date. */
  createdAt: string;
  /** BCP 47 language of the text ('sv', 'nb', 'en'), for screen readers. */
  lang: string;
  header?: PdfHeader;
  footer: PdfFooter;
}

export interface PdfOutput {
  bytes: Uint8Array;
  pages: number;
  /** Characters the fonts cannot draw, each printed as "�" (distinct, in order of first use). */
  replaced: string[];
}

/** A record's field as printed: its value, or the fact and size of a mask with its ground. */
export type FieldRow = { label: string } & ({ value: string } | { masked: number; citation: string });

/** A masked character's width in em: about DejaVu Sans's average advance for names and addresses. */
const MASK_ADVANCE = 0.55;

export interface TextStyle {
  /** Points; 9 unless given. */
  size?: number;
  bold?: boolean;
  muted?: boolean;
}

export interface TableColumn<R> {
  heading: string;
  /** Share of the table's width: the widths of all columns are relative weights. */
  width: number;
  /** 'right' for numbers (amounts, counts, hours), so digits line up. */
  align?: 'left' | 'right';
  /** 'wrap' (default) breaks text over as many lines as it needs; 'ellipsis' keeps one line, cut with "…". */
  overflow?: 'wrap' | 'ellipsis';
  /** The cell's text; each entry of an array starts a line of its own. */
  cell: (row: R) => string | readonly string[] | null;
}

export interface TableOptions {
  /** Points; 9 unless given. */
  size?: number;
  /** Shade every second row (default true). */
  zebra?: boolean;
  /** Printed under the header row when there are no rows. */
  empty?: string;
}

/**
 * OpenType features fontkit applies when pdf-lib lays text out (for drawing and for measuring). Positioning
 * features (kerning, mark placement) only move glyphs, and pdf-lib draws glyphs by their advance widths and
 * drops the positions: computing them costs time and changes nothing on the page. Ligatures are off too:
 * they halve the layout time again, keep a name's letters one glyph each (copy and paste, search), and an
 * office list gains nothing from an "fi" ligature. Substitutions that make text correct stay on: glyph
 * composition (ccmp: a dotless i under a combining accent), localised forms, Arabic joining forms.
 */
export const LAYOUT_FEATURES = { kern: false, mark: false, mkmk: false, liga: false, clig: false, calt: false };

const SIMPLE = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}]*$/u;
const MARK = /\p{M}/u;

/**
 * Whether (prepared) text lays out as exactly its characters' own glyphs under LAYOUT_FEATURES: no
 * combining marks, no script with joining forms. Its width is then the sum of the characters' widths and
 * its encoding the concatenation of theirs, with no layout per string (a test holds both to pdf-lib's).
 */
export const isSimpleText = (text: string): boolean => SIMPLE.test(text) && !MARK.test(text);

/**
 * One embedded face: what it can draw, text widths measured with it, and text encoded for it.
 *
 * pdf-lib lays a whole string out with fontkit for every `widthOfTextAtSize` and every `drawText` (about
 * 0.1 ms each); a 745-row contact list draws some 7 000 strings and measures more while wrapping. Simple
 * text (isSimpleText, nearly every name, date and number) is therefore measured and encoded from
 * per-character results, each obtained from pdf-lib once per document; anything else is laid out whole.
 */
class Face {
  private readonly charset: ReadonlySet<number>;
  /** Advance width per character at 1 pt. */
  private readonly advances = new Map<number, number>();
  /** Glyph id in this document's subset per character, as pdf-lib encodes it (hex). */
  private readonly glyphs = new Map<number, string>();
  /** Widths at 1 pt of laid-out text (anything not SIMPLE), which costs a full layout each. */
  private readonly laidOut = new Map<string, number>();

  constructor(
    readonly font: PDFFont,
    private readonly replaced: Set<string>,
  ) {
    this.charset = new Set(font.getCharacterSet());
  }

  prepare(text: string, keepLineBreaks = false): string {
    return printable(text, (cp) => this.charset.has(cp), this.replaced, keepLineBreaks);
  }

  /** Width of prepared text at `size`, equal to pdf-lib's own `widthOfTextAtSize`. */
  width(text: string, size: number): number {
    if (isSimpleText(text)) {
      let w = 0;
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        let a = this.advances.get(cp);
        if (a === undefined) this.advances.set(cp, (a = this.font.widthOfTextAtSize(ch, 1)));
        w += a;
      }
      return w * size;
    }
    let w = this.laidOut.get(text);
    if (w === undefined) this.laidOut.set(text, (w = this.font.widthOfTextAtSize(text, 1)));
    return w * size;
  }

  measure(size: number): (text: string) => number {
    return (text) => this.width(text, size);
  }

  /**
   * Prepared text as this face's glyph ids, equal to pdf-lib's own `encodeText`, which also adds each
   * glyph to the document's subset and its Unicode map (so text extraction gives the characters back).
   */
  encode(text: string): PDFHexString {
    if (!isSimpleText(text)) return this.font.encodeText(text);
    let hex = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let g = this.glyphs.get(cp);
      if (g === undefined) this.glyphs.set(cp, (g = this.font.encodeText(ch).asString()));
      hex += g;
    }
    return PDFHexString.of(hex);
  }
}

/**
 * A subset's font name carries a six-letter tag (PDF 32000 §9.6.4) so viewers and `pdffonts` know it is a
 * subset and never mix it up with another subset of the same face. The tag is derived from the document
 * (title, time) and the face, so the same input gives a byte-identical file.
 */
function subsetName(face: FontFace, opts: PdfDocumentOptions): string {
  const { postscriptName } = FONTS[face];
  const digest = createHash('sha256').update(`${postscriptName}\u0000${opts.title}\u0000${opts.createdAt}`).digest();
  const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  return `${tag}+${postscriptName}`;
}

export class PdfKit {
  /** Width of the text area (page width less margins), the 100 % of table column weights. */
  readonly contentWidth = CONTENT_W;
  private readonly replaced = new Set<string>();
  private readonly regular: Face;
  private readonly bold: Face;
  private readonly pages: PDFPage[] = [];
  private page: PDFPage | null = null;
  /** Where the next content goes on the current page. */
  private y = 0;
  /** Where the body starts on every page: below the header. */
  private top = 0;
  private saved = false;
  /** Each face's name in each page's font resources. */
  private readonly fontKeys = new Map<PDFPage, Map<Face, PDFName>>();

  static async create(opts: PdfDocumentOptions): Promise<PdfKit> {
    const created = new Date(opts.createdAt);
    if (Number.isNaN(created.getTime())) throw new RangeError(`createdAt is not a timestamp: ${opts.createdAt}`);
    // updateMetadata: false, or pdf-lib writes its own producer and the machine's clock into the document.
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(fontkit);
    const embed = (face: FontFace) => doc.embedFont(fontBytes(face), { subset: true, customName: subsetName(face, opts), features: LAYOUT_FEATURES });
    const [regular, bold] = [await embed('regular'), await embed('bold')];
    doc.setTitle(opts.title.replace(/\s+/g, ' ').normalize('NFC'), { showInWindowTitleBar: true });
    doc.setProducer('Kansli');
    doc.setCreator('Kansli');
    doc.setLanguage(opts.lang);
    doc.setCreationDate(created);
    doc.setModificationDate(created);
    return new PdfKit(doc, regular, bold, opts);
  }

  private constructor(
    private readonly doc: PDFDocument,
    regular: PDFFont,
    bold: PDFFont,
    private readonly opts: PdfDocumentOptions,
  ) {
    this.regular = new Face(regular, this.replaced);
    this.bold = new Face(bold, this.replaced);
  }

  private face(style: TextStyle): Face {
    return style.bold ? this.bold : this.regular;
  }

  /** Width of `text` as it would be printed. */
  widthOf(text: string, style: TextStyle = {}): number {
    const face = this.face(style);
    return face.width(face.prepare(text), style.size ?? 9);
  }

  /** `text` on one line of at most `width` points, cut with "…" when longer. */
  fit(text: string, width: number, style: TextStyle = {}): string {
    const face = this.face(style);
    return ellipsize(face.prepare(text), width, face.measure(style.size ?? 9));
  }

  /** `text` wrapped to lines of at most `width` points ("\n" breaks a line). */
  wrap(text: string, width: number, style: TextStyle = {}, maxLines = Infinity): string[] {
    const face = this.face(style);
    return wrap(face.prepare(text, true), width, face.measure(style.size ?? 9), maxLines);
  }

  /** A paragraph across the text width, continued on the next page when it does not fit. */
  text(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 9;
    const face = this.face(style);
    for (const line of this.wrap(text, CONTENT_W, style)) {
      this.ensure(lineHeight(size));
      this.draw(line, MARGIN, baseline(this.y, 0, size), size, face, style.muted ? MUTED : TEXT);
      this.y -= lineHeight(size);
    }
  }

  /** A bold heading, kept on a page with room for a few lines after it. */
  /**
   * A heading, kept on one page with what follows: three lines of text, and first a sub-heading of size
   * `opts.sub` when one comes next (a person's name above a record's heading never stays alone at a
   * page's foot).
   */
  heading(text: string, size = 11, opts: { sub?: number } = {}): void {
    this.ensure(lineHeight(size) + (opts.sub ? lineHeight(opts.sub) + opts.sub * 0.4 : 0) + 3 * lineHeight(9));
    this.gap(size * 0.4);
    for (const line of this.wrap(text, CONTENT_W, { size, bold: true })) {
      this.ensure(lineHeight(size));
      this.draw(line, MARGIN, baseline(this.y, 0, size), size, this.bold, TEXT);
      this.y -= lineHeight(size);
    }
  }

  /**
   * Label–value rows (a record's fields): the label muted in the left part of the width, the value wrapped
   * beside it. A masked value is a filled box as wide as the masked text would be (its length in characters
   * at an average advance, so the reader sees where and how much was masked) followed by its ground's
   * citation. The masked text itself is never given to the kit: no glyph of it, no width measured from it.
   */
  fieldRows(rows: readonly FieldRow[], opts: { size?: number; labelShare?: number } = {}): void {
    const size = opts.size ?? 9;
    const lh = lineHeight(size);
    const labelW = CONTENT_W * (opts.labelShare ?? 0.3);
    const valueX = MARGIN + labelW;
    const valueW = CONTENT_W - labelW;
    for (const row of rows) {
      const label = this.wrap(row.label, labelW - 6, { size, muted: true });
      if ('masked' in row) {
        const box = Math.min(valueW * 0.7, Math.max(size * 1.5, row.masked * size * MASK_ADVANCE));
        const citation = this.fit(`[${row.citation}]`, valueW - box - 6, { size });
        const lines = Math.max(1, label.length);
        this.ensure(lines * lh + 2);
        label.forEach((l, i) => this.draw(l, MARGIN, baseline(this.y, i, size), size, this.regular, MUTED));
        this.page!.drawRectangle({ x: valueX, y: baseline(this.y, 0, size) - size * 0.22, width: box, height: size * 0.95, color: TEXT });
        this.draw(citation, valueX + box + 4, baseline(this.y, 0, size), size, this.regular, TEXT);
        this.y -= lines * lh + 2;
        continue;
      }
      const value = this.wrap(row.value, valueW, { size });
      const lines = Math.max(1, label.length, value.length);
      this.ensure(Math.min(lines, 3) * lh);
      for (let i = 0; i < lines; i++) {
        this.ensure(lh);
        if (label[i]) this.draw(label[i]!, MARGIN, baseline(this.y, 0, size), size, this.regular, MUTED);
        if (value[i]) this.draw(value[i]!, valueX, baseline(this.y, 0, size), size, this.regular, TEXT);
        this.y -= lh;
      }
      this.y -= 2;
    }
  }

  /**
   * A page of its own for one image (a rendered document page), under the header and a caption line, scaled
   * to the text area with its proportions kept. PNG or JPEG bytes; the caller made them (nothing of an
   * original file's structure is carried over). `below`: the image may follow what is on the page (the
   * document's description above its first page) when at least `IMAGE_BELOW_SHARE` of the text area is left,
   * so that a description never stands alone on a page.
   */
  async imagePage(image: { png: Uint8Array } | { jpg: Uint8Array }, caption: string, opts: { below?: boolean } = {}): Promise<void> {
    const embedded = 'png' in image ? await this.doc.embedPng(image.png) : await this.doc.embedJpg(image.jpg);
    const roomLeft = this.page ? this.y - this.bottom : 0;
    if (!opts.below || roomLeft < IMAGE_BELOW_SHARE * (this.top - this.bottom)) this.newPage();
    else this.y -= 4;
    this.draw(this.fit(caption, CONTENT_W, { size: 9 }), MARGIN, baseline(this.y, 0, 9), 9, this.regular, MUTED);
    this.y -= lineHeight(9) + 4;
    const room = { w: CONTENT_W, h: this.y - this.bottom };
    const scale = Math.min(room.w / embedded.width, room.h / embedded.height);
    const w = embedded.width * scale;
    const h = embedded.height * scale;
    this.page!.drawImage(embedded, { x: MARGIN + (CONTENT_W - w) / 2, y: this.y - h, width: w, height: h });
    this.page!.drawRectangle({ x: MARGIN + (CONTENT_W - w) / 2, y: this.y - h, width: w, height: h, borderColor: RULE, borderWidth: 0.5 });
    this.y -= h;
    // The next content starts on a page of its own.
    this.y = this.bottom;
  }

  /** Vertical space; never carried over to the top of a new page. */
  gap(points: number): void {
    if (this.page && this.y - points >= this.bottom) this.y -= points;
  }

  /**
   * A table across the text width. A row is never split across pages unless it is taller than a whole
   * page; the header row is repeated at the top of every page the table continues on.
   */
  table<R>(columns: readonly TableColumn<R>[], rows: readonly R[], opts: TableOptions = {}): void {
    const size = opts.size ?? 9;
    const lh = lineHeight(size);
    const total = columns.reduce((s, c) => s + c.width, 0);
    let left = MARGIN;
    const cols = columns.map((c) => {
      const width = (c.width / total) * CONTENT_W;
      const col = { ...c, x: left, width, inner: width - 2 * CELL_PAD_X };
      left += width;
      return col;
    });
    // A heading wraps at spaces; a word too wide for its column ("Födelsedatum" over a date column) makes
    // that heading smaller, down to MIN_HEADING_SIZE, rather than break inside the word.
    const headings = cols.map((c) => {
      const words = this.bold.prepare(c.heading).split(' ');
      let hs = size;
      while (hs > MIN_HEADING_SIZE && words.some((w) => this.bold.width(w, hs) > c.inner)) hs = Math.max(MIN_HEADING_SIZE, hs - 0.5);
      return { size: hs, lines: this.wrap(c.heading, c.inner, { size: hs, bold: true }) };
    });
    const headerHeight = Math.max(lh, ...headings.map((h) => h.lines.length * lineHeight(h.size))) + 2 * CELL_PAD_Y + 2;

    const drawHeader = () => {
      cols.forEach((c, ci) => this.drawCell(headings[ci]!.lines, c, this.y - CELL_PAD_Y, headings[ci]!.size, this.bold));
      this.y -= headerHeight;
      this.page!.drawLine({ start: { x: MARGIN, y: this.y + 1 }, end: { x: MARGIN + CONTENT_W, y: this.y + 1 }, thickness: 0.6, color: RULE });
      this.y -= 1;
    };
    const newTablePage = () => {
      this.newPage();
      drawHeader();
    };
    if (!this.page || this.y - headerHeight - lh - 2 * CELL_PAD_Y < this.bottom) this.newPage();
    drawHeader();
    // Lines a row can have on a page that holds nothing but the header and this row.
    const freshCapacity = Math.floor((this.top - headerHeight - 1 - this.bottom - 2 * CELL_PAD_Y) / lh);

    if (rows.length === 0 && opts.empty) {
      this.draw(this.fit(opts.empty, CONTENT_W - 2 * CELL_PAD_X, { size }), MARGIN + CELL_PAD_X, baseline(this.y - CELL_PAD_Y, 0, size), size, this.regular, TEXT);
      this.y -= lh + 2 * CELL_PAD_Y;
    }
    rows.forEach((row, ri) => {
      const cells = cols.map((c) => {
        const value = c.cell(row);
        const entries = value === null ? [] : typeof value === 'string' ? [value] : value;
        return entries.flatMap((e) => (c.overflow === 'ellipsis' ? [this.fit(e, c.inner, { size })] : this.wrap(e, c.inner, { size })));
      });
      const lines = Math.max(1, ...cells.map((l) => l.length));
      for (let from = 0; from < lines; ) {
        const rest = lines - from;
        if (Math.floor((this.y - this.bottom - 2 * CELL_PAD_Y) / lh) < Math.min(rest, freshCapacity)) newTablePage();
        const n = Math.min(rest, Math.floor((this.y - this.bottom - 2 * CELL_PAD_Y) / lh));
        // Only a type size too large for an empty page gets here; failing beats looping for ever.
        if (n < 1) throw new RangeError(`A table line of ${size} pt does not fit on a page`);
        const height = n * lh + 2 * CELL_PAD_Y;
        if (opts.zebra !== false && ri % 2 === 1) this.page!.drawRectangle({ x: MARGIN, y: this.y - height, width: CONTENT_W, height, color: STRIPE });
        cols.forEach((c, ci) => this.drawCell(cells[ci]!.slice(from, from + n), c, this.y - CELL_PAD_Y, size, this.regular));
        this.y -= height;
        from += n;
      }
    });
    this.gap(lh / 2);
  }

  /** Footers (now that the page count is known), then the file. A kit saves once. */
  async save(): Promise<PdfOutput> {
    if (this.saved) throw new Error('This PDF has already been saved');
    this.saved = true;
    if (!this.page) this.newPage();
    const { note, printed, pageLabel } = this.opts.footer;
    const left = [note, printed].filter((s): s is string => !!s);
    const footerLines = Math.max(1, left.length);
    this.pages.forEach((page, i) => {
      const label = this.regular.prepare(pageLabel(i + 1, this.pages.length));
      const labelWidth = this.regular.width(label, FOOTER_SIZE);
      const ruleY = MARGIN + (footerLines - 1) * FOOTER_LINE + 12;
      page.drawLine({ start: { x: MARGIN, y: ruleY }, end: { x: MARGIN + CONTENT_W, y: ruleY }, thickness: 0.4, color: RULE });
      left.forEach((text, li) => {
        const width = li === left.length - 1 ? CONTENT_W - labelWidth - 12 : CONTENT_W;
        this.drawOn(page, this.fit(text, width, { size: FOOTER_SIZE }), MARGIN, MARGIN + (left.length - 1 - li) * FOOTER_LINE, FOOTER_SIZE, this.regular, MUTED);
      });
      this.drawOn(page, label, MARGIN + CONTENT_W - labelWidth, MARGIN, FOOTER_SIZE, this.regular, MUTED);
    });
    const bytes = await this.doc.save();
    return { bytes, pages: this.pages.length, replaced: [...this.replaced] };
  }

  /** Lowest y the body may reach: above the footer's rule. */
  private get bottom(): number {
    const lines = [this.opts.footer.note, this.opts.footer.printed].filter(Boolean).length;
    return MARGIN + (Math.max(1, lines) - 1) * FOOTER_LINE + 12 + FOOTER_GAP;
  }

  private ensure(height: number): void {
    if (!this.page || this.y - height < this.bottom) this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE_W, PAGE_H]);
    this.pages.push(this.page);
    const { header = {}, title } = this.opts;
    let y = PAGE_H - MARGIN;
    const context = [header.municipality, header.unit].filter((s): s is string => !!s).join(' · ');
    if (context) {
      this.draw(this.fit(context, CONTENT_W, { size: 8.5 }), MARGIN, y - 8.5 * 0.76, 8.5, this.regular, MUTED);
      y -= lineHeight(8.5) + 2;
    }
    for (const line of this.wrap(title, CONTENT_W, { size: 13, bold: true }, 2)) {
      this.draw(line, MARGIN, y - 13 * 0.76, 13, this.bold, TEXT);
      y -= lineHeight(13);
    }
    for (const line of header.lines ?? []) {
      y -= 2;
      this.draw(this.fit(line, CONTENT_W, { size: 9 }), MARGIN, y - 9 * 0.76, 9, this.regular, MUTED);
      y -= lineHeight(9);
    }
    y -= 4;
    this.page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + CONTENT_W, y }, thickness: 0.8, color: RULE });
    this.y = this.top = y - 10;
  }

  private drawCell(lines: readonly string[], col: { x: number; width: number; align?: 'left' | 'right' }, top: number, size: number, face: Face): void {
    lines.forEach((line, li) => {
      const x = col.align === 'right' ? col.x + col.width - CELL_PAD_X - face.width(line, size) : col.x + CELL_PAD_X;
      this.draw(line, x, baseline(top, li, size), size, face, TEXT);
    });
  }

  private draw(text: string, x: number, y: number, size: number, face: Face, color: Color): void {
    this.drawOn(this.page!, text, x, y, size, face, color);
  }

  /**
   * `text` must be prepared for `face` already (the public helpers all return prepared text). Written with
   * pdf-lib's content-stream operators, the same ones `drawText` writes (q BT rg Tf Tm Tj ET Q), but
   * with the text encoded by `Face.encode` instead of a layout per string.
   */
  private drawOn(page: PDFPage, text: string, x: number, y: number, size: number, face: Face, color: Color): void {
    if (!text) return;
    page.pushOperators(
      pushGraphicsState(),
      beginText(),
      setFillingColor(color),
      setFontAndSize(this.fontKey(page, face), size),
      setTextMatrix(1, 0, 0, 1, x, y),
      showText(face.encode(text)),
      endText(),
      popGraphicsState(),
    );
  }

  /** The face's name in the page's font resources, added on first use (what drawText does per call). */
  private fontKey(page: PDFPage, face: Face): PDFName {
    let keys = this.fontKeys.get(page);
    if (!keys) this.fontKeys.set(page, (keys = new Map()));
    let key = keys.get(face);
    if (!key) keys.set(face, (key = page.node.newFontDictionary(face.font.name, face.font.ref)));
    return key;
  }
}
