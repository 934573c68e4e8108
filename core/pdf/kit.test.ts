/**
 * The PDF kit on real files, read back with poppler-utils: names come out exactly as they went in (NFC),
 * the fonts are embedded subsets, tables paginate with their header row and keep numbers right-aligned,
 * nothing the fonts cannot draw breaks a document, and the metadata says what it should and no more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { PdfFile } from '../../test/util/pdf';
import fontkit from '@pdf-lib/fontkit';
import { fontBytes } from './fonts';
import { isSimpleText, LAYOUT_FEATURES, PdfKit, type PdfDocumentOptions } from './kit';

const dir = mkdtempSync(join(tmpdir(), 'kansli-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (over: Partial<PdfDocumentOptions> = {}): PdfDocumentOptions => ({
  title: 'Testdokument',
  createdAt: '2026-11-23T12:00:00.000Z',
  lang: 'sv',
  header: { municipality: 'Ekdala kommun', unit: 'Ängsskolan', lines: ['Datum: 2026-11-23'] },
  footer: { note: 'En not', printed: 'Utskriven av Karin Lind 2026-11-23 13:00', pageLabel: (n, m) => `Sida ${n} av ${m}` },
  ...over,
});

/**
 * Names as the population registers hold them, some stored decomposed (base letter + combining mark), one
 * with a mark that has no precomposed form. Each must extract as its NFC form.
 */
const NAMES = [
  'Øystein Ågren',
  'Łukasz Żółć',
  'Nguyễn Thị Ánh',
  'Ахмедов Руслан',
  'Åsa Öberg',
  'Jönsson',
  'Æbelø',
  'Çelik',
  'Đorđević',
  'Zoe\u0308 Rene\u0301e Ma\u030Aa\u030Ar', // decomposed: Zoë Renée Måår
  'Tra\u0302\u0300n Thi\u0323 Ho\u0302\u0300ng', // decomposed Vietnamese, two marks on one letter: Trần Thị Hồng
  'A\u030Bron Ng\u0303', // no precomposed A + double acute, g + tilde
  'Þórður Ægisdóttir',
  'Ștefan Țurcanu',
  'Yıldız Şahin İlkay',
  'Máret Ŋuvttá Áillohaš',
  'Παπαδόπουλος Ελένη',
  'Žemaitė Dvořák Ľubomír',
];
const nfc = (s: string) => s.normalize('NFC');

describe('Unicode text', () => {
  it('every name extracts exactly (NFC), in paragraphs, in table cells and in bold headings', async () => {
    const kit = await PdfKit.create(options({ title: 'Namn – Łukasz Żółć' }));
    for (const n of NAMES) kit.text(n);
    kit.table(
      [
        { heading: 'Фамилия Имя', width: 1, cell: (r: string) => r },
        { heading: 'Đorđe Ćirić', width: 1, cell: () => null },
      ],
      NAMES,
    );
    const out = await kit.save();
    expect(out.replaced).toEqual([]);
    const file = new PdfFile(dir, 'names.pdf', out.bytes);
    const lines = file.text().split(/\n|\f/).map((l) => nfc(l).trim());
    for (const n of NAMES) expect(lines.filter((l) => l === nfc(n)), n).toHaveLength(2);
    expect(lines).toContain('Фамилия Имя');
    expect(lines).toContain('Đorđe Ćirić');
    expect(lines).toContain('Namn – Łukasz Żółć');
  });

  it('the fonts are DejaVu Sans regular and bold, embedded as subsets with a Unicode map, and the file stays small', async () => {
    const kit = await PdfKit.create(options());
    for (const n of NAMES) kit.text(n);
    const out = await kit.save();
    const file = new PdfFile(dir, 'fonts.pdf', out.bytes);
    const fonts = file.fonts();
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const f of fonts) {
      expect(f).toMatchObject({ type: 'CID TrueType', encoding: 'Identity-H', embedded: true, subset: true, unicode: true });
      expect(f.name).toMatch(/^[A-Z]{6}\+/);
    }
    expect(new Set(fonts.map((f) => f.name.slice(0, 6))).size).toBe(2);
    // The whole regular face alone is 757 kB (about 330 kB deflated); a one-page subset document is far below.
    expect(out.bytes.length).toBeLessThan(40_000);
  });

  it('a character the fonts lack prints as "�", is reported, and the rest of the line is intact', async () => {
    const kit = await PdfKit.create(options());
    kit.text('李明 Wang, Åsa\u0007 x\uD800y');
    kit.table([{ heading: 'Namn 王', width: 1, cell: (r: string) => r }], ['陳 Chen']);
    const out = await kit.save();
    expect(out.replaced).toEqual(['李', '明', '\u0007', '\uD800', '王', '陳']);
    const lines = new PdfFile(dir, 'missing.pdf', out.bytes).text().split('\n');
    expect(lines).toContain('\uFFFD\uFFFD Wang, Åsa\uFFFD x\uFFFDy');
    expect(lines).toContain('Namn \uFFFD');
    expect(lines).toContain('\uFFFD Chen');
  });

  it('arbitrary strings (any code point, unpaired surrogates, controls) never break a document', async () => {
    const strings = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)), maxLength: 60 })), { numRuns: 300, seed: 4711 });
    const kit = await PdfKit.create(options({ title: strings[0]!, header: { municipality: strings[1]!, unit: strings[2]!, lines: [strings[3]!] } }));
    for (const s of strings.slice(0, 100)) kit.text(s, { bold: s.length % 2 === 0 });
    kit.table(
      [
        { heading: strings[4]!, width: 2, cell: (r: string) => r },
        { heading: strings[5]!, width: 1, overflow: 'ellipsis', cell: (r: string) => r },
        { heading: strings[6]!, width: 1, align: 'right', cell: (r: string) => [r, r] },
      ],
      strings.slice(100),
    );
    const out = await kit.save();
    expect(out.pages).toBeGreaterThan(1);
    expect(() => new PdfFile(dir, 'fuzz.pdf', out.bytes).text()).not.toThrow();
  });
});

describe('measuring', () => {
  it('the kit’s widths equal pdf-lib’s own layout widths, and simple text encodes character by character as pdf-lib lays it out', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const ranges = [
      [0x20, 0x7e],
      [0xa0, 0x24f],
      [0x370, 0x3ff],
      [0x400, 0x4ff],
      [0x1e00, 0x1eff],
      [0x2000, 0x206f],
      [0x300, 0x36f],
      [0x600, 0x6ff],
    ] as const;
    const char = fc.constantFrom(...ranges).chain(([lo, hi]) => fc.integer({ min: lo, max: hi }).map((cp) => String.fromCodePoint(cp)));
    const corpus = [...NAMES, 'office fi fl ffi', 'Ahmed Öberg 2026-11-23 070-123 45 67 12 345,00 kr …', 'محمد علي', 'i\u0301 j\u0308', ...fc.sample(fc.string({ unit: char, maxLength: 30 }), { numRuns: 400, seed: 1 })];
    const kit = await PdfKit.create(options());
    for (const bold of [false, true]) {
      const font = await doc.embedFont(fontBytes(bold ? 'bold' : 'regular'), { subset: true, features: LAYOUT_FEATURES });
      for (const raw of corpus) {
        // As drawn: prepared for the face (NFC, invisible format characters dropped, "�" for the rest).
        const text = kit.fit(raw, Infinity, { bold });
        expect(kit.widthOf(text, { size: 9, bold }), JSON.stringify(text)).toBeCloseTo(font.widthOfTextAtSize(text, 9), 9);
        if (isSimpleText(text)) {
          const perChar = [...text].map((c) => font.encodeText(c).asString()).join('');
          expect(perChar, JSON.stringify(text)).toBe(font.encodeText(text).asString());
        }
      }
    }
  });
});

describe('tables', () => {
  interface Fee {
    name: string;
    months: number;
    amount: string;
  }
  const fees: Fee[] = Array.from({ length: 240 }, (_, i) => ({
    name: i % 10 === 0 ? `Đorđević-Ахмедов Øystein Ågren Łukasz Żółć Nguyễn Thị Ánh ${i}` : `Barn ${i}`,
    months: (i % 12) + 1,
    amount: ((i * 7919) % 100000).toLocaleString('sv-SE', { minimumFractionDigits: 2 }).replace(/\s/g, '\u00A0'),
  }));
  const columns = [
    { heading: 'Namn', width: 0.35, cell: (r: Fee) => r.name },
    { heading: 'Avgiftsgrupp', width: 0.25, overflow: 'ellipsis' as const, cell: () => 'Förskola heltid med syskonrabatt 2' },
    { heading: 'Månader', width: 0.15, align: 'right' as const, cell: (r: Fee) => String(r.months) },
    { heading: 'Belopp', width: 0.25, align: 'right' as const, cell: (r: Fee) => `${r.amount} kr` },
  ];

  it('paginate with the header row on every page, page x of y, every row once and in order', async () => {
    const kit = await PdfKit.create(options());
    kit.text('Avgifter november');
    kit.table(columns, fees);
    const out = await kit.save();
    const file = new PdfFile(dir, 'table.pdf', out.bytes);
    const pages = file.pages();
    expect(pages).toHaveLength(out.pages);
    expect(out.pages).toBeGreaterThan(4);
    pages.forEach((p, i) => {
      expect(p).toMatch(/Namn\s+Avgiftsgrupp\s+Månader\s+Belopp/);
      expect(p.match(/Sida \d+ av \d+/g)).toEqual([`Sida ${i + 1} av ${pages.length}`]);
      expect(p).toContain('Ekdala kommun · Ängsskolan');
      expect(p).toContain('Testdokument');
      expect(p).toContain('Utskriven av Karin Lind 2026-11-23 13:00');
    });
    // A short name ends its line ("Barn 7"); a long one wraps, its number ending the last line ("… Ánh 30").
    const order = [...file.layout().matchAll(/(?:^\s*Barn |Ánh )(\d+)\s/gm)].map((m) => Number(m[1]));
    expect(order).toEqual(fees.map((_, i) => i));
  });

  it('wrap long text inside its column, cut "ellipsis" columns with "…", and right-align numbers', async () => {
    const kit = await PdfKit.create(options());
    kit.table(columns, fees.slice(0, 40));
    const file = new PdfFile(dir, 'align.pdf', (await kit.save()).bytes);
    const words = file.words();
    const x0 = 40;
    const width = 595.28 - 80;
    const edges = [0, 0.35, 0.6, 0.75, 1].map((f) => x0 + f * width);
    // The long name wraps within the first column and all of it is there.
    const text = file.text();
    expect(text.replace(/\s+/g, ' ')).toContain('Đorđević-Ахмедов Øystein Ågren Łukasz Żółć Nguyễn Thị Ánh 30');
    const nameWords = words.filter((w) => w.xMin < edges[1]! && w.yMin > 100 && w.yMin < 780);
    for (const w of nameWords) expect(w.xMax).toBeLessThanOrEqual(edges[1]! + 0.5);
    // The fee group is one line per row, cut with "…" inside its column.
    const cut = words.filter((w) => w.text.endsWith('…'));
    expect(cut).toHaveLength(40);
    for (const w of cut) expect(w.xMax).toBeLessThanOrEqual(edges[2]! - 2.5);
    // Numbers: one right edge per column, left edges vary with the number of digits.
    const months = words.filter((w) => /^\d+$/.test(w.text) && w.xMin > edges[2]! && w.xMax <= edges[3]!);
    const krs = words.filter((w) => w.text === 'kr');
    expect(months).toHaveLength(40);
    expect(krs).toHaveLength(40);
    for (const col of [months, krs]) {
      const right = col.map((w) => w.xMax);
      expect(Math.max(...right) - Math.min(...right)).toBeLessThan(0.5);
      expect(Math.max(...right)).toBeCloseTo(edges[col === months ? 3 : 4]! - 3, 0);
    }
    expect(new Set(months.map((w) => Math.round(w.xMin))).size).toBeGreaterThan(1);
  });

  it('make a heading smaller rather than break a word that is too wide for its column', async () => {
    const kit = await PdfKit.create(options());
    kit.table(
      [
        { heading: 'Födelsedatum', width: 0.13, cell: (r: string) => r },
        { heading: 'Vårdnadshavare och kontakt', width: 0.25, cell: () => null },
        { heading: 'Rest', width: 0.62, cell: () => null },
      ],
      ['2017-05-05'],
    );
    const file = new PdfFile(dir, 'heading.pdf', (await kit.save()).bytes);
    const words = file.words().map((w) => w.text);
    expect(words).toContain('Födelsedatum');
    // A heading with spaces still wraps between its words at the body size.
    expect(file.layout()).toMatch(/Födelsedatum\s+Vårdnadshavare och\s+Rest\n\s+kontakt\n/);
  });

  it('split a row taller than a page across pages without losing a line; say so when there are no rows', async () => {
    const lines = Array.from({ length: 130 }, (_, i) => `Rad ${i + 1}`);
    const kit = await PdfKit.create(options());
    kit.table([{ heading: 'Händelse', width: 1, cell: (r: string[]) => r }], [lines]);
    kit.table([{ heading: 'Tom', width: 1, cell: (r: string) => r }], [], { empty: 'Inga rader.' });
    const out = await kit.save();
    const file = new PdfFile(dir, 'tall.pdf', out.bytes);
    expect(out.pages).toBeGreaterThan(1);
    expect([...file.text().matchAll(/^Rad (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(lines.map((_, i) => i + 1));
    for (const p of file.pages()) expect(p).toMatch(/Händelse|Tom/);
    expect(file.text()).toContain('Inga rader.');
  });
});

describe('document', () => {
  it('metadata: title, producer and creator Kansli, the caller’s time, the language, and no author', async () => {
    const kit = await PdfKit.create(options({ title: 'Klasslista – Ängsskolan – 3A', createdAt: '2026-11-23T09:15:00.000Z', lang: 'nb' }));
    const out = await kit.save();
    const info = new PdfFile(dir, 'meta.pdf', out.bytes).info();
    expect(info).toMatchObject({ Title: 'Klasslista – Ängsskolan – 3A', Producer: 'Kansli', Creator: 'Kansli', CreationDate: '2026-11-23T09:15:00Z', ModDate: '2026-11-23T09:15:00Z', Pages: '1' });
    expect(info.Author).toBeUndefined();
    const doc = await PDFDocument.load(out.bytes, { updateMetadata: false });
    expect(doc.getAuthor()).toBeUndefined();
    expect((doc.catalog.lookup(PDFName.of('Lang'), PDFString) as PDFString).decodeText()).toBe('nb');
  });

  it('the same input gives the same bytes; another document gets other subset tags', async () => {
    const make = async (title: string) => {
      const kit = await PdfKit.create(options({ title }));
      kit.text('Åsa Öberg');
      return (await kit.save()).bytes;
    };
    const [a, b, c] = [await make('A'), await make('A'), await make('B')];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const tags = (bytes: Uint8Array, name: string) => new PdfFile(dir, name, bytes).fonts().map((f) => f.name);
    expect(tags(a, 'a.pdf')).not.toEqual(tags(c, 'c.pdf'));
  });

  it('a document without content is one page with header and footer; a kit saves once; a bad time is refused', async () => {
    const kit = await PdfKit.create(options());
    const out = await kit.save();
    expect(out.pages).toBe(1);
    expect(new PdfFile(dir, 'empty.pdf', out.bytes).text()).toContain('Sida 1 av 1');
    await expect(kit.save()).rejects.toThrow(/already been saved/);
    await expect(PdfKit.create(options({ createdAt: 'igår' }))).rejects.toThrow(RangeError);
  });
});
