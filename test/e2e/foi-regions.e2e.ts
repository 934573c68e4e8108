/**
 * Drawing a document's masked regions in the secrecy review (issue 13, step 5), by keyboard, through the browser
 * host. Setup through the contract: a clerk attaches a three-page PDF made here (page 2 holds a secret word near
 * its top and a public word lower down) to a child with no protected person in the family, as confidential;
 * the demo's FOI officer registers the guardian's subject-access request for the child.
 *
 * By keyboard only: the request from the list (Enter), Alt+G gathers, the document's item (Enter): its proposal
 * (withhold, the mark's) changed to mask; Alt+R opens the region editor (page 1 shown, "Sida 1 av 3"); PageDown
 * to page 2; N adds a box in the middle of the page; the arrows (Shift for 10 %) move it and Alt with the arrows
 * resizes it over the secret word, each change announced in the live region; a second box added and removed
 * with Delete; Esc with a change asks first, "Fortsätt redigera" returns; Enter on the box goes to its ground,
 * left as the item's; Ctrl+S hands the region to the review dialog. Saving with no ground anywhere is refused at
 * the region's own ground; chosen there, Ctrl+S saves: the work list says "1 område" and the stored review holds
 * the region as drawn. The mouse draws a box on page 3 and moves it (then it is removed by keyboard). The rest of
 * the review is taken from the proposals; "Utdrag (PDF)" makes the extract: its page 2 is a picture black inside
 * the region (pdfimages), the public word's line still dark on white below it, pages 1 and 3 unmasked, and the
 * redaction log names the region. After the decision's move the item reads with its region listed and shown over
 * the page (read only). The editor (a region selected), the review dialog with its region and the read-only
 * views are axe-checked and photographed; the extract's page 2 is kept as a picture too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { MethodOutput } from '../../shared/api/contract';
import { expect, expectNoAxeViolations, openHostDb, screenshot, SCREENSHOT_DIR, startHost, test } from './fixtures';
import { FoiPage, FoiRequestPage, KansliApp, RegionEditorPage } from './pages';

const TODAY = '2026-11-23';
const SECRET = 'HEMLIGT 4711 DIAGNOS';
const PUBLIC = 'OFFENTLIG RAD 2026';
type Items = MethodOutput<'foi.items'>['items'];

/** A4 in points. */
const W = 595;
const H = 842;
/** The secret on page 2: its baseline and size (points, from the bottom as PDF counts). */
const SECRET_AT = { x: 60, y: 700, size: 28 };
const PUBLIC_AT = { x: 60, y: 300, size: 28 };
/** The region the keys draw (shares from the top left): from the new box (35, 45, 30 × 10 %) by the steps below. */
const REGION = { x: 0.08, y: 0.12, w: 0.62, h: 0.08 };

/** Three pages: a heading on each, the secret and the public line on page 2. Returns the secret's box in shares too. */
async function makePdf(): Promise<{ bytes: Uint8Array; secretBox: { x0: number; x1: number; y0: number; y1: number } }> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= 3; n++) {
    const p = pdf.addPage([W, H]);
    p.drawText(`Utredning, sida ${n}`, { x: 60, y: 790, size: 12, font });
    if (n === 2) {
      p.drawText(SECRET, { x: SECRET_AT.x, y: SECRET_AT.y, size: SECRET_AT.size, font });
      p.drawText(PUBLIC, { x: PUBLIC_AT.x, y: PUBLIC_AT.y, size: PUBLIC_AT.size, font });
    } else {
      p.drawText(`Text pa sida ${n} som lamnas ut.`, { x: 60, y: 600, size: 18, font });
    }
  }
  const width = font.widthOfTextAtSize(SECRET, SECRET_AT.size);
  const ascent = font.heightAtSize(SECRET_AT.size);
  return {
    bytes: await pdf.save(),
    secretBox: { x0: SECRET_AT.x / W, x1: (SECRET_AT.x + width) / W, y0: (H - SECRET_AT.y - ascent) / H, y1: (H - SECRET_AT.y + SECRET_AT.size * 0.25) / H },
  };
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  return context.newPage();
}

/** The upload the page would send, then document.add (the clerk's; the document dialog is documents.e2e.ts's). */
async function attach(app: KansliApp, personId: string, bytes: Uint8Array): Promise<void> {
  const fileId = await app.page.evaluate(
    async ([b]) => {
      const r = await fetch(`/upload?kind=document&name=${encodeURIComponent('utredning.pdf')}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(b) });
      const j = (await r.json()) as { ok: true; data: { fileId: string } } | { ok: false; error: unknown };
      if (!j.ok) throw new Error(JSON.stringify(j.error));
      return j.data.fileId;
    },
    [Array.from(bytes)] as const,
  );
  await app.api('document.add', { personId, fileId, title: 'Utredning elevhälsa', kind: 'report', documentDate: '2026-10-01', classification: 'confidential', classificationGround: 'OSL 23:2', retentionClass: 'years_5' });
}

test.describe('a document\'s masked regions', () => {
  test.describe.configure({ mode: 'serial' });
  let host: Awaited<ReturnType<typeof startHost>>;
  let page: Page;
  let app: KansliApp;
  let dir: string;
  let requestId = '';
  let doc: Items[number] | undefined;
  let secretBox: Awaited<ReturnType<typeof makePdf>>['secretBox'];
  const reviewDialog = () => page.getByTestId('foi-review-dialog');

  test.beforeAll(async ({ browser }) => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-e2e-regions-'));
    host = await startHost({ persons: 400 });
    page = await newPage(browser);
    await page.goto(host.info.url);
    app = new KansliApp(page);
    // A child and a guardian with custody, nobody in the family protected or shielded.
    const db = openHostDb(host.info);
    let family: { guardian: string; child: string } | undefined;
    try {
      family = db
        .prepare(
          `SELECT g.guardian_id AS guardian, g.child_id AS child FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
           WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_from <= @d AND (g.valid_to IS NULL OR g.valid_to >= @d)
             AND c.protection = 'none' AND c.shielded = 0 AND a.protection = 'none' AND a.shielded = 0 AND c.deleted_at IS NULL AND a.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM guardianship g2 JOIN person b ON b.id = g2.guardian_id WHERE g2.child_id = c.id AND g2.deleted_at IS NULL AND (b.protection <> 'none' OR b.shielded = 1 OR g2.shielded = 1))
           ORDER BY c.sort_key LIMIT 1`,
        )
        .get({ d: TODAY }) as typeof family;
    } finally {
      db.close();
    }
    expect(family, 'the demo has a family with nobody protected').toBeTruthy();
    const made = await makePdf();
    secretBox = made.secretBox;
    // The region the keys draw covers the secret (a check of this test's own arithmetic).
    expect(REGION.x).toBeLessThan(secretBox.x0);
    expect(REGION.x + REGION.w).toBeGreaterThan(secretBox.x1);
    expect(REGION.y).toBeLessThan(secretBox.y0);
    expect(REGION.y + REGION.h).toBeGreaterThan(secretBox.y1);
    await app.signInAs('clerk.all');
    await attach(app, family!.child, made.bytes);
    await app.signOut();
    await app.signInAs('foi');
    requestId = await app.guardianAsks(family!, 'Alla uppgifter och handlingar om mitt barn (e2e, områden).');
  });
  test.afterAll(async () => {
    await page?.context().close();
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const items = async (): Promise<Items> => (await app.api('foi.items', { requestId, offset: 0, limit: 500 })).items;

  test('by keyboard: the document masked by a region drawn over its secret word, with its own ground', async () => {
    test.setTimeout(180_000);
    // ---- G F, the request (Tab to the list, Enter), Alt+G gathers.
    const foi = new FoiPage(app);
    await foi.open();
    await expect(foi.row(requestId)).toBeVisible();
    const onRow = () => page.evaluate(() => document.activeElement?.closest('[data-testid="foi-table"] tbody tr')?.getAttribute('data-request-id') ?? null);
    for (let i = 0; i < 60 && (await onRow()) === null; i++) await page.keyboard.press('Tab');
    await expect.poll(onRow).toBe(requestId);
    await page.keyboard.press('Enter');
    const req = new FoiRequestPage(app);
    await req.visible(requestId);
    await page.keyboard.press('Alt+KeyG');
    await req.status('gathering');
    doc = (await items()).find((i) => i.category === 'document');
    expect(doc, 'the document is gathered').toBeTruthy();
    expect([doc!.proposal.outcome, doc!.guarded, doc!.fields.find((f) => f.name === 'pages')?.value]).toEqual(['withhold', false, '3']);

    // ---- The document's item: Enter; its proposal (withhold) focused; ↑ to mask. No regions yet.
    await req.focusItem(doc!.id);
    await page.keyboard.press('Enter');
    const dialog = reviewDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('foi-review-outcome-withhold')).toBeFocused();
    await expect(dialog.getByTestId('foi-review-regions')).toHaveCount(0);
    await page.keyboard.press('ArrowUp');
    await expect(dialog.getByTestId('foi-review-outcome-mask')).toBeChecked();
    const section = dialog.getByTestId('foi-review-regions');
    await expect(section).toBeVisible();
    await expect(section.getByTestId('foi-review-regions-none')).toHaveText('Inga områden ritade.');
    await expect(section.getByTestId('foi-review-regions-open')).toHaveAttribute('aria-keyshortcuts', 'Alt+R');

    // ---- Alt+R: the editor, page 1 of 3, "Nytt område" focused.
    await page.keyboard.press('Alt+KeyR');
    const editor = new RegionEditorPage(app);
    await expect(editor.root).toBeVisible();
    await expect(editor.root.getByRole('heading').first()).toHaveText('Områden att maskera: Utredning elevhälsa');
    await expect(editor.image()).toBeVisible();
    await expect(editor.image()).toHaveAttribute('alt', 'Sida 1 av 3 i Utredning elevhälsa');
    await expect(editor.pageOf()).toHaveText('Sida 1 av 3');
    await expect(editor.newButton()).toBeFocused();
    await expect(editor.newButton()).toHaveAttribute('aria-keyshortcuts', 'N');
    await expect(editor.root.getByTestId('foi-regions-keys')).toContainText('Alt + piltangenterna: bredare, smalare, högre, lägre 1 % (Skift: 10 %)');
    expect((await editor.image().getAttribute('src'))!.startsWith('data:image/jpeg;base64,')).toBe(true);

    // ---- PageDown: page 2; PageUp back and PageDown again (the first page has no previous one).
    await page.keyboard.press('PageDown');
    await expect(editor.pageOf()).toHaveText('Sida 2 av 3');
    await expect(editor.sheet()).toHaveAttribute('data-page', '2');
    await expect.poll(() => editor.said()).toBe('Sida 2 av 3: 0 områden');
    await page.keyboard.press('PageUp');
    await expect(editor.pageOf()).toHaveText('Sida 1 av 3');
    await page.keyboard.press('PageUp');
    await expect(editor.pageOf()).toHaveText('Sida 1 av 3');
    await page.keyboard.press('PageDown');
    await expect(editor.sheet()).toHaveAttribute('data-page', '2');
    await expect(editor.image()).toHaveAttribute('alt', 'Sida 2 av 3 i Utredning elevhälsa');

    // ---- N: a box in the middle of page 2, focused and announced.
    await page.keyboard.press('n');
    await expect(editor.boxes()).toHaveCount(1);
    await expect(editor.boxes().first()).toBeFocused();
    await expect.poll(() => editor.said()).toBe('Område 1 tillagt på sida 2: x 35 %, y 45 %, 30 × 10 %');
    expect(await editor.focusedBox()).toEqual({ x: 0.35, y: 0.45, w: 0.3, h: 0.1 });
    await expect(editor.boxes().first()).toHaveAttribute('aria-label', 'Område 1');
    await expect(editor.boxes().first()).toHaveAttribute('aria-roledescription', 'område att maskera');
    await expect(editor.boxes().first()).toHaveAttribute('aria-keyshortcuts', /Alt\+ArrowRight/);

    // ---- The arrows move it (Shift 10 %), to x 8 %, y 12 %.
    await editor.press('Shift+ArrowLeft', 2);
    await editor.press('ArrowLeft', 7);
    await expect.poll(() => editor.said()).toBe('Område 1: x 8 %, y 45 %, 30 × 10 %');
    await editor.press('Shift+ArrowUp', 3);
    await editor.press('ArrowUp', 3);
    await expect.poll(() => editor.said()).toBe('Område 1: x 8 %, y 12 %, 30 × 10 %');
    // ---- Alt with the arrows resizes it: 62 % wide, 8 % high.
    await editor.press('Alt+Shift+ArrowRight', 3);
    await editor.press('Alt+ArrowRight', 2);
    await editor.press('Alt+ArrowUp', 2);
    await expect.poll(() => editor.said()).toBe('Område 1: x 8 %, y 12 %, 62 × 8 %');
    expect(await editor.focusedBox()).toEqual(REGION);
    await expect(editor.selected().getByTestId('foi-regions-selected-box')).toHaveText('x 8 %, y 12 %, 62 × 8 %');
    await expect(editor.rows()).toHaveCount(1);
    await expect(editor.rows().first()).toContainText('8 %, 12 %');
    await expect(editor.rows().first()).toContainText('62 × 8 %');

    // ---- At the page's edge it stops, and says so (then back).
    const edge = await editor.focusedBox();
    await editor.press('Shift+ArrowUp', 2);
    await expect.poll(() => editor.said()).toBe('Område 1: x 8 %, y 0 %, 62 × 8 % (vid sidans kant)');
    await editor.press('Shift+ArrowDown');
    await editor.press('ArrowDown', 2);
    expect(await editor.focusedBox()).toEqual(edge);

    // ---- A second box (N) and its removal (Delete): the first takes the focus again.
    await page.keyboard.press('n');
    await expect(editor.boxes()).toHaveCount(2);
    await expect.poll(() => editor.said()).toBe('Område 2 tillagt på sida 2: x 35 %, y 45 %, 30 × 10 %');
    await page.keyboard.press('Delete');
    await expect(editor.boxes()).toHaveCount(1);
    await expect.poll(() => editor.said()).toBe('Område 2 borttaget. 1 område kvar.');
    await expect(editor.boxes().first()).toBeFocused();

    // ---- Esc with a change asks first; "Fortsätt redigera" goes back to the box.
    await page.keyboard.press('Escape');
    await expect(editor.root.getByTestId('foi-regions-discard')).toBeVisible();
    await expect(editor.root.getByTestId('foi-regions-discard-stay')).toBeFocused();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(editor.root.getByTestId('foi-regions-discard')).toHaveCount(0);
    await expect(editor.boxes().first()).toBeFocused();

    // ---- Enter on the box: its ground (the item's, none chosen yet). The editor with its region selected.
    await page.keyboard.press('Enter');
    await expect(editor.ground()).toBeFocused();
    await expect(editor.ground()).toHaveValue('');
    await expect(editor.ground().locator('option:checked')).toHaveText('Postens grund (ingen vald)');
    await screenshot(page, 'foi-regions-editor-sv');
    await expectNoAxeViolations(page, 'region editor with a region selected');

    // ---- Ctrl+S: the region goes to the review dialog (not saved yet).
    await page.keyboard.press('Control+s');
    await expect(editor.root).toBeHidden();
    await expect(dialog).toBeVisible();
    const rows = section.getByTestId('foi-review-region');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Område 1, sida 2');
    await expect(rows.first()).toContainText('x 8 %, y 12 %, 62 × 8 %');
    await expect(section.getByTestId('foi-review-regions-open')).toHaveText('Ändra områdena…');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="foi-review-dialog"]'))).toBe(true);

    // ---- Saved with no ground anywhere: refused at the region's own ground, which takes the focus.
    await page.keyboard.press('Control+s');
    const regionGround = rows.first().getByTestId('foi-review-region-ground');
    await expect(regionGround).toBeFocused();
    await expect(rows.first()).toContainText('Ange grunden (lagrummet) för det som maskeras eller undantas.');
    await expect(regionGround).toHaveAttribute('aria-invalid', 'true');
    // The item's ground is not asked: a mask with only regions is a mask.
    await expect(dialog.getByTestId('foi-review-ground')).not.toHaveAttribute('aria-invalid', 'true');
    await req.selectByArrows(regionGround, 'se_osl_23_2');
    await expect(rows.first().getByTestId('foi-review-region-error')).toHaveCount(0);
    await app.pressUntilFocused('Tab', 'Motivering');
    await page.keyboard.type('Uppgiften om hälsa på sida 2 maskeras; resten av utredningen lämnas ut (e2e).');
    await screenshot(page, 'foi-regions-dialog-sv');
    await expectNoAxeViolations(page, 'review dialog with a region');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    await expect(req.notice()).toHaveText('Prövningen är sparad.');
    const row = req.item(doc!.id);
    await expect(row).toHaveAttribute('data-review', 'mask');
    await expect(row.getByTestId('foi-item-regions-count')).toHaveText('1 område');
    await expect.poll(() => req.focusedItem()).toBe(doc!.id);

    // ---- Stored as drawn.
    const stored = (await items()).find((i) => i.id === doc!.id)!.review!;
    expect([stored.outcome, stored.ground, stored.fields, stored.reason]).toEqual(['mask', null, {}, 'Uppgiften om hälsa på sida 2 maskeras; resten av utredningen lämnas ut (e2e).']);
    expect(stored.regions).toEqual([{ page: 2, ...REGION, ground: 'se_osl_23_2' }]);
    await page.evaluate(() => document.getElementById('sec-foi-review-title')?.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'foi-regions-list-sv');
  });

  test('the review opened again shows its region; the mouse draws a box and moves it; nothing changed is nothing saved', async () => {
    expect(doc, 'the document reviewed above').toBeTruthy();
    const req = new FoiRequestPage(app);
    await req.focusItem(doc!.id);
    await page.keyboard.press('Enter');
    const dialog = reviewDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('foi-review-outcome-mask')).toBeFocused();
    await expect(dialog.getByTestId('foi-review-region')).toHaveCount(1);
    await expect(dialog.getByTestId('foi-review-region-ground')).toHaveValue('se_osl_23_2');
    await page.keyboard.press('Alt+KeyR');
    const editor = new RegionEditorPage(app);
    await expect(editor.root).toBeVisible();
    // It opens on the first region's page, the region selected.
    await expect(editor.pageOf()).toHaveText('Sida 2 av 3');
    await expect(editor.boxes()).toHaveCount(1);
    await expect(editor.boxes().first()).toHaveAttribute('data-selected', 'true');
    await expect(editor.ground()).toHaveValue('se_osl_23_2');

    // ---- The page as wide as the stage (the page scrolls under it), then the whole page again.
    await editor.root.getByText('Sidbredd').click();
    await expect(editor.root.getByTestId('foi-regions-stage')).toHaveAttribute('data-zoom', 'width');
    await expect.poll(async () => (await editor.sheet().boundingBox())!.width).toBeGreaterThan((await editor.root.getByTestId('foi-regions-stage').boundingBox())!.width - 60);
    await screenshot(page, 'foi-regions-editor-width-sv');
    await editor.root.getByText('Hela sidan').click();
    await expect(editor.root.getByTestId('foi-regions-stage')).toHaveAttribute('data-zoom', 'page');

    // ---- The mouse on page 3: a box drawn by dragging, then moved by dragging it.
    await editor.root.getByTestId('foi-regions-next').click();
    await expect(editor.pageOf()).toHaveText('Sida 3 av 3');
    await expect(editor.image()).toHaveAttribute('alt', 'Sida 3 av 3 i Utredning elevhälsa');
    const r = (await editor.sheet().boundingBox())!;
    await page.mouse.move(r.x + r.width * 0.2, r.y + r.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width * 0.4, r.y + r.height * 0.35, { steps: 5 });
    await page.mouse.move(r.x + r.width * 0.6, r.y + r.height * 0.4, { steps: 5 });
    await page.mouse.up();
    await expect(editor.boxes()).toHaveCount(1);
    await expect(editor.boxes().first()).toBeFocused();
    const drawn = (await editor.focusedBox())!;
    expect(drawn.x).toBeCloseTo(0.2, 1);
    expect(drawn.y).toBeCloseTo(0.3, 1);
    expect(drawn.w).toBeCloseTo(0.4, 1);
    expect(drawn.h).toBeCloseTo(0.1, 1);
    await expect.poll(() => editor.said()).toMatch(/^Område 2 tillagt på sida 3: /);
    const b = (await editor.boxes().first().boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + r.width * 0.1, b.y + b.height / 2 + r.height * 0.2, { steps: 8 });
    await page.mouse.up();
    const moved = (await editor.focusedBox())!;
    expect(moved.x).toBeCloseTo(drawn.x + 0.1, 1);
    expect(moved.y).toBeCloseTo(drawn.y + 0.2, 1);
    expect([moved.w, moved.h]).toEqual([drawn.w, drawn.h]);
    await expect.poll(() => editor.said()).toMatch(/^Område 2: x /);
    // Dragged far past the edge, it stops on the page.
    const b2 = (await editor.boxes().first().boundingBox())!;
    await page.mouse.move(b2.x + 4, b2.y + 4);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width + 20, r.y + r.height + 20, { steps: 6 });
    await page.mouse.up();
    const corner = (await editor.focusedBox())!;
    expect(corner.x + corner.w).toBeCloseTo(1, 4);
    expect(corner.y + corner.h).toBeCloseTo(1, 4);
    // The list has both, in page order; the mouse's region goes with Delete.
    await expect(editor.rows()).toHaveCount(2);
    await expect(editor.rows().nth(1)).toHaveAttribute('data-page', '3');
    await page.keyboard.press('Delete');
    await expect(editor.boxes()).toHaveCount(0);
    await expect.poll(() => editor.said()).toBe('Område 2 borttaget. 1 område kvar.');
    // Back where it started: nothing to ask, Esc closes, and the review is unchanged. (A click on the editor's
    // text leaves the focus on the dialog box itself: Esc there closes the editor, not the review under it.)
    await expect(editor.root.getByTestId('foi-regions-unsaved')).toHaveCount(0);
    await editor.root.getByText('Tangentbordet').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('dialog');
    await page.keyboard.press('Escape');
    await expect(editor.root).toBeHidden();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('unsaved')).toHaveCount(0);
    // The focus is back where the editor was opened from.
    await expect(dialog.getByTestId('foi-review-outcome-mask')).toBeFocused();

    // ---- "Ta bort" on the dialog's region: gone, the focus on "Rita områden…"; Esc then asks, and discarding keeps the review.
    await app.pressUntilFocused('Tab', 'Ta bort område 1');
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('foi-review-region')).toHaveCount(0);
    await expect(dialog.getByTestId('foi-review-regions-none')).toBeVisible();
    await expect(dialog.getByTestId('foi-review-regions-open')).toBeFocused();
    await expect(dialog.getByTestId('foi-review-regions-open')).toHaveText('Rita områden…');
    await page.keyboard.press('Escape');
    await expect(dialog.getByTestId('discard-modal')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('discard-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    expect((await items()).find((i) => i.id === doc!.id)!.review!.regions).toEqual([{ page: 2, ...REGION, ground: 'se_osl_23_2' }]);
  });

  test('the extract: page 2 of the document is a picture, black under the region; the decision\'s item lists it, read only', async () => {
    expect(doc, 'the document reviewed above').toBeTruthy();
    const req = new FoiRequestPage(app);
    // ---- The rest of the review from the proposals (the keyboard's path is foi-review.e2e.ts's), then to review.
    const rest = (await items()).filter((i) => i.review === null && !i.gone);
    const accepted = await app.api('foi.reviewAccept', { requestId, items: rest.map((i) => ({ id: i.id, version: i.version })) });
    expect(accepted.skipped).toEqual([]);
    await req.fromPalette('Till prövning');
    await req.status('review');

    // ---- "Utdrag (PDF)" by keyboard: the download.
    await app.pressUntilFocused('Shift+Tab', 'Utdrag (PDF)');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = join(dir, 'extract.pdf');
    writeFileSync(file, readFileSync((await (await download).path())!));
    await expect(req.notice()).toContainText('1 maskerade och 0 undantagna delar');
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // ---- The document's pages are pictures (pdfimages): three, in order; the text nowhere as text.
    execFileSync('pdfimages', ['-png', file, join(dir, 'img')]);
    const images = readdirSync(dir).filter((f) => f.startsWith('img') && f.endsWith('.png')).sort();
    expect(images).toHaveLength(3);
    // The redaction log names the region with its ground (a table: its cells may wrap across lines).
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).not.toContain(SECRET);
    expect(flat, text.slice(-1500)).toMatch(/Utredning elevhälsa: område på sida 2/);
    expect(flat).toContain('OSL 23:2');
    const { loadImage, createCanvas } = await import('@napi-rs/canvas');
    const pixels = async (name: string) => {
      const img = await loadImage(readFileSync(join(dir, name)));
      const canvas = createCanvas(img.width, img.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      return {
        at: (fx: number, fy: number) => Array.from(ctx.getImageData(Math.floor(fx * img.width), Math.floor(fy * img.height), 1, 1).data.slice(0, 3)),
        dark: (fx: number, fy: number, fw: number, fh: number) => {
          const d = ctx.getImageData(Math.floor(fx * img.width), Math.floor(fy * img.height), Math.floor(fw * img.width), Math.floor(fh * img.height)).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i]! < 100) n++;
          return { n, of: d.length / 4 };
        },
      };
    };
    const p2 = await pixels(images[1]!);
    // Every sampled pixel where the secret was (inside the region, clear of the label's line in its middle): black.
    for (let fx = secretBox.x0; fx < secretBox.x1; fx += 0.02) {
      for (const fy of [REGION.y + 0.005, secretBox.y0, REGION.y + REGION.h - 0.005]) expect(p2.at(fx, fy), `page 2 at ${fx.toFixed(3)}, ${fy.toFixed(3)}`).toEqual([0, 0, 0]);
    }
    // The public line below: some dark text pixels on a mostly white band.
    const below = p2.dark(0.05, (H - PUBLIC_AT.y - PUBLIC_AT.size) / H, 0.9, (PUBLIC_AT.size * 1.4) / H);
    expect(below.n).toBeGreaterThan(100);
    expect(below.n).toBeLessThan(below.of / 3);
    // Pages 1 and 3: nothing masked where page 2's region is (white there).
    for (const name of [images[0]!, images[2]!]) {
      const p = await pixels(name);
      expect(p.dark(REGION.x, REGION.y, REGION.w, REGION.h).n).toBe(0);
    }
    // The extract's page that holds the document's page 2 (pdfimages -list: the page of each image), kept as a picture to look at.
    const imagePages = execFileSync('pdfimages', ['-list', file]).toString().split('\n').slice(2).filter((l) => l.trim()).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(imagePages).toHaveLength(3);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', '-f', String(imagePages[1]), '-l', String(imagePages[1]), file, join(dir, 'extract-page')]);
    writeFileSync(join(SCREENSHOT_DIR, 'foi-regions-extract-page.png'), readFileSync(join(dir, 'extract-page.png')));

    // ---- To the decision: the item is read only, its region listed and shown over its page.
    await req.fromPalette('Till beslut');
    await req.status('decision');
    await req.focusItem(doc!.id);
    await page.keyboard.press('Enter');
    const read = page.getByTestId('foi-item-dialog');
    await expect(read).toBeVisible();
    const listed = read.getByTestId('foi-item-region');
    await expect(listed).toHaveCount(1);
    await expect(listed.first()).toHaveText(/Område 1, sida 2.*x 8 %, y 12 %, 62 × 8 %.*grund: OSL 23:2/);
    await screenshot(page, 'foi-regions-read-sv');
    await expectNoAxeViolations(page, 'item read with its region');
    await app.pressUntilFocused('Tab', 'Visa områdena på sidorna…');
    await page.keyboard.press('Enter');
    const editor = new RegionEditorPage(app);
    await expect(editor.root).toBeVisible();
    await expect(editor.root.getByRole('heading').first()).toHaveText('Maskerade områden: Utredning elevhälsa');
    await expect(editor.image()).toHaveAttribute('alt', 'Sida 2 av 3 i Utredning elevhälsa');
    await expect(editor.newButton()).toHaveCount(0);
    await expect(editor.ground()).toHaveCount(0);
    // The box takes the focus (Tab) but not the keys.
    await app.pressUntilFocused('Tab', 'Område 1');
    await expect(editor.boxes().first()).toBeFocused();
    const before = await editor.focusedBox();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Delete');
    expect(await editor.focusedBox()).toEqual(before);
    await expect(editor.boxes()).toHaveCount(1);
    await expect(editor.selected()).toContainText('grund: OSL 23:2');
    await screenshot(page, 'foi-regions-read-editor-sv');
    await expectNoAxeViolations(page, 'regions shown read only');
    await page.keyboard.press('Escape');
    await expect(editor.root).toBeHidden();
    await expect(read).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(read).toBeHidden();
  });

  test('a protected child\'s document: an officer who may reveal gives the reason first, then sees its pages; the reveal is logged', async () => {
    test.setTimeout(180_000);
    const db = openHostDb(host.info);
    let family: { guardian: string; child: string } | undefined;
    try {
      family = db
        .prepare(
          `SELECT g.guardian_id AS guardian, g.child_id AS child FROM guardianship g JOIN person c ON c.id = g.child_id
           WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_from <= @d AND (g.valid_to IS NULL OR g.valid_to >= @d)
             AND c.protection <> 'none' AND c.deleted_at IS NULL
           ORDER BY c.sort_key LIMIT 1`,
        )
        .get({ d: TODAY }) as typeof family;
    } finally {
      db.close();
    }
    expect(family, 'the demo has a protected child with a guardian').toBeTruthy();
    // The administrator gives the FOI officer the protected-identity handler's role too, as a municipality
    // would for the officer who handles such requests.
    await app.signOut();
    await app.signIn('admin');
    await app.enrolTotp();
    await app.ready();
    const officer = (await app.api('user.list', {})).items.find((u) => u.username === 'foi')!;
    await app.api('user.update', {
      id: officer.id,
      version: officer.version,
      displayName: officer.displayName,
      disabled: false,
      roles: [...officer.roles.map((r) => ({ role: r.role, unitId: r.unitId })), { role: 'protected_handler' as const, unitId: null }],
    });
    await app.signOut();
    // The handler (a clerk who may see the child) attaches the document.
    await app.signInAs('protected');
    await attach(app, family!.child, (await makePdf()).bytes);
    await app.signOut();

    await app.signInAs('foi');
    const id = await app.guardianAsks(family!, 'Alla handlingar om mitt barn (e2e, skyddad).');
    await app.goto(`#/foi/${id}`);
    const req = new FoiRequestPage(app);
    await req.visible(id);
    await page.keyboard.press('Alt+KeyG');
    await req.status('gathering');
    const guarded = (await app.api('foi.items', { requestId: id, offset: 0, limit: 500 })).items.find((i) => i.category === 'document');
    expect(guarded, 'the document is gathered').toBeTruthy();
    expect(guarded!.guarded).toBe(true);

    // ---- The item (Enter), mask (↑), Alt+R: the editor asks for the reason before any page is fetched.
    await req.focusItem(guarded!.id);
    await page.keyboard.press('Enter');
    const dialog = reviewDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('foi-review-outcome-withhold')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(dialog.getByTestId('foi-review-outcome-mask')).toBeChecked();
    await expect(dialog.getByTestId('foi-review-regions')).toBeVisible();
    const pages: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/foi.documentPage')) pages.push(r.postData() ?? '');
    });
    await page.keyboard.press('Alt+KeyR');
    const editor = new RegionEditorPage(app);
    await expect(editor.root).toBeVisible();
    const reason = editor.root.getByTestId('foi-regions-reason');
    await expect(reason).toBeFocused();
    await expect(editor.image()).toHaveCount(0);
    await screenshot(page, 'foi-regions-reason-sv');
    await expectNoAxeViolations(page, 'region editor asking for the reason');
    await page.keyboard.type('Granskning av begäran om registerutdrag');
    await page.keyboard.press('Enter');
    await expect(editor.image()).toBeVisible();
    await expect(editor.pageOf()).toHaveText('Sida 1 av 3');
    // The keys work at once: the focus is on "Nytt område" (it was on the reason, now gone).
    await expect(editor.newButton()).toBeFocused();
    await page.keyboard.press('PageDown');
    await expect(editor.pageOf()).toHaveText('Sida 2 av 3');
    await expect(editor.image()).toHaveAttribute('alt', /^Sida 2 av 3/);
    // Every page fetched carried the reason.
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const body of pages) expect(JSON.parse(body)).toMatchObject({ itemId: guarded!.id, reason: 'Granskning av begäran om registerutdrag' });
    await screenshot(page, 'foi-regions-revealed-sv');
    // Esc closes the editor only (nothing drawn); the review under it stays. A second Esc asks it to close:
    // the outcome was changed, so it asks first, and the changes are discarded by keyboard.
    await page.keyboard.press('Escape');
    await expect(editor.root).toBeHidden();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog.getByTestId('discard-stay')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('discard-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await app.signOut();

    // ---- The auditor finds each page's reveal with its reason, for the child.
    await app.signInAs('auditor');
    const log = (await app.api('audit.query', { action: 'reveal', person: family!.child, limit: 100 })).items.filter((e) => e.method === 'foi.documentPage');
    expect(log.length).toBeGreaterThanOrEqual(2);
    for (const e of log) expect([e.actorName, e.reason, e.personIds]).toEqual(['Fia Insyn (demo)', 'Granskning av begäran om registerutdrag', [family!.child]]);
    await app.signOut();
  });
});
