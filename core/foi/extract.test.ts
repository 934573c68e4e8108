/**
 * The redacted extract (core/foi/extract.ts, foi.extract) verified as a file: what was masked or withheld is
 * in no layer of the PDF. Each produced file is
 * - extracted with pdftotext (a disclosed control value must be found: the scan works);
 * - rewritten by `qpdf --qdf --object-streams=disable` (every stream decompressed) and scanned raw, which
 *   covers content streams, annotations, form fields, bookmarks, metadata and earlier revisions;
 * - checked in its fonts: the ToUnicode maps of the embedded subsets name every glyph the file can show; a
 *   character only the masked value has (ẞ) is not there, one only a disclosed value has (Ŧ) is;
 * - for a document: its page is an image (pdfimages), and the pixels under the masked region are black.
 * Needs poppler-utils (pdftotext, pdfimages, pdfinfo) and qpdf (both installed by .ci/run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { countryName, languageName } from '../../shared/i18n/names';

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
const failed = (r: CallResult) => {
  if (r.ok) throw new Error('expected a failure');
  return r.error as { code: string; rule?: string; field?: string };
};

const MASKED_STREET = 'Hemliggatan 12ẞ';
const DISCLOSED_CITY = 'KontrollstadŦ';
const WITHHELD_CONTACT = 'hemlig.adress@example.org';
const DOC_SECRET = 'DOKHEMLIGT';

let core: TestCore;
let foi: Connection;
let dir: string;
let request: string;
let pdf: Buffer;
let extracted: MethodOutput<'foi.extract'>;

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });

beforeAll(async () => {
  core = makeTestCore({ persons: 300, seed: 12 });
  dir = mkdtempSync(join(tmpdir(), 'kansli-extract-'));
  foi = core.connect('extract-foi');
  data(foi.call('auth.signIn', { username: 'foi', password: DEMO_PASSWORD }));
  const clerk = core.connect('extract-clerk');
  data(clerk.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
  const s = core.db.sqlite;
  const fam = s
    .prepare(
      `SELECT g.child_id AS child, g.guardian_id AS guardian FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
       WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_to IS NULL AND c.protection = 'none' AND c.shielded = 0
         AND a.protection = 'none' AND a.shielded = 0 AND EXISTS (SELECT 1 FROM person_address x WHERE x.person_id = c.id)
         AND EXISTS (SELECT 1 FROM placement x WHERE x.child_id = c.id AND x.deleted_at IS NULL) AND EXISTS (SELECT 1 FROM household_member x WHERE x.person_id = c.id AND x.deleted_at IS NULL)
         -- No other link of the child's is proposed masked (a shielded guardianship, a protected or shielded
         -- guardian, ended links too): the counts below are the test's own masks only.
         AND NOT EXISTS (SELECT 1 FROM guardianship o JOIN person og ON og.id = o.guardian_id WHERE o.child_id = c.id AND (o.shielded = 1 OR og.protection <> 'none' OR og.shielded = 1))
       ORDER BY c.id LIMIT 1`,
    )
    .get() as { child: string; guardian: string };
  // The control values, in the child's current address and a contact of theirs.
  const address = s.prepare('SELECT id FROM person_address WHERE person_id = ? ORDER BY valid_from DESC LIMIT 1').pluck().get(fam.child) as string;
  s.prepare('UPDATE person_address SET street = ?, city = ? WHERE id = ?').run(MASKED_STREET, DISCLOSED_CITY, address);
  s.prepare(
    `INSERT INTO person_contact (id, person_id, kind, value, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'email', ?, '2025-01-01', NULL, 1, 'x', 'test', 'x', 'test')`,
  ).run(crypto.randomUUID(), fam.child, WITHHELD_CONTACT);
  // A document whose top half holds the secret and is masked.
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(DOC_SECRET, { x: 60, y: 760, size: 28, font });
  page.drawText('Beslut om plats', { x: 60, y: 300, size: 18, font });
  const upload = await core.services.files.receive({ kind: 'document', ownerId: clerk.session.actor!.id, name: 'beslut.pdf', source: Readable.from([Buffer.from(await doc.save())]) });
  data(await clerk.callAsync('document.add', { personId: fam.child, fileId: upload.id, title: 'Beslut om plats', kind: 'decision', documentDate: TEST_TODAY, classification: 'open', retentionClass: 'years_5' }));

  request = data<{ id: string }>(
    foi.call('foi.requestCreate', {
      kind: 'gdpr_access',
      receivedOn: TEST_TODAY,
      channel: 'counter',
      requesterKind: 'guardian',
      requesterPersonId: fam.guardian,
      identityVerified: 'register_custody',
      language: 'sv',
      askedFor: 'Allt om mitt barn',
      persons: [{ personId: fam.child, role: 'subject' }],
    }),
  ).id;
  data(foi.call('foi.gather', { requestId: request }));
  // Before the review is complete there is no extract.
  expect(failed(await foi.callAsync('foi.extract', { requestId: request }))).toMatchObject({ rule: 'foi_move' });
  data(foi.call('foi.requestMove', { id: request, version: data<{ version: number }>(foi.call('foi.request', { id: request })).version, to: 'review' }));
  expect(failed(await foi.callAsync('foi.extract', { requestId: request }))).toMatchObject({ rule: 'foi_review_incomplete' });

  const items = data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: request, limit: 500 })).items;
  const addr = items.find((i) => i.recordId === address)!;
  data(foi.call('foi.review', { id: addr.id, version: addr.version, outcome: 'mask', fields: { street: { outcome: 'mask', ground: 'se_osl_23_2' } }, reason: 'Barnets bostad' }));
  const contact = items.find((i) => i.category === 'contact' && i.fields.some((f) => f.value === WITHHELD_CONTACT))!;
  data(foi.call('foi.review', { id: contact.id, version: contact.version, outcome: 'withhold', ground: 'gdpr_15_4', reason: 'Annans uppgift' }));
  const document = items.find((i) => i.category === 'document')!;
  data(foi.call('foi.review', { id: document.id, version: document.version, outcome: 'mask', regions: [{ page: 1, x: 0.05, y: 0.05, w: 0.9, h: 0.15, ground: 'se_osl_23_2' }], reason: 'Uppgift om hälsa' }));
  const rest = data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: request, limit: 500 })).items.filter((i) => i.review === null);
  const accepted = data<MethodOutput<'foi.reviewAccept'>>(foi.call('foi.reviewAccept', { requestId: request, items: rest.map((i) => ({ id: i.id, version: i.version })) }));
  expect(accepted.skipped).toEqual([]);
  extracted = data<MethodOutput<'foi.extract'>>(await foi.callAsync('foi.extract', { requestId: request }));
  pdf = readFileSync(core.services.files.pathOf(core.services.files.get(extracted.file.fileId, foi.session.actor!.id)));
  writeFileSync(join(dir, 'extract.pdf'), pdf);
}, 60_000);
afterAll(() => core?.dispose());

describe('the extract', () => {
  it('is a PDF of the reviewed items with a redaction log, its counts as drawn', () => {
    expect(extracted.file.mime).toBe('application/pdf');
    expect(extracted.masked).toBe(2); // the street and the document's region
    expect(extracted.withheld).toBe(1); // the contact
    const text = sh('pdftotext', ['-enc', 'UTF-8', join(dir, 'extract.pdf'), '-']);
    const utf8 = Buffer.from(text, 'latin1').toString('utf8');
    expect(utf8).toContain(DISCLOSED_CITY);
    expect(utf8).toContain('Redaktionslogg');
    expect(utf8).toContain('[OSL 23:2]');
    expect(utf8).toContain('Kontaktuppgift: undantagen enligt GDPR art. 15.4');
    expect(utf8).toContain('Barnets bostad');
    for (const secret of [MASKED_STREET, 'Hemliggatan', WITHHELD_CONTACT, DOC_SECRET]) expect(utf8).not.toContain(secret);
  });

  it('names coded values and households for the reader: no raw code, no id; records of a category by day', () => {
    const utf8 = Buffer.from(sh('pdftotext', ['-enc', 'UTF-8', '-layout', join(dir, 'extract.pdf'), '-']), 'latin1').toString('utf8');
    const s = core.db.sqlite;
    const child = s.prepare('SELECT person_id FROM foi_request_person WHERE request_id = ?').pluck().get(request) as string;
    // The household by its number in the extract, never a piece of its id.
    const households = s.prepare('SELECT DISTINCT household_id FROM household_member WHERE person_id = ? AND deleted_at IS NULL').pluck().all(child) as string[];
    expect(households.length).toBeGreaterThan(0);
    expect(utf8).toMatch(/Hushåll 1\b/);
    for (const h of households) expect(utf8).not.toContain(h.slice(0, 8));
    // A placement's state and a household member's role by their names, not their codes.
    const states = s.prepare('SELECT DISTINCT state FROM placement WHERE child_id = ? AND deleted_at IS NULL').pluck().all(child) as string[];
    expect(states.length).toBeGreaterThan(0);
    const named: Record<string, string> = { accepted: 'Antagen', offered: 'Erbjuden', declined: 'Tackat nej' };
    for (const st of states) expect(utf8).toContain(named[st]!);
    expect(utf8).toMatch(/Roll\s+Barn/);
    for (const code of [' accepted', ' adult', ' charge', ' queued']) expect(utf8).not.toContain(code);
    // Citizenship and mother tongue by name in the requester's language (Sverige, svenska), not as ISO codes.
    const p = s.prepare('SELECT nationality, mother_tongue FROM person WHERE id = ?').get(child) as { nationality: string | null; mother_tongue: string | null };
    if (p.nationality) expect(utf8).toMatch(new RegExp(`Medborgarskap\\s+${countryName(p.nationality, 'sv')}`));
    if (p.mother_tongue) expect(utf8).toMatch(new RegExp(`Modersmål\\s+${languageName(p.mother_tongue, 'sv')}`));
    if (p.mother_tongue === 'sv') expect(utf8).toMatch(/Modersmål\s+Svenska/);
    expect(p.nationality ?? p.mother_tongue).not.toBeNull();
    // Within a category, the earliest record first: the addresses' from-days ascend as printed.
    const froms = (s.prepare('SELECT valid_from FROM person_address WHERE person_id = ? ORDER BY valid_from').pluck().all(child) as string[]).filter((d, n, a) => a.indexOf(d) === n);
    const at = froms.map((d) => utf8.indexOf(d));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('holds no masked or withheld value in any decompressed object, stream or metadata (qpdf --qdf)', () => {
    sh('qpdf', ['--qdf', '--object-streams=disable', join(dir, 'extract.pdf'), join(dir, 'qdf.pdf')]);
    const raw = readFileSync(join(dir, 'qdf.pdf'));
    for (const secret of ['Hemliggatan', 'hemlig.adress', DOC_SECRET]) {
      expect(raw.includes(Buffer.from(secret, 'latin1')), secret).toBe(false);
      expect(raw.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16)`).toBe(false);
    }
    const info = sh('pdfinfo', [join(dir, 'extract.pdf')]);
    expect(info).toMatch(/Title:\s+Registerutdrag 2026-11-23/);
    expect(info).toMatch(/Producer:\s+Kansli/);
    expect(info).not.toMatch(/Author/);
  });

  it('its fonts hold no glyph only a masked value has (ẞ), and do hold one only a disclosed value has (Ŧ)', () => {
    const raw = readFileSync(join(dir, 'qdf.pdf'), 'latin1');
    // The subsets' ToUnicode maps: "<glyph> <unicode>" pairs in hex.
    const maps = [...raw.matchAll(/begincmap[\s\S]*?endcmap/g)].map((m) => m[0]);
    expect(maps.length).toBeGreaterThan(0);
    const all = maps.join('\n').toUpperCase();
    expect(all).toContain('<0166>'); // Ŧ, disclosed in the town
    expect(all).not.toContain('<1E9E>'); // ẞ, only in the masked street
  });

  it('the document is a new image with the masked region black in its pixels', async () => {
    sh('pdfimages', ['-png', join(dir, 'extract.pdf'), join(dir, 'img')]);
    const images = readdirSync(dir).filter((f) => f.startsWith('img') && f.endsWith('.png'));
    expect(images).toHaveLength(1);
    const { loadImage, createCanvas } = await import('@napi-rs/canvas');
    const img = await loadImage(readFileSync(join(dir, images[0]!)));
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    // Inside the region (5–95 % across, 5–20 % down) but above and below its label's line: black, every
    // pixel of a sampled grid (the secret text sat across the region's upper half).
    for (let fx = 0.06; fx < 0.94; fx += 0.04) {
      for (const fy of [0.06, 0.07, 0.08, 0.09, 0.1, 0.15, 0.16, 0.17, 0.18, 0.19]) {
        const [r, g, b] = ctx.getImageData(Math.floor(fx * img.width), Math.floor(fy * img.height), 1, 1).data;
        expect([r, g, b], `pixel at ${fx.toFixed(2)}, ${fy.toFixed(2)}`).toEqual([0, 0, 0]);
      }
    }
    // The label on the mask: its ground's citation in white (some light pixels in the middle band only).
    const band = ctx.getImageData(Math.floor(0.05 * img.width), Math.floor(0.11 * img.height), Math.floor(0.3 * img.width), Math.floor(0.03 * img.height)).data;
    let light = 0;
    for (let i = 0; i < band.length; i += 4) if (band[i]! > 200) light++;
    expect(light).toBeGreaterThan(20);
    // Outside it the page is there: some dark text pixels of "Beslut om plats" lower down, mostly white.
    const lower = ctx.getImageData(0, Math.floor(0.55 * img.height), img.width, Math.floor(0.1 * img.height)).data;
    let dark = 0;
    for (let i = 0; i < lower.length; i += 4) if (lower[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(100);
    expect(dark).toBeLessThan(lower.length / 4 / 4);
  });

  it('is refused to an officer without protected.reveal when it would disclose a protected person\'s whereabouts', async () => {
    const s = core.db.sqlite;
    // The child becomes protected after the review: the reviewed disclosure of their town now needs a reveal.
    const child = s.prepare(`SELECT person_id FROM foi_request_person WHERE request_id = ?`).pluck().get(request) as string;
    s.prepare(`UPDATE person SET protection = 'se_skyddad_folkbokforing' WHERE id = ?`).run(child);
    try {
      // The identity changed under its review: reviewed again (withheld needs no reveal), then the extract.
      expect(failed(await foi.callAsync('foi.extract', { requestId: request }))).toMatchObject({ rule: 'foi_review_incomplete' });
      const identity = data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: request, category: 'identity' })).items[0]!;
      data(foi.call('foi.review', { id: identity.id, version: identity.version, outcome: 'withhold', ground: 'se_osl_21_3' }));
      expect(failed(await foi.callAsync('foi.extract', { requestId: request }))).toMatchObject({ code: 'forbidden', field: 'requestId' });
    } finally {
      s.prepare(`UPDATE person SET protection = 'none' WHERE id = ?`).run(child);
    }
  });

  it('the decision letter states each withheld or masked part with its ground, the decision-maker and how to appeal; nothing masked is in it', async () => {
    const version = () => data<{ version: number }>(foi.call('foi.request', { id: request })).version;
    // The identity changed twice in the test above: reviewed again as it is now.
    for (const i of data<MethodOutput<'foi.items'>>(foi.call('foi.items', { requestId: request, limit: 500 })).items.filter((x) => x.review?.stale)) {
      data(foi.call('foi.review', { id: i.id, version: i.version, outcome: 'disclose' }));
    }
    expect(failed(await foi.callAsync('foi.decisionLetter', { requestId: request }))).toMatchObject({ rule: 'foi_move' });
    expect(failed(await foi.callAsync('foi.disclose', { requestId: request, version: version(), channel: 'letter' }))).toMatchObject({ rule: 'foi_move' });
    data(foi.call('foi.requestMove', { id: request, version: version(), to: 'decision' }));
    data(foi.call('foi.requestMove', { id: request, version: version(), to: 'decided' }));
    const letter = data<MethodOutput<'foi.decisionLetter'>>(await foi.callAsync('foi.decisionLetter', { requestId: request }));
    const path = join(dir, 'letter.pdf');
    writeFileSync(path, readFileSync(core.services.files.pathOf(core.services.files.get(letter.file.fileId, foi.session.actor!.id))));
    const text = Buffer.from(sh('pdftotext', ['-enc', 'UTF-8', path, '-']), 'latin1').toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain('Begäran bifalls delvis');
    expect(text).toContain('GDPR art. 15.4');
    expect(text).toContain('OSL 23:2');
    expect(text).toContain('Beslutet har fattats av Fia Insyn (demo)');
    expect(text).toContain('förvaltningsrätten');
    expect(text).toContain('inom tre veckor');
    for (const secret of ['Hemliggatan', WITHHELD_CONTACT, DOC_SECRET]) expect(text).not.toContain(secret);
    sh('qpdf', ['--qdf', '--object-streams=disable', path, join(dir, 'letter-qdf.pdf')]);
    const raw = readFileSync(join(dir, 'letter-qdf.pdf'));
    for (const secret of ['Hemliggatan', 'hemlig.adress', DOC_SECRET]) expect(raw.includes(Buffer.from(secret, 'latin1'))).toBe(false);
  });

  it('the disclosure is logged once per disclosure with the extract\'s hash and the persons it held; the log answers by request and by person', async () => {
    const version = data<{ version: number }>(foi.call('foi.request', { id: request })).version;
    const logged = data<{ id: string }>(await foi.callAsync('foi.disclose', { requestId: request, version, channel: 'letter' }));
    const list = data<MethodOutput<'foi.disclosures'>>(foi.call('foi.disclosures', { requestId: request })).items;
    expect(list).toMatchObject([{ id: logged.id, requestId: request, kind: 'gdpr_access', disclosedOn: TEST_TODAY, channel: 'letter', recipientKind: 'guardian', masked: 2, withheld: 1, decidedOn: TEST_TODAY, decidedByName: 'Fia Insyn (demo)' }]);
    expect(list[0]!.extractSha256).toMatch(/^[0-9a-f]{64}$/);
    const child = core.db.sqlite.prepare(`SELECT person_id FROM foi_request_person WHERE request_id = ?`).pluck().get(request) as string;
    expect(data<MethodOutput<'foi.disclosures'>>(foi.call('foi.disclosures', { personId: child })).items.map((d) => d.id)).toEqual([logged.id]);
    // Append-only: the contract has no method that changes or removes a disclosure.
    const { METHOD_NAMES } = await import('../../shared/api/methods');
    expect(METHOD_NAMES.filter((m) => m.startsWith('foi.disclos'))).toEqual(['foi.disclose', 'foi.disclosures']);
    // A later subject-access extract about the child lists it by the category of recipient.
    const again = await foi.callAsync('foi.extract', { requestId: request });
    const f = data<MethodOutput<'foi.extract'>>(again).file;
    const path = join(dir, 'again.pdf');
    writeFileSync(path, readFileSync(core.services.files.pathOf(core.services.files.get(f.fileId, foi.session.actor!.id))));
    expect(Buffer.from(sh('pdftotext', ['-enc', 'UTF-8', path, '-']), 'latin1').toString('utf8')).toContain(`${TEST_TODAY}: till en vårdnadshavare (registerutdrag)`);
  });
});
