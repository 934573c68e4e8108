/**
 * The demo's documents (issue 13): letters about the child of the demo's guardian subject-access request, so
 * an FOI officer trying the demo finds documents to review and regions to draw (a letter naming the child,
 * and a confidential decision about special support). Synthetic text about the demo's synthetic persons.
 *
 * The PDFs are written here byte by byte (one A4 page, the standard Helvetica fonts in WinAnsi encoding,
 * an exact cross-reference table): the demo is seeded inside a synchronous transaction, where pdf-lib's
 * asynchronous writer cannot run. pdfjs-dist opens and renders them like any attached file (tested).
 */
import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { formatIdentityNumber } from '../../shared/identity';

const ACTOR = 'demo-seed';

/** WinAnsi's characters beyond Latin-1 that the demo's texts may use, at their byte. */
const WIN_ANSI: Readonly<Record<string, string>> = { '€': '\x80', '‘': '\x91', '’': '\x92', '“': '\x93', '”': '\x94', '–': '\x96', '—': '\x97' };

/** A text line for a PDF string in WinAnsi: its specials escaped, characters WinAnsi lacks as '?'. */
function pdfText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const b = WIN_ANSI[ch] ?? (c <= 0xff ? ch : '?');
    out += b === '\\' || b === '(' || b === ')' ? `\\${b}` : b;
  }
  return out;
}

/**
 * A one-page letter: a heading in bold and the lines below it in 11 pt (an empty line is a gap). The PDF's
 * bytes, ready to store; the same input gives the same bytes.
 */
export function demoLetterPdf(heading: string, lines: readonly string[]): Buffer {
  let y = 770;
  const ops: string[] = ['BT', '/F2 16 Tf', `60 ${y} Td`, `(${pdfText(heading)}) Tj`, 'ET'];
  y -= 36;
  for (const line of lines) {
    if (line !== '') ops.push('BT', '/F1 11 Tf', `60 ${y} Td`, `(${pdfText(line)}) Tj`, 'ET');
    y -= line === '' ? 10 : 16;
  }
  const content = Buffer.from(ops.join('\n'), 'latin1');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  const push = (b: Buffer) => {
    parts.push(b);
    at += b.length;
  };
  objects.forEach((o, i) => {
    offsets.push(at);
    push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
  });
  offsets.push(at);
  push(Buffer.concat([Buffer.from(`6 0 obj\n<< /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream\nendobj\n', 'latin1')]));
  const xref = at;
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  push(Buffer.from(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

interface DemoDocument {
  title: string;
  kind: 'decision' | 'letter';
  classification: 'open' | 'confidential';
  ground: string | null;
  fileName: string;
  documentDate: string;
  pdf: Buffer;
}

/**
 * Two documents about a child (inside the caller's transaction): a decision on their place, open, and a
 * decision on special support, confidential on the secrecy ground for the school's pupil welfare. Returns
 * how many were seeded (0 when the child is not in the register).
 */
export function seedDemoDocuments(sqlite: Database.Database, opts: { childId: string; country: 'SE' | 'NO'; today: string; now: string }): number {
  const child = sqlite.prepare('SELECT given_name, family_name, id_canonical FROM person WHERE id = ?').get(opts.childId) as
    | { given_name: string; family_name: string; id_canonical: string | null }
    | undefined;
  if (!child) return 0;
  const place = sqlite
    .prepare(
      `SELECT u.name AS unit, p.valid_from FROM placement p JOIN org_unit u ON u.id = p.unit_id WHERE p.child_id = ? AND p.deleted_at IS NULL ORDER BY p.valid_from DESC LIMIT 1`,
    )
    .get(opts.childId) as { unit: string; valid_from: string } | undefined;
  const municipality = (sqlite.prepare('SELECT name FROM municipality LIMIT 1').pluck().get() as string | undefined) ?? '';
  const name = `${child.given_name} ${child.family_name}`;
  const id = child.id_canonical ? formatIdentityNumber(child.id_canonical, { today: opts.today }) : '';
  const sv = opts.country === 'SE';
  const unit = place?.unit ?? (sv ? 'förskolan' : 'barnehagen');
  const from = place?.valid_from ?? opts.today;
  const docs: DemoDocument[] = sv
    ? [
        {
          title: 'Beslut om placering',
          kind: 'decision',
          classification: 'open',
          ground: null,
          fileName: 'beslut-placering.pdf',
          documentDate: from,
          pdf: demoLetterPdf(`${municipality}: Beslut om placering`, [
            `Barn: ${name}`,
            `Personnummer: ${id}`,
            '',
            `Barnet erbjuds plats vid ${unit} från och med ${from}.`,
            'Platsen ska bekräftas inom två veckor.',
            '',
            'Beslutet kan överklagas till förvaltningsrätten inom tre veckor.',
            '',
            'Handläggare: Kim Kanslist (demo)',
          ]),
        },
        {
          title: 'Beslut om särskilt stöd',
          kind: 'decision',
          classification: 'confidential',
          ground: 'OSL 23:2',
          fileName: 'beslut-sarskilt-stod.pdf',
          documentDate: opts.today,
          pdf: demoLetterPdf(`${municipality}: Beslut om särskilt stöd`, [
            `Elev: ${name}`,
            `Personnummer: ${id}`,
            '',
            'Utredningen visar behov av särskilt stöd i läsning och skrivning (demo).',
            'Stödet ges två timmar i veckan av speciallärare.',
            '',
            'Uppgifterna omfattas av sekretess enligt OSL 23 kap. 2 §.',
          ]),
        },
      ]
    : [
        {
          title: 'Vedtak om plass',
          kind: 'decision',
          classification: 'open',
          ground: null,
          fileName: 'vedtak-plass.pdf',
          documentDate: from,
          pdf: demoLetterPdf(`${municipality}: Vedtak om plass`, [
            `Barn: ${name}`,
            `Fødselsnummer: ${id}`,
            '',
            `Barnet tilbys plass ved ${unit} fra ${from}.`,
            'Plassen må bekreftes innen to uker.',
            '',
            'Vedtaket kan påklages innen tre uker.',
            '',
            'Saksbehandler: Kim Kanslist (demo)',
          ]),
        },
        {
          title: 'Vedtak om spesialundervisning',
          kind: 'decision',
          classification: 'confidential',
          ground: 'offl. § 13',
          fileName: 'vedtak-spesialundervisning.pdf',
          documentDate: opts.today,
          pdf: demoLetterPdf(`${municipality}: Vedtak om spesialundervisning`, [
            `Elev: ${name}`,
            `Fødselsnummer: ${id}`,
            '',
            'Den sakkyndige vurderingen viser behov for spesialundervisning i lesing (demo).',
            'Eleven får to timer i uken med spesialpedagog.',
            '',
            'Opplysningene er underlagt taushetsplikt, offl. § 13 jf. fvl. § 13.',
          ]),
        },
      ];
  const insContent = sqlite.prepare(`INSERT OR IGNORE INTO document_content (sha256, mime, size, bytes, created_at) VALUES (?, 'application/pdf', ?, ?, ?)`);
  const insDocument = sqlite.prepare(
    `INSERT INTO person_document (id, person_id, title, kind, document_date, classification, classification_ground, retention_class, file_name, mime, size, pages, content_sha256, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'application/pdf', ?, 1, ?, 1, ?, ?, ?, ?)`,
  );
  for (const d of docs) {
    const sha = createHash('sha256').update(d.pdf).digest('hex');
    insContent.run(sha, d.pdf.length, d.pdf, opts.now);
    insDocument.run(randomUUID(), opts.childId, d.title, d.kind, d.documentDate, d.classification, d.ground, d.classification === 'open' ? 'years_10' : 'permanent', d.fileName, d.pdf.length, sha, opts.now, ACTOR, opts.now, ACTOR);
  }
  return docs.length;
}
