/**
 * Documents held about a person (core/documents/handlers.ts, core/documents/content.ts; issue 13) on a real
 * core over a Swedish demo register: who may (the register's grants in the person's scope; nothing for the
 * auditor or the system administrator), document.add's record, content and change log, the upload's end,
 * every refusal by its rule id and field with nothing written, the list's order and what is withheld for a
 * protected or shielded person, update and remove with their versions, opening (the bytes as attached, a
 * logged reason for a protected person, `unavailable` without the content), the content checks on files
 * made here (pdf-lib, @napi-rs/canvas, a hand-written encrypted PDF), and the sync's view of a document
 * (its aggregate, the feed's projection, a joined workstation's routing of attach and open to the server).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import type { UploadKind } from '../../shared/domain/files';
import { DEMO_PASSWORD } from '../access/auth';
import { PersonScope } from '../access/scope';
import { base32Decode, totpAt } from '../access/totp';
import { createCore, dataPaths, type Connection } from '../app';
import { fixedClock } from '../context';
import { aggregateOf } from '../sync/records';
import { Projection, type Visibility } from '../../server/engine/projection';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { inspectDocument, sniffMime } from './content';

type List = MethodOutput<'document.list'>;
type Written = MethodOutput<'document.add'>;
type Opened = MethodOutput<'document.open'>;
type ApiErr = Extract<CallResult, { ok: false }>['error'];
type Input = Record<string, unknown>;

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
const failed = (r: CallResult): ApiErr => {
  if (r.ok) throw new Error(`unexpectedly succeeded: ${JSON.stringify(r.data).slice(0, 300)}`);
  return r.error;
};
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The fixed clock's time stamp of every write (test/util/core.ts fixedClock). */
const NOW = `${TEST_TODAY}T12:00:00.000Z`;
const CLERK_NAME = 'Kim Kanslist (demo)';
const CLERK_ALL_NAME = 'Kari Kanslist (demo)';
const PROTECTED_NAME = 'Pia Behörig (demo)';

// ---------- the files ----------

/** A PDF of `pages` pages of Helvetica text (pdf-lib; object streams as its default writes them). */
async function makePdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) doc.addPage([300, 300]).drawText(`Beslut sida ${n}`, { x: 30, y: 150, size: 14, font });
  return Buffer.from(await doc.save());
}

/**
 * A minimal PDF written by hand with a correct xref: one text page, or a page tree whose second kid is not a
 * page (`badKid`: the document opens, its page 2 does not), or a standard security handler (/Encrypt, R2)
 * whose /U and /O match no password, the empty one included: a reader asks for the password.
 */
function handPdf(opts: { encrypt?: boolean; badKid?: boolean } = {}): Buffer {
  const content = 'BT /F1 12 Tf 20 100 Td (Hej) Tj ET';
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    opts.badKid ? '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>' : '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  if (opts.encrypt) objs.push(`<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  const encrypt = opts.encrypt ? ` /Encrypt 5 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]` : '';
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function crc32(b: Buffer): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A valid PNG with a tEXt chunk (right after IHDR) holding `text`. */
function pngWithText(png: Buffer, keyword: string, text: string): Buffer {
  const body = Buffer.from(`${keyword}\0${text}`, 'latin1');
  const type = Buffer.from('tEXt', 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, body])));
  // Signature (8) + IHDR chunk (4 + 4 + 13 + 4) = 33 bytes.
  return Buffer.concat([png.subarray(0, 33), len, type, body, crc, png.subarray(33)]);
}

let onePdf: Buffer;
/** The 1-page PDF's length and hash when it was made, before anything read it. */
let onePdfAsMade: { length: number; sha: string };
let threePdf: Buffer;
let pdf300: Buffer;
let pdf301: Buffer;
let encryptedPdf: Buffer;
/** The 1-page PDF cut short: its cross-reference and trailer are gone. */
let truncatedPdf: Buffer;
/** The 1-page PDF with its cross-reference section's keyword and offsets overwritten by junk. */
let corruptXrefPdf: Buffer;
/** Opens, but its page 2 is not a page. */
let badPagePdf: Buffer;
/** A scanner's few bytes of header before "%PDF-", otherwise the valid 1-page PDF. */
let junkThenPdf: Buffer;
let png: Buffer;
let jpeg: Buffer;
/** 12 001 × 1 pixels: one over the limit, a few hundred bytes. */
let widePng: Buffer;
/** 1 × 12 000 pixels: exactly at the limit. */
let tallPngAtLimit: Buffer;
const textFile = Buffer.from('Det här är en textfil, inte en PDF.\nRad två.\n', 'utf8');

// ---------- the register ----------

let core: TestCore;
let clerk: Connection;
let clerkAll: Connection;
let prot: Connection;
const ids: Record<string, string> = {};
/** Unprotected, unshielded persons connected to the clerk's unit: each test takes its own. */
let inUnit: string[] = [];
/** Unprotected, unshielded children outside the clerk's unit. */
let outside: string[] = [];
/** Unprotected, unshielded persons (any unit) for the municipality-wide clerk: each test takes its own. */
let others: string[] = [];
let protectedPerson: string;
/** Protection 'none', shielded = 1 (shares a protected person's home): set here, the demo has none at this size. */
let shieldedPerson: string;

function signIn(username: string): Connection {
  const c = core.connect(`documents-${username}`);
  const status = data<{ state: string }>(c.call('auth.signIn', { username, password: DEMO_PASSWORD }));
  if (status.state === 'enrol_totp') {
    // The administrator's role requires two-factor sign-in: enrolled here, then signed in.
    const { secret } = data<{ secret: string }>(c.call('auth.totpBegin', {}));
    data(c.call('auth.totpConfirm', { code: totpAt(base32Decode(secret), Date.now()) }));
  }
  expect([username, c.session.state]).toEqual([username, 'signed_in']);
  ids[username] = c.session.actor!.id;
  return c;
}

async function upload(ownerId: string, bytes: Uint8Array, name: string, kind: UploadKind = 'document'): Promise<string> {
  return (await core.services.files.receive({ kind, ownerId, name, source: Readable.from([Buffer.from(bytes)]) })).id;
}

const uploadExists = (id: string, ownerId: string): boolean => {
  try {
    core.services.files.get(id, ownerId);
    return true;
  } catch {
    return false;
  }
};

/** A described decision, confidential with its ground. */
const DESCRIBED = {
  title: 'Beslut om särskilt stöd',
  kind: 'decision',
  documentDate: '2026-11-02',
  classification: 'confidential',
  classificationGround: 'OSL 23:2',
  retentionClass: 'permanent',
} as const;

async function addAs(c: Connection, personId: string, fileId: string, over: Input = {}): Promise<CallResult> {
  return c.callAsync('document.add', { personId, fileId, ...DESCRIBED, ...over });
}

/** Uploads `bytes` as `c`'s user and attaches them; returns the new document's id. */
async function attach(c: Connection, personId: string, bytes: Uint8Array, over: Input = {}, name = 'beslut.pdf'): Promise<string> {
  const fileId = await upload(c.session.actor!.id, bytes, name);
  return data<Written>(await addAs(c, personId, fileId, over)).id;
}

const docRow = (id: string) => core.db.sqlite.prepare('SELECT * FROM person_document WHERE id = ?').get(id) as Record<string, unknown> | undefined;
const contentRow = (sha: string) => core.db.sqlite.prepare('SELECT * FROM document_content WHERE sha256 = ?').get(sha) as { sha256: string; mime: string; size: number; bytes: Buffer; created_at: string } | undefined;
const count = (sql: string, ...params: unknown[]) => core.db.sqlite.prepare(sql).pluck().get(...params) as number;
const documentCount = () => count('SELECT count(*) FROM person_document');
const contentCount = () => count('SELECT count(*) FROM document_content');
const list = (c: Connection, personId: string) => data<List>(c.call('document.list', { personId }));
/** The whole audit log as text: every column a value could land in. */
const auditMentions = (s: string) =>
  count(`SELECT count(*) FROM audit_log WHERE instr(coalesce(actor_name,'') || method || coalesce(person_ids,'') || coalesce(details,'') || coalesce(reason,'') || coalesce(workstation,''), ?) > 0`, s);
const lastAudit = (method: string) =>
  core.db.sqlite.prepare(`SELECT action, outcome, person_ids, details, reason, actor_id FROM audit_log WHERE method = ? ORDER BY seq DESC LIMIT 1`).get(method) as {
    action: string;
    outcome: string;
    person_ids: string;
    details: string;
    reason: string | null;
    actor_id: string;
  };

beforeAll(async () => {
  onePdf = await makePdf(1);
  onePdfAsMade = { length: onePdf.length, sha: sha256(onePdf) };
  threePdf = await makePdf(3);
  pdf300 = await makePdf(300);
  pdf301 = await makePdf(301);
  encryptedPdf = handPdf({ encrypt: true });
  badPagePdf = handPdf({ badKid: true });
  truncatedPdf = onePdf.subarray(0, Math.floor(onePdf.length * 0.6));
  const text = onePdf.toString('latin1');
  const at = text.lastIndexOf('startxref');
  // pdf-lib writes a cross-reference stream: the offset after startxref is overwritten, and so is the stream's dictionary.
  const xrefAt = Number(/startxref\s+(\d+)/.exec(text.slice(at))![1]);
  const broken = Buffer.from(onePdf);
  broken.write('garbage garbage garbage', xrefAt, 'latin1');
  broken.write('startxref\n99999999\n', at, 'latin1');
  corruptXrefPdf = broken;
  junkThenPdf = Buffer.concat([Buffer.from('SCANNER-HDR v2\r\n', 'latin1'), onePdf]);
  png = createCanvas(40, 30).toBuffer('image/png');
  jpeg = createCanvas(40, 30).toBuffer('image/jpeg');
  widePng = createCanvas(12_001, 1).toBuffer('image/png');
  tallPngAtLimit = createCanvas(1, 12_000).toBuffer('image/png');

  core = makeTestCore({ persons: 300 });
  clerk = signIn('clerk');
  clerkAll = signIn('clerk.all');
  prot = signIn('protected');
  const s = core.db.sqlite;
  const unit = s.prepare(`SELECT r.unit_id FROM role_assignment r JOIN user_account u ON u.id = r.user_id WHERE u.username = 'clerk'`).pluck().get() as string;
  const scoped = new PersonScope(core.ctx).of(new Set([unit])).ids;
  const plain = s.prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 AND deleted_at IS NULL ORDER BY id`).pluck().all() as string[];
  const plainChildren = new Set(s.prepare(`SELECT id FROM person WHERE is_child = 1 AND protection = 'none' AND shielded = 0 AND deleted_at IS NULL`).pluck().all() as string[]);
  inUnit = plain.filter((id) => scoped.has(id)).slice(0, 8);
  outside = plain.filter((id) => !scoped.has(id) && plainChildren.has(id)).slice(0, 3);
  others = plain.filter((id) => !scoped.has(id) && !plainChildren.has(id)).slice(0, 12);
  protectedPerson = s.prepare(`SELECT id FROM person WHERE protection <> 'none' AND deleted_at IS NULL ORDER BY id LIMIT 1`).pluck().get() as string;
  shieldedPerson = others.pop()!;
  s.prepare('UPDATE person SET shielded = 1 WHERE id = ?').run(shieldedPerson);
  expect([inUnit.length, outside.length, others.length]).toEqual([8, 3, 11]);
  // The outside children have no current placement or enrolment in the clerk's unit.
  for (const id of outside) {
    expect(count(`SELECT count(*) FROM placement WHERE child_id = ? AND unit_id = ? AND deleted_at IS NULL`, id, unit)).toBe(0);
    expect(count(`SELECT count(*) FROM enrolment WHERE pupil_id = ? AND unit_id = ? AND deleted_at IS NULL`, id, unit)).toBe(0);
  }
  expect(s.prepare('SELECT protection, shielded FROM person WHERE id = ?').get(protectedPerson)).toEqual({ protection: 'se_sekretessmarkering', shielded: 1 });
  expect(documentCount()).toBe(0);
  expect(contentCount()).toBe(0);
}, 120_000);
afterAll(() => core?.dispose());

// ---------- the content checks ----------

describe('sniffMime and inspectDocument', () => {
  it('tell each type by its bytes, never by a name', () => {
    expect(sniffMime(onePdf)).toBe('application/pdf');
    expect(sniffMime(junkThenPdf)).toBe('application/pdf');
    expect(sniffMime(png)).toBe('image/png');
    expect(sniffMime(jpeg)).toBe('image/jpeg');
    expect(sniffMime(textFile)).toBeNull();
    expect(sniffMime(new Uint8Array())).toBeNull();
    // The first bytes of each signature alone are not enough.
    expect(sniffMime(png.subarray(0, 7))).toBeNull();
    expect(sniffMime(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffMime(Buffer.from('%PDF', 'latin1'))).toBeNull();
    // "%PDF-" further in than the first 1024 bytes is not a PDF header.
    expect(sniffMime(Buffer.concat([Buffer.alloc(1024, 0x20), onePdf]))).toBeNull();
    expect(sniffMime(Buffer.concat([Buffer.alloc(1019, 0x20), onePdf]))).toBe('application/pdf');
  });

  it('a PNG whose metadata mentions "%PDF-" within its first 1024 bytes is still a PNG (its signature says so)', async () => {
    const png2 = pngWithText(png, 'Comment', 'Scanned to %PDF-1.4 and PNG');
    // The image itself is fine: @napi-rs/canvas reads it.
    const { loadImage } = await import('@napi-rs/canvas');
    expect((await loadImage(png2)).width).toBe(40);
    expect(sniffMime(png2)).toBe('image/png');
    await expect(inspectDocument(png2)).resolves.toEqual({ mime: 'image/png', pages: 1, sha256: sha256(png2) });
  });

  it('counts a PDF\'s pages and hashes the bytes as they are', async () => {
    expect(await inspectDocument(onePdf)).toEqual({ mime: 'application/pdf', pages: 1, sha256: sha256(onePdf) });
    expect(await inspectDocument(threePdf)).toEqual({ mime: 'application/pdf', pages: 3, sha256: sha256(threePdf) });
    expect(await inspectDocument(pdf300)).toEqual({ mime: 'application/pdf', pages: 300, sha256: sha256(pdf300) });
    expect(await inspectDocument(handPdf())).toEqual({ mime: 'application/pdf', pages: 1, sha256: sha256(handPdf()) });
    expect(await inspectDocument(junkThenPdf)).toEqual({ mime: 'application/pdf', pages: 1, sha256: sha256(junkThenPdf) });
    expect(await inspectDocument(png)).toEqual({ mime: 'image/png', pages: 1, sha256: sha256(png) });
    expect(await inspectDocument(jpeg)).toEqual({ mime: 'image/jpeg', pages: 1, sha256: sha256(jpeg) });
    expect(await inspectDocument(tallPngAtLimit)).toEqual({ mime: 'image/png', pages: 1, sha256: sha256(tallPngAtLimit) });
    // pdfjs gets a copy: the caller's bytes are intact (not detached) after being inspected.
    expect([onePdf.length, sha256(onePdf)]).toEqual([onePdfAsMade.length, onePdfAsMade.sha]);
  });

  it('refuses each bad file by its rule, at fileId', async () => {
    const refusal = async (b: Uint8Array) => {
      try {
        await inspectDocument(b);
      } catch (e) {
        const x = e as { code: string; rule: string; field: string; details?: unknown };
        return { code: x.code, rule: x.rule, field: x.field, details: x.details };
      }
      throw new Error('accepted');
    };
    expect(await refusal(textFile)).toEqual({ code: 'rule_violation', rule: 'document_type', field: 'fileId', details: undefined });
    expect(await refusal(encryptedPdf)).toEqual({ code: 'rule_violation', rule: 'document_encrypted', field: 'fileId', details: undefined });
    expect(await refusal(truncatedPdf)).toEqual({ code: 'rule_violation', rule: 'document_damaged', field: 'fileId', details: undefined });
    expect(await refusal(corruptXrefPdf)).toMatchObject({ code: 'rule_violation', rule: 'document_damaged', field: 'fileId' });
    expect(await refusal(badPagePdf)).toEqual({ code: 'rule_violation', rule: 'document_damaged', field: 'fileId', details: { page: 2 } });
    expect(await refusal(pdf301)).toEqual({ code: 'rule_violation', rule: 'document_pages', field: 'fileId', details: { pages: 301, max: 300 } });
    expect(await refusal(widePng)).toEqual({ code: 'rule_violation', rule: 'document_pixels', field: 'fileId', details: { width: 12_001, height: 1, max: 12_000 } });
    // An image cut short, and a JPEG's first bytes alone.
    expect(await refusal(png.subarray(0, 40))).toEqual({ code: 'rule_violation', rule: 'document_damaged', field: 'fileId', details: undefined });
    expect(await refusal(jpeg.subarray(0, 40))).toEqual({ code: 'rule_violation', rule: 'document_damaged', field: 'fileId', details: undefined });
  });
});

// ---------- who may ----------

describe('who may', () => {
  it('a unit clerk lists and attaches for a person of their unit; a person outside it is forbidden, and nothing is written', async () => {
    const person = inUnit[0]!;
    expect(list(clerk, person)).toEqual({ items: [], withheld: false });
    const id = await attach(clerk, person, onePdf);
    expect(list(clerk, person).items.map((d) => d.id)).toEqual([id]);

    const away = outside[0]!;
    expect(failed(clerk.call('document.list', { personId: away }))).toMatchObject({ code: 'forbidden', field: 'id' });
    const fileId = await upload(ids.clerk!, onePdf, 'utanfor.pdf');
    const before = [documentCount(), contentCount()];
    expect(failed(await addAs(clerk, away, fileId))).toMatchObject({ code: 'forbidden', field: 'id' });
    expect([documentCount(), contentCount()]).toEqual(before);
    expect(uploadExists(fileId, ids.clerk!)).toBe(true);

    // A document of a person outside the unit (attached by the municipality-wide clerk): not updated, removed or opened.
    const theirs = await attach(clerkAll, away, onePdf);
    expect(failed(clerk.call('document.update', { id: theirs, version: 1, ...DESCRIBED, title: 'Ändrad' }))).toMatchObject({ code: 'forbidden' });
    expect(failed(clerk.call('document.remove', { id: theirs, version: 1 }))).toMatchObject({ code: 'forbidden' });
    expect(failed(await clerk.callAsync('document.open', { id: theirs }))).toMatchObject({ code: 'forbidden' });
    expect(docRow(theirs)).toMatchObject({ version: 1, title: DESCRIBED.title, deleted_at: null });
    // The refusals are in the audit log as denied.
    const denied = core.db.sqlite.prepare(`SELECT method, outcome FROM audit_log WHERE action = 'denied' AND actor_id = ? AND method LIKE 'document.%' ORDER BY seq`).all(ids.clerk) as { method: string; outcome: string }[];
    expect(denied).toEqual([
      { method: 'document.list', outcome: 'forbidden' },
      { method: 'document.add', outcome: 'forbidden' },
      { method: 'document.update', outcome: 'forbidden' },
      { method: 'document.remove', outcome: 'forbidden' },
      { method: 'document.open', outcome: 'forbidden' },
    ]);
  });

  it('the fee administrator, the FOI officer and the registrar read (register.read) but do not attach, change or remove', async () => {
    const person = others[0]!;
    const id = await attach(clerkAll, person, onePdf);
    for (const username of ['fee', 'foi', 'registrar']) {
      const c = signIn(username);
      expect([username, list(c, person).items.map((d) => d.id)]).toEqual([username, [id]]);
      const opened = data<Opened>(await c.callAsync('document.open', { id }));
      expect(readFileSync(core.services.files.pathOf(core.services.files.get(opened.file.fileId, ids[username]!)))).toEqual(onePdf);
      const fileId = await upload(ids[username]!, onePdf, 'nej.pdf');
      expect([username, failed(await addAs(c, person, fileId))]).toMatchObject([username, { code: 'forbidden' }]);
      expect(failed(c.call('document.update', { id, version: 1, ...DESCRIBED, title: 'Ändrad' }))).toMatchObject({ code: 'forbidden' });
      expect(failed(c.call('document.remove', { id, version: 1 }))).toMatchObject({ code: 'forbidden' });
      expect(uploadExists(fileId, ids[username]!)).toBe(true);
    }
    expect(docRow(id)).toMatchObject({ version: 1, deleted_at: null });
    expect(list(clerkAll, person).items).toHaveLength(1);
  });

  it('the auditor and the system administrator are refused everything', async () => {
    const person = others[1]!;
    const id = await attach(clerkAll, person, onePdf);
    const before = documentCount();
    for (const username of ['auditor', 'admin']) {
      const c = signIn(username);
      const fileId = await upload(ids[username]!, onePdf, 'nej.pdf');
      const calls: [string, CallResult][] = [
        ['document.list', c.call('document.list', { personId: person })],
        ['document.add', await addAs(c, person, fileId)],
        ['document.update', c.call('document.update', { id, version: 1, ...DESCRIBED, title: 'Ändrad' })],
        ['document.remove', c.call('document.remove', { id, version: 1 })],
        ['document.open', await c.callAsync('document.open', { id })],
      ];
      for (const [m, r] of calls) expect([username, m, failed(r).code]).toEqual([username, m, 'forbidden']);
    }
    expect(documentCount()).toBe(before);
    expect(docRow(id)).toMatchObject({ version: 1, deleted_at: null });
  });
});

// ---------- document.add ----------

describe('document.add', () => {
  it('writes the record, keeps the content by its hash, removes the upload, logs the change and audits without the title', async () => {
    const person = inUnit[1]!;
    const title = 'Utredning om skolplacering, Ekdala 2026';
    const fileId = await upload(ids.clerk!, threePdf, 'C:\\Skannat\\utredning 2026.pdf');
    const stored = core.services.files.get(fileId, ids.clerk!);
    const mutationId = randomUUID();
    const r = data<Written>(await clerk.callAsync('document.add', { personId: person, fileId, ...DESCRIBED, title, kind: 'report', documentDate: TEST_TODAY, retentionClass: 'years_5' }, { mutationId }));
    expect(r.version).toBe(1);
    expect(docRow(r.id)).toEqual({
      id: r.id,
      person_id: person,
      title,
      kind: 'report',
      document_date: TEST_TODAY,
      classification: 'confidential',
      classification_ground: 'OSL 23:2',
      retention_class: 'years_5',
      file_name: 'utredning 2026.pdf',
      mime: 'application/pdf',
      size: threePdf.length,
      pages: 3,
      content_sha256: sha256(threePdf),
      deleted_at: null,
      version: 1,
      created_at: NOW,
      created_by: ids.clerk,
      updated_at: NOW,
      updated_by: ids.clerk,
    });
    const content = contentRow(sha256(threePdf))!;
    expect({ ...content, bytes: null }).toEqual({ sha256: sha256(threePdf), mime: 'application/pdf', size: threePdf.length, bytes: null, created_at: NOW });
    expect(Buffer.compare(content.bytes, threePdf)).toBe(0);
    expect(sha256(content.bytes)).toBe(sha256(threePdf));
    // The upload is gone: its metadata and its blob.
    expect(() => core.services.files.get(fileId, ids.clerk!)).toThrow(expect.objectContaining({ code: 'not_found', field: 'fileId' }));
    expect(existsSync(core.services.files.pathOf(stored))).toBe(false);

    // One change record, on the person's history, with the call's mutation id and the values as stored.
    const log = core.db.sqlite.prepare(`SELECT entity, op, version, person_id, related_person_id, mutation_id, actor, at, changes FROM change_log WHERE entity = 'person_document' AND entity_id = ?`).all(r.id) as Record<string, unknown>[];
    expect(log.map((l) => ({ ...l, changes: null }))).toEqual([
      { entity: 'person_document', op: 'create', version: 1, person_id: person, related_person_id: null, mutation_id: mutationId, actor: ids.clerk, at: NOW, changes: null },
    ]);
    expect(JSON.parse(log[0]!.changes as string)).toMatchObject({ person_id: [null, person], title: [null, title], content_sha256: [null, sha256(threePdf)], pages: [null, 3] });

    // The audit names the person and the document, its kind and pages; never the title or the file's name.
    const entry = lastAudit('document.add');
    expect({ ...entry, person_ids: JSON.parse(entry.person_ids), details: JSON.parse(entry.details) }).toEqual({
      action: 'write',
      outcome: 'ok',
      person_ids: [person],
      details: { document: r.id, kind: 'report', pages: 3 },
      reason: null,
      actor_id: ids.clerk,
    });
    expect(auditMentions(title)).toBe(0);
    expect(auditMentions('utredning 2026')).toBe(0);

    expect(list(clerk, person)).toEqual({
      items: [
        {
          id: r.id,
          version: 1,
          personId: person,
          title,
          kind: 'report',
          documentDate: TEST_TODAY,
          classification: 'confidential',
          classificationGround: 'OSL 23:2',
          retentionClass: 'years_5',
          fileName: 'utredning 2026.pdf',
          mime: 'application/pdf',
          size: threePdf.length,
          pages: 3,
          createdAt: NOW,
          createdByName: CLERK_NAME,
        },
      ],
      withheld: false,
    });

    // A retry of the same call (its mutation id) answers with the first result and attaches nothing more.
    const n = documentCount();
    expect(data<Written>(await clerk.callAsync('document.add', { personId: person, fileId, ...DESCRIBED, title }, { mutationId }))).toEqual(r);
    expect(documentCount()).toBe(n);
  });

  it('attaches images (PNG, JPEG) as one page each, and a PDF after a scanner\'s junk bytes, as sent', async () => {
    const person = inUnit[2]!;
    const p = await attach(clerk, person, png, { documentDate: '2026-03-01', classification: 'open', classificationGround: null }, 'intyg.png');
    const j = await attach(clerk, person, jpeg, { documentDate: '2026-02-01', classification: 'open', classificationGround: '' }, 'intyg.jpg');
    const junk = await attach(clerk, person, junkThenPdf, { documentDate: '2026-01-01' }, 'skannad.pdf');
    expect(docRow(p)).toMatchObject({ mime: 'image/png', pages: 1, size: png.length, content_sha256: sha256(png), file_name: 'intyg.png', classification: 'open', classification_ground: null });
    expect(docRow(j)).toMatchObject({ mime: 'image/jpeg', pages: 1, size: jpeg.length, content_sha256: sha256(jpeg), file_name: 'intyg.jpg', classification: 'open', classification_ground: null });
    expect(docRow(junk)).toMatchObject({ mime: 'application/pdf', pages: 1, size: junkThenPdf.length, content_sha256: sha256(junkThenPdf) });
    expect(Buffer.compare(contentRow(sha256(junkThenPdf))!.bytes, junkThenPdf)).toBe(0);
    // A file named like an image but holding a PDF is a PDF.
    const named = await attach(clerk, person, onePdf, { documentDate: '2025-12-01' }, 'bild.png');
    expect(docRow(named)).toMatchObject({ mime: 'application/pdf', file_name: 'bild.png', pages: 1 });
    expect(list(clerk, person).items.map((d) => [d.id, d.mime])).toEqual([
      [p, 'image/png'],
      [j, 'image/jpeg'],
      [junk, 'application/pdf'],
      [named, 'application/pdf'],
    ]);
  });

  it('keeps the same file attached twice (two uploads of identical bytes) once: one content row, two documents', async () => {
    const a = inUnit[3]!;
    const b = inUnit[4]!;
    const bytes = await makePdf(2);
    const before = contentCount();
    const first = await attach(clerk, a, bytes, { title: 'Första' }, 'a.pdf');
    const second = await attach(clerk, b, bytes, { title: 'Andra' }, 'b.pdf');
    expect(first).not.toBe(second);
    expect(contentCount()).toBe(before + 1);
    expect(count('SELECT count(*) FROM document_content WHERE sha256 = ?', sha256(bytes))).toBe(1);
    expect(core.db.sqlite.prepare('SELECT person_id, file_name, content_sha256, pages FROM person_document WHERE id IN (?, ?) ORDER BY file_name').all(first, second)).toEqual([
      { person_id: a, file_name: 'a.pdf', content_sha256: sha256(bytes), pages: 2 },
      { person_id: b, file_name: 'b.pdf', content_sha256: sha256(bytes), pages: 2 },
    ]);
  });

  it('refuses each bad file by its rule id at fileId, and a refused attach writes nothing and keeps the upload', async () => {
    const person = inUnit[5]!;
    const cases: [string, Uint8Array, string, Input][] = [
      ['anteckningar.pdf', textFile, 'document_type', {}],
      ['krypterad.pdf', encryptedPdf, 'document_encrypted', {}],
      ['trasig.pdf', truncatedPdf, 'document_damaged', {}],
      ['trasig-xref.pdf', corruptXrefPdf, 'document_damaged', {}],
      ['trasig-sida.pdf', badPagePdf, 'document_damaged', { details: { page: 2 } }],
      ['lang.pdf', pdf301, 'document_pages', { details: { pages: 301, max: 300 } }],
      ['bred.png', widePng, 'document_pixels', { details: { width: 12_001, height: 1, max: 12_000 } }],
    ];
    const before = [documentCount(), contentCount(), count(`SELECT count(*) FROM change_log WHERE entity = 'person_document'`)];
    for (const [name, bytes, rule, extra] of cases) {
      const fileId = await upload(ids.clerk!, bytes, name);
      const e = failed(await addAs(clerk, person, fileId));
      expect([name, e]).toMatchObject([name, { code: 'rule_violation', rule, field: 'fileId', ...extra }]);
      expect([name, uploadExists(fileId, ids.clerk!)]).toEqual([name, true]);
    }
    expect([documentCount(), contentCount(), count(`SELECT count(*) FROM change_log WHERE entity = 'person_document'`)]).toEqual(before);
    expect(list(clerk, person)).toEqual({ items: [], withheld: false });
  });

  it('refuses a date after today, a ground on an open document, a missing person, another kind of upload and someone else\'s upload', async () => {
    const person = inUnit[5]!;
    const mine = await upload(ids.clerk!, onePdf, 'beslut.pdf');
    const before = [documentCount(), contentCount()];
    expect(failed(await addAs(clerk, person, mine, { documentDate: '2026-11-24' }))).toMatchObject({ code: 'rule_violation', rule: 'document_date', field: 'documentDate' });
    expect(failed(await addAs(clerk, person, mine, { classification: 'open', classificationGround: 'OSL 23:2' }))).toMatchObject({ code: 'validation', field: 'classificationGround' });
    expect(failed(await addAs(clerk, randomUUID(), mine))).toMatchObject({ code: 'not_found', field: 'personId' });
    // The contract's own checks.
    expect(failed(await addAs(clerk, person, mine, { title: '   ' }))).toMatchObject({ code: 'validation', field: 'title' });
    expect(failed(await addAs(clerk, person, mine, { title: 'x'.repeat(201) }))).toMatchObject({ code: 'validation', field: 'title' });
    expect(failed(await addAs(clerk, person, mine, { documentDate: '2026-02-30' }))).toMatchObject({ code: 'validation', field: 'documentDate' });
    expect(failed(await addAs(clerk, person, mine, { kind: 'memo' }))).toMatchObject({ code: 'validation', field: 'kind' });
    expect(failed(await addAs(clerk, person, mine, { classificationGround: 'g'.repeat(101) }))).toMatchObject({ code: 'validation', field: 'classificationGround' });
    // An upload of another kind (a legacy CSV), even one holding a PDF.
    const csv = await upload(ids.clerk!, onePdf, 'export.csv', 'csv');
    expect(failed(await addAs(clerk, person, csv))).toMatchObject({ code: 'validation', field: 'fileId' });
    expect(uploadExists(csv, ids.clerk!)).toBe(true);
    // Someone else's upload, and one that never was.
    const theirs = await upload(ids['clerk.all']!, onePdf, 'deras.pdf');
    expect(failed(await addAs(clerk, person, theirs))).toMatchObject({ code: 'not_found', field: 'fileId' });
    expect(uploadExists(theirs, ids['clerk.all']!)).toBe(true);
    expect(failed(await addAs(clerk, person, randomUUID()))).toMatchObject({ code: 'not_found', field: 'fileId' });
    // Nothing was written, and the clerk's own upload is still there to try again with.
    expect([documentCount(), contentCount()]).toEqual(before);
    expect(uploadExists(mine, ids.clerk!)).toBe(true);
    // Today itself is fine, and so is a confidential document without a ground.
    const ok = data<Written>(await addAs(clerk, person, mine, { documentDate: TEST_TODAY, classificationGround: null }));
    expect(docRow(ok.id)).toMatchObject({ document_date: TEST_TODAY, classification: 'confidential', classification_ground: null });
    expect(uploadExists(mine, ids.clerk!)).toBe(false);
  });
});

// ---------- document.list ----------

describe('document.list', () => {
  it('lists the latest dated first, leaves removed ones out and audits the read with the count only', async () => {
    const person = others[2]!;
    const mid = await attach(clerkAll, person, onePdf, { title: 'Mitten', documentDate: '2026-05-10' });
    const oldest = await attach(clerkAll, person, png, { title: 'Äldst', documentDate: '2024-01-31' });
    const newest = await attach(clerkAll, person, threePdf, { title: 'Nyast', documentDate: '2026-11-20' });
    const gone = await attach(clerkAll, person, jpeg, { title: 'Borttagen', documentDate: '2026-11-21' });
    data(clerkAll.call('document.remove', { id: gone, version: 1 }));
    const l = list(clerkAll, person);
    expect(l.withheld).toBe(false);
    expect(l.items.map((d) => [d.id, d.title, d.documentDate, d.createdByName])).toEqual([
      [newest, 'Nyast', '2026-11-20', CLERK_ALL_NAME],
      [mid, 'Mitten', '2026-05-10', CLERK_ALL_NAME],
      [oldest, 'Äldst', '2024-01-31', CLERK_ALL_NAME],
    ]);
    const entry = lastAudit('document.list');
    expect({ ...entry, person_ids: JSON.parse(entry.person_ids), details: JSON.parse(entry.details) }).toEqual({
      action: 'read',
      outcome: 'ok',
      person_ids: [person],
      details: { documents: 3 },
      reason: null,
      actor_id: ids['clerk.all'],
    });
    expect(auditMentions('Nyast')).toBe(0);
    expect(failed(clerkAll.call('document.list', { personId: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'personId' });
    expect(failed(clerkAll.call('document.list', { personId: 'not-a-uuid' }))).toMatchObject({ code: 'validation', field: 'personId' });
  });

  it('withholds a protected person\'s documents from a clerk without protected.reveal, and shows them to one with it', async () => {
    const a = await attach(prot, protectedPerson, onePdf, { title: 'Skyddad A', documentDate: '2026-10-01' });
    const b = await attach(prot, protectedPerson, png, { title: 'Skyddad B', documentDate: '2026-10-05' });
    expect(list(clerkAll, protectedPerson)).toEqual({ items: [], withheld: true });
    expect(JSON.parse(lastAudit('document.list').details)).toEqual({ documents: 0 });
    const shown = list(prot, protectedPerson);
    expect(shown.withheld).toBe(false);
    expect(shown.items.map((d) => [d.id, d.title, d.createdByName])).toEqual([
      [b, 'Skyddad B', PROTECTED_NAME],
      [a, 'Skyddad A', PROTECTED_NAME],
    ]);
  });

  it('does the same for a shielded person (no protection of their own, sharing a protected person\'s home)', async () => {
    expect(core.db.sqlite.prepare('SELECT protection, shielded FROM person WHERE id = ?').get(shieldedPerson)).toEqual({ protection: 'none', shielded: 1 });
    const d = await attach(prot, shieldedPerson, onePdf, { title: 'Brev till hemmet' });
    expect(list(clerkAll, shieldedPerson)).toEqual({ items: [], withheld: true });
    expect(list(prot, shieldedPerson)).toMatchObject({ items: [{ id: d, title: 'Brev till hemmet' }], withheld: false });
    expect(failed(await clerkAll.callAsync('document.open', { id: d }))).toMatchObject({ code: 'forbidden', field: 'id' });
    expect(failed(await prot.callAsync('document.open', { id: d }))).toMatchObject({ code: 'validation', field: 'reason' });
    const opened = data<Opened>(await prot.callAsync('document.open', { id: d, reason: 'Skickar kopia till vårdnadshavare' }));
    expect(opened.file).toMatchObject({ mime: 'application/pdf', size: onePdf.length });
    expect(lastAudit('document.open')).toMatchObject({ action: 'reveal', reason: 'Skickar kopia till vårdnadshavare' });
  });

  it('a clerk without protected.reveal may attach a letter about a protected person, but not change or remove one they may not see', async () => {
    const mine = await attach(clerkAll, protectedPerson, onePdf, { title: 'Inkommen skrivelse' });
    expect(list(prot, protectedPerson).items.map((d) => d.id)).toContain(mine);
    for (const m of ['document.update', 'document.remove'] as const) {
      const input = m === 'document.update' ? { id: mine, version: 1, ...DESCRIBED, title: 'Ändrad' } : { id: mine, version: 1 };
      expect(failed(clerkAll.call(m, input))).toMatchObject({ code: 'forbidden', field: 'id' });
    }
    expect(docRow(mine)).toMatchObject({ version: 1, title: 'Inkommen skrivelse', deleted_at: null });
    expect(data<Written>(prot.call('document.update', { id: mine, version: 1, ...DESCRIBED, title: 'Skrivelse från vårdnadshavare' }))).toEqual({ id: mine, version: 2 });
  });
});

// ---------- document.update ----------

describe('document.update', () => {
  it('changes the description (version 2), never the content; a stale version is a conflict; the same rules apply', async () => {
    const person = inUnit[6]!;
    const id = await attach(clerk, person, threePdf);
    const before = docRow(id)!;
    const contents = contentCount();
    const upd = (over: Input) => clerk.call('document.update', { id, ...DESCRIBED, ...over });
    const title = 'Beslut om anpassad studiegång';
    const r = data<Written>(upd({ version: 1, title, kind: 'letter', documentDate: '2026-10-30', classification: 'open', classificationGround: null, retentionClass: 'years_10' }));
    expect(r).toEqual({ id, version: 2 });
    expect(docRow(id)).toEqual({
      ...before,
      title,
      kind: 'letter',
      document_date: '2026-10-30',
      classification: 'open',
      classification_ground: null,
      retention_class: 'years_10',
      version: 2,
      updated_at: NOW,
      updated_by: ids.clerk,
    });
    expect(contentCount()).toBe(contents);
    expect(Buffer.compare(contentRow(sha256(threePdf))!.bytes, threePdf)).toBe(0);
    expect(core.db.sqlite.prepare(`SELECT group_concat(op) FROM change_log WHERE entity = 'person_document' AND entity_id = ? ORDER BY seq`).pluck().get(id)).toBe('create,update');
    const entry = lastAudit('document.update');
    expect({ ...entry, person_ids: JSON.parse(entry.person_ids), details: JSON.parse(entry.details) }).toEqual({
      action: 'write',
      outcome: 'ok',
      person_ids: [person],
      details: { document: id, changed: ['title', 'kind', 'document_date', 'classification', 'classification_ground', 'retention_class'] },
      reason: null,
      actor_id: ids.clerk,
    });
    expect(auditMentions(title)).toBe(0);

    // The version the form was loaded with: an older one is a conflict.
    expect(failed(upd({ version: 1, title: 'Gammal' }))).toMatchObject({ code: 'conflict', field: 'version' });
    // The same rules as when it was attached.
    expect(failed(upd({ version: 2, documentDate: '2027-01-01' }))).toMatchObject({ code: 'rule_violation', rule: 'document_date', field: 'documentDate' });
    expect(failed(upd({ version: 2, classification: 'open', classificationGround: 'OSL 23:2' }))).toMatchObject({ code: 'validation', field: 'classificationGround' });
    expect(failed(upd({ version: 2, title: '' }))).toMatchObject({ code: 'validation', field: 'title' });
    expect(failed(upd({ version: 2, id: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'id' });
    // Content fields are not part of the input.
    expect(failed(upd({ version: 2, mime: 'image/png' }))).toMatchObject({ code: 'validation' });
    expect(docRow(id)).toMatchObject({ version: 2, title, document_date: '2026-10-30', mime: 'application/pdf', size: threePdf.length, pages: 3, content_sha256: sha256(threePdf) });
    expect(list(clerk, person).items).toMatchObject([{ id, version: 2, title, kind: 'letter', classification: 'open', classificationGround: null, pages: 3 }]);
  });
});

// ---------- document.remove ----------

describe('document.remove', () => {
  it('removes softly (kept as removed, its content too), no longer listed; a stale version is a conflict; afterwards not found', async () => {
    const person = inUnit[7]!;
    const bytes = await makePdf(4);
    const id = await attach(clerk, person, bytes);
    const keep = await attach(clerk, person, png, { documentDate: '2026-01-01' });
    expect(failed(clerk.call('document.remove', { id, version: 2 }))).toMatchObject({ code: 'conflict' });
    expect(data<Written>(clerk.call('document.remove', { id, version: 1 }))).toEqual({ id, version: 2 });
    expect(docRow(id)).toMatchObject({ deleted_at: NOW, version: 2, updated_by: ids.clerk, content_sha256: sha256(bytes) });
    expect(Buffer.compare(contentRow(sha256(bytes))!.bytes, bytes)).toBe(0);
    expect(list(clerk, person).items.map((d) => d.id)).toEqual([keep]);
    expect(core.db.sqlite.prepare(`SELECT group_concat(op) FROM change_log WHERE entity = 'person_document' AND entity_id = ? ORDER BY seq`).pluck().get(id)).toBe('create,update');
    expect(JSON.parse(lastAudit('document.remove').details)).toEqual({ document: id, removed: true });
    // Removed: neither removed again, changed nor opened.
    expect(failed(clerk.call('document.remove', { id, version: 2 }))).toMatchObject({ code: 'not_found', field: 'id' });
    expect(failed(clerk.call('document.update', { id, version: 2, ...DESCRIBED }))).toMatchObject({ code: 'not_found', field: 'id' });
    expect(failed(await clerk.callAsync('document.open', { id }))).toMatchObject({ code: 'not_found', field: 'id' });
  });
});

// ---------- document.open ----------

describe('document.open', () => {
  it('hands the bytes as attached, with the file\'s name and type, as the user\'s own export; audited as a read', async () => {
    const person = others[3]!;
    const id = await attach(clerkAll, person, threePdf, {}, 'utredning.pdf');
    const img = await attach(clerkAll, person, jpeg, { documentDate: '2026-01-01' }, 'foto.jpg');
    const opened = data<Opened>(await clerkAll.callAsync('document.open', { id }));
    expect(opened.file).toEqual({ fileId: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'utredning.pdf', mime: 'application/pdf', size: threePdf.length });
    const f = core.services.files.get(opened.file.fileId, ids['clerk.all']!);
    expect(f).toMatchObject({ purpose: 'export', mime: 'application/pdf', size: threePdf.length, sha256: sha256(threePdf), ownerId: ids['clerk.all'] });
    expect(Buffer.compare(readFileSync(core.services.files.pathOf(f)), threePdf)).toBe(0);
    // Through the store's reader too.
    const { stream } = core.services.files.read(opened.file.fileId, ids['clerk.all']!);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.compare(Buffer.concat(chunks), threePdf)).toBe(0);
    // The export is the opener's own.
    expect(() => core.services.files.get(opened.file.fileId, ids.clerk!)).toThrow(expect.objectContaining({ code: 'not_found' }));
    const entry = lastAudit('document.open');
    expect({ ...entry, person_ids: JSON.parse(entry.person_ids), details: JSON.parse(entry.details) }).toEqual({
      action: 'read',
      outcome: 'ok',
      person_ids: [person],
      details: { document: id },
      reason: null,
      actor_id: ids['clerk.all'],
    });
    const image = data<Opened>(await clerkAll.callAsync('document.open', { id: img }));
    expect(image.file).toMatchObject({ name: 'foto.jpg', mime: 'image/jpeg', size: jpeg.length });
    expect(Buffer.compare(readFileSync(core.services.files.pathOf(core.services.files.get(image.file.fileId, ids['clerk.all']!))), jpeg)).toBe(0);
    expect(failed(await clerkAll.callAsync('document.open', { id: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'id' });
  });

  it('a protected person\'s document: forbidden without protected.reveal, a reason required with it, then logged as a reveal with the reason', async () => {
    const bytes = await makePdf(2);
    const id = await attach(prot, protectedPerson, bytes, { title: 'Skyddad adress i beslut' }, 'skyddad.pdf');
    expect(failed(await clerkAll.callAsync('document.open', { id }))).toMatchObject({ code: 'forbidden', field: 'id' });
    const noReason = failed(await prot.callAsync('document.open', { id }));
    expect(noReason).toMatchObject({ code: 'validation', field: 'reason', issues: [{ field: 'reason', code: 'required' }] });
    expect(failed(await prot.callAsync('document.open', { id, reason: 'kort' }))).toMatchObject({ code: 'validation', field: 'reason' });
    const reason = 'Begäran om registerutdrag, ärende 2026-114';
    const opened = data<Opened>(await prot.callAsync('document.open', { id, reason }));
    expect(opened.file).toMatchObject({ name: 'skyddad.pdf', mime: 'application/pdf', size: bytes.length });
    expect(Buffer.compare(readFileSync(core.services.files.pathOf(core.services.files.get(opened.file.fileId, ids.protected!))), bytes)).toBe(0);
    const entry = lastAudit('document.open');
    expect({ ...entry, person_ids: JSON.parse(entry.person_ids), details: JSON.parse(entry.details) }).toEqual({
      action: 'reveal',
      outcome: 'ok',
      person_ids: [protectedPerson],
      details: { document: id },
      reason,
      actor_id: ids.protected,
    });
    expect(auditMentions('Skyddad adress i beslut')).toBe(0);
  });

  it('answers unavailable when this database does not hold the content (a cache)', async () => {
    const person = others[4]!;
    const bytes = await makePdf(5);
    const id = await attach(clerkAll, person, bytes);
    core.db.sqlite.prepare('DELETE FROM document_content WHERE sha256 = ?').run(sha256(bytes));
    expect(failed(await clerkAll.callAsync('document.open', { id }))).toMatchObject({ code: 'unavailable', field: 'id' });
    // The description is still listed.
    expect(list(clerkAll, person).items.map((d) => d.id)).toEqual([id]);
  });
});

// ---------- sync ----------

describe('sync', () => {
  it('a document belongs to its person\'s own document aggregate', async () => {
    const person = others[5]!;
    const id = await attach(clerkAll, person, onePdf);
    expect(aggregateOf('person_document', id, docRow(id)!)).toBe(`persondoc:${person}`);
    expect(aggregateOf('person_document', 'x', { person_id: 'p-1' })).toBe('persondoc:p-1');
  });

  it('the feed\'s projection sends a hidden person\'s document to nobody who may not reveal them', async () => {
    const open = others[6]!;
    const openDoc = docRow(await attach(clerkAll, open, onePdf))!;
    const protDoc = docRow(await attach(prot, protectedPerson, onePdf, { title: 'Till projektionen' }))!;
    const base: Visibility = { userId: 'u', persons: 'all', care: 'all', hidden: new Set([protectedPerson]), worklist: false, accounts: 'own', fees: false, foi: false };
    expect(Projection.project(base, 'person_document', protectedPerson, protDoc)).toBeNull();
    expect(Projection.project(base, 'person_document', open, openDoc)).toEqual(openDoc);
    expect(Projection.project({ ...base, hidden: new Set() }, 'person_document', protectedPerson, protDoc)).toEqual(protDoc);
    // Outside the user's persons, or with no person: never.
    expect(Projection.project({ ...base, persons: new Set([protectedPerson]) }, 'person_document', open, openDoc)).toBeNull();
    expect(Projection.project(base, 'person_document', null, openDoc)).toBeNull();
    // The engine's own visibility for the demo's users.
    const projection = new Projection(core.ctx);
    const vAll = projection.visibility(clerkAll.session.actor!);
    expect(vAll.hidden.has(protectedPerson)).toBe(true);
    expect(vAll.hidden.has(shieldedPerson)).toBe(true);
    expect(Projection.project(vAll, 'person_document', protectedPerson, protDoc)).toBeNull();
    expect(Projection.project(vAll, 'person_document', open, openDoc)).toEqual(openDoc);
    const vProt = projection.visibility(prot.session.actor!);
    expect(vProt.hidden.size).toBe(0);
    expect(Projection.project(vProt, 'person_document', protectedPerson, protDoc)).toEqual(protDoc);
    const vClerk = projection.visibility(clerk.session.actor!);
    expect(Projection.project(vClerk, 'person_document', open, openDoc)).toBeNull();
    expect(Projection.project(vClerk, 'person_document', inUnit[1]!, { ...openDoc, person_id: inUnit[1] })).toEqual({ ...openDoc, person_id: inUnit[1] });
  });

  it('a joined workstation sends attaching and opening to the central server (the content is not in the feed); list, update and remove stay local', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kansli-documents-joined-'));
    let fetched = 0;
    const offline: typeof fetch = () => {
      fetched++;
      return Promise.reject(new TypeError('fetch failed: no server in this test'));
    };
    const joined = createCore({ dbPath: dataPaths(dir).dbPath, clock: fixedClock(TEST_TODAY), workstation: 'ws-docs', auditAnchorPath: null, auditPendingPath: null, sync: { server: 'http://127.0.0.1:9', fetch: offline } });
    try {
      expect(['document.add', 'document.open', 'document.list', 'document.update', 'document.remove'].map((m) => [m, joined.sync!.handles(m)])).toEqual([
        ['document.add', true],
        ['document.open', true],
        ['document.list', false],
        ['document.update', false],
        ['document.remove', false],
      ]);
      // Signed out, neither reaches the server nor writes here.
      const c = joined.connect('ws-docs');
      expect(failed(await c.callAsync('document.add', { personId: randomUUID(), fileId: randomUUID(), ...DESCRIBED }))).toMatchObject({ code: 'unauthenticated' });
      expect(failed(await c.callAsync('document.open', { id: randomUUID(), reason: 'Begäran om registerutdrag' }))).toMatchObject({ code: 'unauthenticated' });
      expect(fetched).toBe(0);
      expect(joined.ctx.sqlite.prepare('SELECT (SELECT count(*) FROM person_document) + (SELECT count(*) FROM document_content)').pluck().get()).toBe(0);
    } finally {
      joined.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
