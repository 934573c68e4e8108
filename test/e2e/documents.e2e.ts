/**
 * Documents about a person on the card (issue 13), by keyboard only through the browser host: a clerk for the
 * whole municipality opens a child's card, attaches a PDF (Alt+D: the file through the page's own chooser,
 * title, kind, today's date, open, retention; Ctrl+S) and sees it listed; marks it confidential with its
 * ground; opens it with Enter on its row (the download is the PDF's own bytes); removes it after a question
 * whose focus starts on Cancel. A text file renamed .pdf is refused at the file field with the rule in words,
 * and nothing is stored. A protected person's card shows the clerk that their documents are withheld; the
 * protected-identity handler sees them and opens one after stating a reason. The block and its dialogs are
 * axe-checked and kept as screenshots in Swedish, the block also in bokmål and English.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { MethodInput } from '../../shared/api/contract';
import { E2E_TODAY, expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test, type HostInfo } from './fixtures';
import { DocumentsBlock, KansliApp } from './pages';

let dir: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-e2e-documents-'));
});
test.afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A real one-page PDF, made here with pdf-lib. */
async function makePdf(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595, 842]).drawText(text, { x: 60, y: 760, size: 14, font });
  return pdf.save();
}

/** A child who is not protected, with a personnummer to search by. */
function plainChild(host: HostInfo): string {
  const db: Database.Database = openHostDb(host);
  try {
    const id = db
      .prepare(
        `SELECT p.id FROM person p WHERE p.deleted_at IS NULL AND p.is_child = 1 AND p.birth_date > '2013-01-01' AND p.protection = 'none' AND p.shielded = 0 AND p.id_canonical IS NOT NULL
           AND (SELECT count(*) FROM person q WHERE q.given_name = p.given_name AND q.family_name = p.family_name AND q.deleted_at IS NULL) = 1
         ORDER BY p.sort_key LIMIT 1`,
      )
      .pluck()
      .get() as string | undefined;
    expect(id, 'the demo has a child without protection').toBeTruthy();
    return id!;
  } finally {
    db.close();
  }
}

/** The first protected person (the one the protected-identity handler may reveal, as access.e2e.ts uses). */
function protectedPerson(host: HostInfo): string {
  const db = openHostDb(host);
  try {
    const id = db
      .prepare(
        `SELECT p.id FROM person p JOIN person_address a ON a.person_id = p.id
         WHERE p.protection <> 'none' AND p.deleted_at IS NULL AND (a.valid_to IS NULL OR a.valid_to >= ?) AND a.valid_from <= ?
         ORDER BY p.sort_key LIMIT 1`,
      )
      .pluck()
      .get(E2E_TODAY, E2E_TODAY) as string | undefined;
    expect(id, 'the demo has a protected person').toBeTruthy();
    return id!;
  } finally {
    db.close();
  }
}

type Described = Omit<MethodInput<'document.add'>, 'personId' | 'fileId'>;

/** Test setup through the host: the upload the page would send, then document.add. */
async function attachByApi(app: KansliApp, personId: string, name: string, bytes: Uint8Array, described: Described): Promise<void> {
  const fileId = await app.page.evaluate(
    async ([n, b]) => {
      const r = await fetch(`/upload?kind=document&name=${encodeURIComponent(n)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(b) });
      const j = (await r.json()) as { ok: true; data: { fileId: string } } | { ok: false; error: unknown };
      if (!j.ok) throw new Error(JSON.stringify(j.error));
      return j.data.fileId;
    },
    [name, Array.from(bytes)] as const,
  );
  await app.api('document.add', { personId, fileId, ...described });
}

/** Scrolls the block to the middle of the window for its picture. */
async function showBlock(block: DocumentsBlock): Promise<void> {
  await block.root.evaluate((el) => el.scrollIntoView({ block: 'center' }));
}

test('a clerk attaches a PDF by keyboard, marks it confidential, opens it and removes it; a text file named .pdf is refused at the file', async ({ app: page, host }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  const child = plainChild(host);
  const card = await app.api('person.get', { id: child });
  const pdfBytes = await makePdf('Beslut om plats i förskola'.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
  const pdfPath = join(dir, 'Beslut om plats.pdf');
  writeFileSync(pdfPath, pdfBytes);

  // ---- The child's card: search by the identity number, ↓, Enter. The block says there is nothing yet.
  const hits = await app.search(card.identity!.display);
  await expect(hits.first()).toContainText(card.familyName);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  const block = new DocumentsBlock(app);
  await expect(block.root.getByRole('heading', { level: 2 })).toHaveText('Dokument');
  await expect(block.root).toContainText('Inga dokument.');
  await expect(block.attachButton()).toHaveAttribute('aria-keyshortcuts', 'Alt+D');

  // ---- Alt+D (from wherever the clerk is on the card): the dialog, the file button first. The PDF through the
  // page's chooser; its name becomes the title.
  const focusedNow = () => page.evaluate(() => (document.activeElement ? `${document.activeElement.tagName}#${document.activeElement.id}|${document.activeElement.textContent?.slice(0, 40)}` : ''));
  const before = await focusedNow();
  expect(before).not.toMatch(/^BODY/);
  await page.keyboard.press('Alt+KeyD');
  const dialog = block.dialog();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Bifoga dokument');
  await block.chooseFile(pdfPath);
  const title = dialog.getByTestId('document-title-input');
  await expect(title).toHaveValue('Beslut om plats');
  // Tab: title (kept), kind (type-ahead), date (today), the mark (open), the ground (off while open), retention.
  await page.keyboard.press('Tab');
  await expect(title).toBeFocused();
  await page.keyboard.press('Tab');
  const kind = dialog.getByTestId('document-kind');
  await expect(kind).toBeFocused();
  await page.keyboard.type('Bes');
  await expect(kind).toHaveValue('decision');
  await page.keyboard.press('Tab');
  const date = dialog.getByTestId('document-date');
  await expect(date).toBeFocused();
  await expect(date).toHaveValue('2026-11-23');
  await page.keyboard.press('Tab');
  await expect(dialog.getByTestId('document-classification-open')).toBeFocused();
  await expect(dialog.getByTestId('document-classification-open')).toBeChecked();
  await expect(dialog.getByTestId('document-ground-input')).toBeDisabled();
  await page.keyboard.press('Tab');
  const retention = dialog.getByTestId('document-retention');
  await expect(retention).toBeFocused();
  await page.keyboard.type('Gallras efter 3');
  await expect(retention).toHaveValue('years_3');
  await screenshot(page, 'documents-dialog-sv');
  await expectNoAxeViolations(page, 'attach document dialog');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden({ timeout: 20_000 });

  // ---- Listed: the date, the title with its file, kind, open, 3 years, 1 page; said, and the focus back on the button.
  await expect(block.rows()).toHaveCount(1);
  const row = block.row('Beslut om plats');
  await expect(row).toHaveAttribute('data-classification', 'open');
  await expect(row).toHaveAttribute('data-kind', 'decision');
  await expect(row).toContainText('2026-11-23');
  await expect(row).toContainText('Beslut om plats.pdf');
  await expect(row).toContainText('Beslut');
  await expect(row).toContainText('Offentlig');
  await expect(row).toContainText('Gallras efter 3 år');
  await expect(row.getByTestId('document-pages')).toHaveText('1');
  await expect(block.root.getByTestId('documents-status')).toHaveText('Dokumentet är bifogat.');
  // The focus is back where Alt+D was pressed.
  await expect.poll(focusedNow).toBe(before);
  const stored = await app.api('document.list', { personId: child });
  expect(stored.withheld).toBe(false);
  expect(stored.items.map((d) => [d.title, d.kind, d.documentDate, d.classification, d.classificationGround, d.retentionClass, d.mime, d.pages, d.size])).toEqual([
    ['Beslut om plats', 'decision', E2E_TODAY, 'open', null, 'years_3', 'application/pdf', 1, pdfBytes.length],
  ]);

  // ---- "Ändra" on the row: the description only. The mark → confidential (→), its ground; Ctrl+S.
  await app.pressUntilFocused('Tab', 'Ändra uppgifterna om Beslut om plats', 200);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toHaveText('Ändra dokumentets uppgifter');
  await expect(dialog.getByTestId('document-edit-file')).toContainText('Beslut om plats.pdf');
  await expect(dialog.getByTestId('document-file-button')).toHaveCount(0);
  await expect(title).toBeFocused();
  await app.pressUntilFocused('Tab', 'Offentlig – ingen markering');
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByTestId('document-classification-confidential')).toBeChecked();
  const ground = dialog.getByTestId('document-ground-input');
  await expect(ground).toBeEnabled();
  // Saved without a ground: the form asks for the provision, at the ground.
  await page.keyboard.press('Control+s');
  await expect(ground).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog).toContainText('Ange vilken sekretessbestämmelse markeringen gäller.');
  await expect(ground).toBeFocused();
  await page.keyboard.type('OSL 23:2');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  await expect(row).toHaveAttribute('data-classification', 'confidential');
  await expect(row.getByTestId('document-classification')).toContainText('Sekretessmarkerad');
  await expect(row.getByTestId('document-ground')).toHaveText('OSL 23:2');
  await expect(block.root.getByTestId('documents-status')).toHaveText('Dokumentets uppgifter är sparade.');
  expect((await app.api('document.list', { personId: child })).items.map((d) => [d.classification, d.classificationGround, d.version])).toEqual([['confidential', 'OSL 23:2', 2]]);
  await showBlock(block);
  await screenshot(page, 'documents-block-sv');
  await expectNoAxeViolations(page, 'person card with a document');

  // ---- The list is one Tab stop; Enter on the row opens the document: the download is the PDF itself.
  await block.focusList('Shift+Tab');
  await expect(row).toBeFocused();
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toBe('Beslut om plats.pdf');
  const got = readFileSync((await file.path())!);
  expect(got.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(Buffer.compare(got, Buffer.from(pdfBytes))).toBe(0);
  await expect(block.root.getByTestId('documents-status')).toHaveText('Dokumentet är hämtat: Beslut om plats.pdf');

  // ---- "Ta bort": asked first, the focus on Avbryt; then removed and the block says there is nothing.
  await app.pressUntilFocused('Tab', 'Ta bort Beslut om plats');
  await page.keyboard.press('Enter');
  const remove = page.getByTestId('document-remove-dialog');
  await expect(remove).toBeVisible();
  await expect(remove).toContainText('”Beslut om plats” (2026-11-23) tas bort från personkortet.');
  await expect(remove.getByRole('button', { name: 'Avbryt' })).toBeFocused();
  await screenshot(page, 'documents-remove-sv');
  await expectNoAxeViolations(page, 'remove document dialog');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('document-remove-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(remove).toBeHidden();
  await expect(block.rows()).toHaveCount(0);
  await expect(block.root).toContainText('Inga dokument.');
  await expect(block.root.getByTestId('documents-status')).toHaveText('Dokumentet är borttaget.');
  expect((await app.api('document.list', { personId: child })).items).toEqual([]);

  // ---- A text file named .pdf: sent, refused by its content at the file field, in words; nothing stored.
  const fakePath = join(dir, 'anteckning.pdf');
  writeFileSync(fakePath, 'Det här är en anteckning, ingen PDF.\n');
  await expect(block.attachButton()).toBeFocused();
  await page.keyboard.press('Alt+KeyD');
  await expect(dialog).toBeVisible();
  await block.chooseFile(fakePath);
  await expect(title).toHaveValue('anteckning');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(kind).toBeFocused();
  await page.keyboard.type('Brev');
  await expect(kind).toHaveValue('letter');
  await app.pressUntilFocused('Tab', 'Bevarande och gallring');
  await page.keyboard.type('Bevaras');
  await expect(retention).toHaveValue('permanent');
  await page.keyboard.press('Control+s');
  const fileButton = dialog.getByTestId('document-file-button');
  await expect(fileButton).toHaveAttribute('aria-invalid', 'true', { timeout: 20_000 });
  await expect(dialog.getByTestId('document-file-error')).toHaveText('Filen är inte en PDF-, PNG- eller JPEG-fil. Det avgörs av filens innehåll, inte av namnet.');
  await expect(fileButton).toBeFocused();
  await screenshot(page, 'documents-dialog-refused-sv');
  await expectNoAxeViolations(page, 'attach dialog refusing a text file');
  expect((await app.api('document.list', { personId: child })).items).toEqual([]);
  // Esc asks first (a file was chosen); leaving keeps the list as it was.
  await page.keyboard.press('Escape');
  await expect(dialog.getByTestId('discard-modal')).toBeVisible();
  await app.pressUntilFocused('Tab', 'Släng ändringarna');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(block.rows()).toHaveCount(0);
});

test('a protected person’s documents are withheld from the clerk; the protected-identity handler opens one after stating a reason', async ({ app: page, host }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  const prot = protectedPerson(host);
  const bytes = await makePdf('Brev om skolskjuts');

  // The clerk for the whole municipality may attach (a letter that came in), but not see what is held.
  await app.signInAs('clerk.all');
  await attachByApi(app, prot, 'brev.pdf', bytes, { title: 'Brev om skolskjuts', kind: 'letter', documentDate: '2026-11-02', classification: 'confidential', classificationGround: 'OSL 21:3', retentionClass: 'years_5' });
  expect(await app.api('document.list', { personId: prot })).toEqual({ items: [], withheld: true });
  await app.goto(`#/person/${prot}`);
  await app.card().visible();
  await expect(app.card().protectedBlock()).toBeVisible();
  const block = new DocumentsBlock(app);
  await expect(block.root.getByTestId('documents-withheld')).toHaveText(
    'Dokument visas inte: personen har skyddade personuppgifter, och dokumenten visas bara för personal med behörighet för dem (se varningen överst).',
  );
  await expect(block.rows()).toHaveCount(0);
  await expect(block.attachButton()).toHaveCount(0);
  await showBlock(block);
  await screenshot(page, 'documents-withheld-sv');
  await expectNoAxeViolations(page, 'protected person card with documents withheld');
  await app.signOut();

  // The handler sees the letter; Enter on its row asks for the reason first (too short is refused in place).
  await app.signInAs('protected');
  await app.goto(`#/person/${prot}`);
  await app.card().visible();
  await expect(block.rows()).toHaveCount(1);
  await expect(block.root.getByTestId('documents-guarded-note')).toBeVisible();
  await block.root.getByRole('heading', { level: 2 }).focus();
  await block.focusList();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('document-reason-dialog');
  await expect(dialog).toBeVisible();
  const reason = dialog.getByTestId('document-reason');
  await expect(reason).toBeFocused();
  await page.keyboard.type('kort');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Skriv ett skäl med minst 10 tecken.');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Ärende 2026-0412: begäran om skolskjuts');
  await screenshot(page, 'documents-reason-sv');
  await expectNoAxeViolations(page, 'reason dialog for a protected person’s document');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  await expect(dialog).toBeHidden();
  expect(readFileSync((await file.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // The reveal is in the audit log with its reason (read by the auditor in access.e2e.ts; here straight from the host's database).
  const db = openHostDb(host);
  try {
    const logged = db.prepare(`SELECT count(*) FROM audit_log WHERE method = 'document.open' AND reason = ?`).pluck().get('Ärende 2026-0412: begäran om skolskjuts') as number;
    expect(logged).toBe(1);
  } finally {
    db.close();
  }
});

test('the block in English', async ({ app: page, host }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  await page.getByRole('button', { name: 'English' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await app.pressUntilFocused('Shift+Tab', 'User name');
  await app.signInAs('clerk.all');
  const child = plainChild(host);
  await attachByApi(app, child, 'decision.pdf', await makePdf('Decision'), { title: 'Decision on a preschool place', kind: 'decision', documentDate: '2026-11-20', classification: 'confidential', classificationGround: 'OSL 23:2', retentionClass: 'permanent' });
  await attachByApi(app, child, 'letter.pdf', await makePdf('Letter'), { title: 'Letter from the guardians', kind: 'letter', documentDate: '2026-10-05', classification: 'open', retentionClass: 'when_obsolete' });
  await app.goto(`#/person/${child}`);
  await app.card().visible();
  const block = new DocumentsBlock(app);
  await expect(block.rows()).toHaveCount(2);
  // Latest first.
  await expect(block.rows().first().getByTestId('document-title')).toHaveText('Decision on a preschool place');
  await expect(block.rows().first()).toContainText('Marked confidential');
  await expect(block.rows().nth(1)).toContainText('Disposed of when no longer needed');
  await expect(block.attachButton()).toHaveText(/Attach document/);
  await showBlock(block);
  await screenshot(page, 'documents-block-en');
  await expectNoAxeViolations(page, 'person card with documents in English');
});

test.describe('a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 400 });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('the block in bokmål', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('clerk.all');
    const child = plainChild(host.info);
    await attachByApi(app, child, 'vedtak.pdf', await makePdf('Vedtak'), { title: 'Vedtak om barnehageplass', kind: 'decision', documentDate: '2026-11-20', classification: 'confidential', classificationGround: 'offl. § 13 jf. fvl. § 13', retentionClass: 'years_10' });
    await attachByApi(app, child, 'brev.pdf', await makePdf('Brev'), { title: 'Brev fra foresatte', kind: 'letter', documentDate: '2026-10-05', classification: 'open', retentionClass: 'permanent' });
    await app.goto(`#/person/${child}`);
    await app.card().visible();
    const block = new DocumentsBlock(app);
    await expect(block.root.getByRole('heading', { level: 2 })).toHaveText('Dokumenter');
    await expect(block.rows()).toHaveCount(2);
    await expect(block.rows().first()).toContainText('Unntatt offentlighet');
    await expect(block.rows().first().getByTestId('document-ground')).toHaveText('offl. § 13 jf. fvl. § 13');
    await expect(block.rows().first()).toContainText('Kasseres etter 10 år');
    await expect(block.rows().nth(1)).toContainText('Oppbevares varig');
    await expect(block.attachButton()).toHaveText(/Legg ved dokument/);
    await showBlock(block);
    await screenshot(page, 'documents-block-nb');
    await expectNoAxeViolations(page, 'person card with documents in bokmål');
    // The dialog in bokmål (Alt+D), looked at, then left with Esc (nothing typed: it closes at once).
    await page.keyboard.press('Alt+KeyD');
    await expect(block.dialog()).toBeVisible();
    await expect(block.dialog().getByRole('heading')).toHaveText('Legg ved dokument');
    await screenshot(page, 'documents-dialog-nb');
    await expectNoAxeViolations(page, 'attach dialog in bokmål');
    await page.keyboard.press('Escape');
    await expect(block.dialog()).toBeHidden();
  });
});
