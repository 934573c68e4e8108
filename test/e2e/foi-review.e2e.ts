/**
 * The secrecy review on a request's page (issue 13, steps 4–5), by keyboard only, signed in as the demo's FOI
 * officer: a guardian's subject-access request for a child in whose family someone is protected (a child whose
 * other guardian is protected; the demo protects whole families, so usually a protected child asked for by
 * its guardian, the case the brief allows) is registered (setup, through the contract: registering by keyboard
 * is foi.e2e.ts's), opened from the dashboard (Enter), gathered with Alt+G (the counts in the notice), and its
 * proposals read in the work list: the protected person's details masked on OSL 21:3, their values shown as
 * protected. One item that shows nothing protected is opened (Enter), masked field by field on a ground with a
 * reasoning, saved with Ctrl+S (the focus back on its row). The request goes to review; the decision is
 * refused with the counts of what is left; "Godta förslagen" (palette, asked first with the focus on Cancel)
 * takes the rest, the skipped items are counted in the notice and marked in the list, and each is reviewed
 * (withheld on a ground); then the decision is reached, and registered (decided): the decision letter is
 * saved (a PDF), a disclosure recorded by keyboard and seen in the log. The list, the review dialog, the
 * confirmation and the disclosures are axe-checked and photographed (the list also in bokmål and English).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test } from './fixtures';
import { FoiPage, FoiRequestPage, KansliApp } from './pages';
import type { MethodOutput } from '../../shared/api/contract';

const TODAY = '2026-11-23';
type Items = MethodOutput<'foi.items'>['items'];

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  return context.newPage();
}

test.describe('the review of a guardian\'s subject-access request', () => {
  test.describe.configure({ mode: 'serial' });
  let host: Awaited<ReturnType<typeof startHost>>;
  let page: Page;
  let app: KansliApp;
  let family: { guardian: string; child: string; protectedChild: number };
  let requestId = '';
  /** What the steps share: the items as gathered, the one reviewed by hand, those "take the proposals" must skip. */
  let gathered: Items = [];
  let target: Items[number] | undefined;
  let expectSkipped: Items = [];
  const reviewDialog = () => page.getByTestId('foi-review-dialog');

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ persons: 400 });
    page = await newPage(browser);
    await page.goto(host.info.url);
    app = new KansliApp(page);
    await app.signInAs('foi');
    const db = openHostDb(host.info);
    try {
      const custody = `g1.deleted_at IS NULL AND g1.shielded = 0 AND g1.kind <> 'annan_ansvarig' AND g1.valid_from <= @d AND (g1.valid_to IS NULL OR g1.valid_to >= @d)
        AND c.deleted_at IS NULL AND a.deleted_at IS NULL`;
      // A child (not protected) whose other guardian is protected, asked for by the guardian who is not.
      const other = db
        .prepare(
          `SELECT g1.guardian_id AS guardian, g1.child_id AS child, 0 AS protectedChild
           FROM guardianship g1 JOIN person c ON c.id = g1.child_id JOIN person a ON a.id = g1.guardian_id
           JOIN guardianship g2 ON g2.child_id = g1.child_id AND g2.guardian_id <> g1.guardian_id AND g2.deleted_at IS NULL
           JOIN person b ON b.id = g2.guardian_id
           WHERE ${custody} AND c.protection = 'none' AND a.protection = 'none' AND a.shielded = 0 AND b.protection <> 'none'
           ORDER BY c.sort_key LIMIT 1`,
        )
        .get({ d: TODAY }) as typeof family | undefined;
      // Else: a protected child, asked for by a guardian with custody.
      const child = db
        .prepare(
          `SELECT g1.guardian_id AS guardian, g1.child_id AS child, 1 AS protectedChild
           FROM guardianship g1 JOIN person c ON c.id = g1.child_id JOIN person a ON a.id = g1.guardian_id
           WHERE ${custody} AND c.protection <> 'none'
             AND EXISTS (SELECT 1 FROM placement p WHERE p.child_id = c.id AND p.deleted_at IS NULL)
           ORDER BY c.sort_key LIMIT 1`,
        )
        .get({ d: TODAY }) as typeof family | undefined;
      expect(other ?? child, 'the demo has a family with a protected member').toBeTruthy();
      family = (other ?? child)!;
    } finally {
      db.close();
    }
    requestId = await app.guardianAsks(family, 'Alla uppgifter om mitt barn (e2e, prövning).');
  });
  test.afterAll(async () => {
    await page?.context().close();
    await host?.stop();
  });

  const items = async (): Promise<Items> => (await app.api('foi.items', { requestId, offset: 0, limit: 500 })).items;
  const scrollToReview = () => page.evaluate(() => document.getElementById('sec-foi-review-title')?.scrollIntoView({ block: 'start' }));

  test('Alt+G gathers; the proposals mask the protected details; one item is masked field by field by hand', async () => {
    // ---- G F, the request from the list (Tab to it, Enter).
    const foi = new FoiPage(app);
    await foi.open();
    await expect(foi.row(requestId)).toBeVisible();
    const onRow = () => page.evaluate(() => document.activeElement?.closest('[data-testid="foi-table"] tbody tr')?.getAttribute('data-request-id') ?? null);
    for (let i = 0; i < 60 && (await onRow()) === null; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Home');
    await expect.poll(onRow).toBe(requestId);
    await page.keyboard.press('Enter');
    const req = new FoiRequestPage(app);
    await req.visible(requestId);
    await req.status('registered');
    await expect(req.root.getByTestId('foi-review-empty')).toBeVisible();
    await expect(req.root.getByTestId('foi-extract')).toHaveCount(0);

    // ---- Alt+G: gathered; the counts in the notice; the request moves to gathering.
    await page.keyboard.press('Alt+KeyG');
    await req.status('gathering');
    gathered = await items();
    const total = gathered.length;
    expect(total).toBeGreaterThan(3);
    await expect(req.notice()).toHaveText(`Insamlingen är klar: ${total} nya, 0 ändrade och 0 borttagna poster (${total} totalt).`);
    await expect(req.items()).toHaveCount(total);
    await expect(req.root.getByTestId('foi-review-body')).toHaveAttribute('data-left', String(total));

    // ---- The proposals: the protected person's details masked on OSL 21:3, their values as protected.
    const masked = gathered.filter((i) => i.proposal.outcome === 'mask');
    expect(masked.length, 'something is proposed masked').toBeGreaterThan(0);
    for (const m of masked) {
      const row = req.item(m.id);
      await expect(row.getByTestId('foi-item-proposal')).toHaveAttribute('data-outcome', 'mask');
      await expect(row.getByTestId('foi-item-proposal')).toHaveAttribute('data-ground', 'se_osl_21_3');
      await expect(row.getByTestId('foi-item-proposal')).toContainText('Maskeras');
      await expect(row.getByTestId('foi-item-proposal')).toContainText('OSL 21:3');
      await expect(row.getByTestId('foi-item-review')).toHaveText('Ej prövad');
    }
    const hidden = gathered.filter((i) => i.fields.length > 0 && i.fields.every((f) => f.value === null && f.withheld));
    for (const h of hidden) await expect(req.item(h.id).getByTestId('foi-item-summary')).toHaveText('Skyddad uppgift');
    const guardianships = gathered.filter((i) => i.category === 'guardianship' && i.fields.some((f) => f.name === 'guardian_id' && f.withheld));
    expect(guardianships.length, 'a guardianship names a protected guardian').toBeGreaterThan(0);
    for (const g of guardianships) {
      await expect(req.item(g.id).getByTestId('foi-item-summary')).toContainText('Skyddad person');
      await expect(req.item(g.id).getByTestId('foi-item-proposal')).toHaveAttribute('data-outcome', 'mask');
    }
    if (family.protectedChild) {
      await expect(req.items().first().getByTestId('foi-item-person')).toContainText('Skyddad person');
      await expect(req.items().first().getByTestId('protected-badge')).toBeVisible();
    }
    await scrollToReview();
    await screenshot(page, 'foi-review-list-sv');
    await expectNoAxeViolations(page, 'FOI request with the review list');

    // ---- One item that shows nothing protected, reviewed by hand: masked field by field on a ground, with a reasoning.
    target = ['placement', 'enrolment', 'membership'].map((c) => gathered.find((i) => i.category === c && !i.guarded && i.proposal.outcome === 'disclose')).find(Boolean);
    expect(target, 'an item that shows nothing protected').toBeTruthy();
    await req.focusItem(target!.id);
    await page.keyboard.press('Enter');
    const dialog = reviewDialog();
    await expect(dialog).toBeVisible();
    // Esc with nothing changed closes at once, back on the row; Enter opens it again.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect.poll(() => req.focusedItem()).toBe(target!.id);
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    // The proposal is where the form starts: "Lämnas ut", focused.
    await expect(dialog.getByTestId('foi-review-outcome-disclose')).toBeFocused();
    await expect(dialog.getByTestId('foi-review-outcome-disclose')).toBeChecked();
    await expect(dialog.getByTestId('foi-review-fields').locator('[data-field="valid_from"] dd')).not.toBeEmpty();
    await expect(dialog.getByTestId('foi-review-ground')).toHaveCount(0);
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByTestId('foi-review-outcome-mask')).toBeChecked();
    await page.keyboard.press('Tab');
    const ground = dialog.getByTestId('foi-review-ground');
    await req.selectByArrows(ground, 'se_osl_23_2');
    await expect(ground.locator('option:checked')).toHaveText('OSL 23:2 – Skolväsendet: elevhälsa, särskilt elevstöd och personliga förhållanden');
    // Only the grounds of Sweden and of both countries, in force today.
    await expect(ground.locator('option[value^="no_"]')).toHaveCount(0);
    await expect(ground.locator('option[value="gdpr_15_4"]')).toHaveCount(1);
    await app.pressUntilFocused('Tab', 'Från och med');
    await page.keyboard.press('Space');
    await expect(dialog.getByTestId('foi-mask-field-valid_from')).toBeChecked();
    // Its own ground is the item's unless chosen.
    await expect(dialog.getByTestId('foi-mask-ground-valid_from')).toHaveValue('');
    await app.pressUntilFocused('Tab', 'Motivering');
    await page.keyboard.type('Startdagen visar när barnet kom till enheten (e2e).');
    await screenshot(page, 'foi-review-dialog-sv');
    await expectNoAxeViolations(page, 'review dialog');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    await expect(req.notice()).toHaveText('Prövningen är sparad.');
    const row = req.item(target!.id);
    await expect(row).toHaveAttribute('data-review', 'mask');
    await expect(row.getByTestId('foi-item-review')).toContainText('OSL 23:2');
    await expect(row).toContainText('1 fält maskerat');
    await expect.poll(() => req.focusedItem()).toBe(target!.id);
    const stored = (await items()).find((i) => i.id === target!.id)!.review!;
    expect([stored.outcome, stored.ground, stored.fields, stored.reason]).toEqual(['mask', 'se_osl_23_2', { valid_from: { outcome: 'mask', ground: null } }, 'Startdagen visar när barnet kom till enheten (e2e).']);
  });

  test('to review; the decision waits for the review (the counts); "Godta förslagen" takes the rest and marks what it skipped', async () => {
    // Serial: an earlier step that failed stops these; a missing target is a failure, never a skip.
    expect(target, 'the item reviewed above').toBeTruthy();
    const req = new FoiRequestPage(app);
    const total = gathered.length;

    // ---- To review; the decision is refused until every item is reviewed, with the counts.
    await req.fromPalette('Till prövning');
    await req.status('review');
    await expect(req.root.getByTestId('foi-extract')).toBeVisible();
    await req.fromPalette('Till beslut');
    await expect(req.root.getByTestId('foi-move-error')).toContainText(`Prövningen är inte klar: ${total - 1} poster är inte prövade och 0 har ändrats sedan de prövades.`);
    await req.status('review');

    // ---- "Godta förslagen" from the palette: asked first (Cancel focused), then the rest taken.
    expectSkipped = gathered.filter((i) => i.id !== target!.id && ((i.guarded && i.proposal.outcome === 'disclose') || (i.proposal.outcome !== 'disclose' && !i.proposal.ground)));
    await req.fromPalette('Godta förslagen');
    const accept = page.getByTestId('foi-accept-dialog');
    await expect(accept).toBeVisible();
    await expect(accept.getByRole('button', { name: 'Avbryt' })).toBeFocused();
    await expect(accept.getByTestId('foi-accept-count')).toHaveText(`Förslagen blir prövning för ${total - 1} poster som inte är prövade ännu (i hela listan, alla kategorier).`);
    await screenshot(page, 'foi-review-accept-sv');
    await expectNoAxeViolations(page, 'take the proposals');
    await page.keyboard.press('Shift+Tab');
    await expect(accept.getByTestId('foi-accept-submit')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(accept).toBeHidden();
    const acceptedCount = total - 1 - expectSkipped.length;
    if (expectSkipped.length === 0) {
      await expect(req.notice()).toHaveText(`${acceptedCount} förslag godtogs.`);
    } else {
      await expect(req.notice()).toContainText(`${acceptedCount} förslag godtogs. ${expectSkipped.length} poster hoppades över och behöver dig:`);
      const reveal = expectSkipped.filter((i) => i.guarded).length;
      if (reveal) await expect(req.root.getByTestId('foi-request-notice-lines')).toContainText(`skulle lämna ut skyddade uppgifter: ${reveal}`);
      // The list shows what is left: the skipped ones, marked.
      await expect(req.root.getByTestId('foi-review-unreviewed')).toBeChecked();
      await expect(req.items()).toHaveCount(expectSkipped.length);
      for (const s of expectSkipped) await expect(req.item(s.id).getByTestId('foi-item-skipped')).toHaveText(s.guarded ? 'Behöver dig: skyddade uppgifter' : 'Behöver dig: förslaget saknar grund');
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'foi-review-accepted-sv');
    await scrollToReview();
    await screenshot(page, 'foi-review-skipped-sv');
    await expectNoAxeViolations(page, 'review list after taking the proposals');

    // ---- The list in bokmål and in English, then back to Swedish.
    await app.openPalette();
    await page.keyboard.type('norska');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    await expect(req.review().getByRole('heading', { level: 2 })).toHaveText('Vurdering');
    await scrollToReview();
    await screenshot(page, 'foi-review-list-nb');
    await app.openPalette();
    await page.keyboard.type('engelsk');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(req.review().getByRole('heading', { level: 2 })).toHaveText('Review');
    await scrollToReview();
    await screenshot(page, 'foi-review-list-en');
    await app.openPalette();
    await page.keyboard.type('Swedish');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  });

  test('each skipped item is withheld on a ground; then the decision, and the extract', async () => {
    expect(target, 'the item reviewed above').toBeTruthy();
    const req = new FoiRequestPage(app);
    const dialog = reviewDialog();
    const total = gathered.length;

    // ---- Each skipped item: Enter, withheld on OSL 21:3 (disclosing it would need the reveal's reason, which this officer may not give).
    for (const [n, s] of expectSkipped.entries()) {
      await req.focusItem(s.id);
      await page.keyboard.press('Enter');
      await expect(dialog).toBeVisible();
      if (s.guarded) {
        await expect(dialog.getByTestId('foi-review-guarded')).toBeVisible();
        // Disclosed as proposed, it would ask for the reason, which is logged.
        await expect(dialog.getByTestId('foi-review-reveal-reason')).toBeVisible();
      }
      if (n === 0) {
        await screenshot(page, 'foi-review-dialog-guarded-sv');
        await expectNoAxeViolations(page, 'review dialog of a protected item');
      }
      await expect(dialog.getByTestId(`foi-review-outcome-${s.proposal.outcome}`)).toBeFocused();
      for (let i = 0; i < 3 && !(await dialog.getByTestId('foi-review-outcome-withhold').isChecked()); i++) await page.keyboard.press('ArrowDown');
      await expect(dialog.getByTestId('foi-review-outcome-withhold')).toBeChecked();
      await expect(dialog.getByTestId('foi-review-reveal-reason')).toHaveCount(0);
      await page.keyboard.press('Tab');
      await req.selectByArrows(dialog.getByTestId('foi-review-ground'), 'se_osl_21_3');
      await page.keyboard.press('Control+s');
      await expect(dialog).toBeHidden();
      await expect(req.items()).toHaveCount(expectSkipped.length - n - 1);
      // The reviewed row left the list ("not reviewed only"): the focus is on the row now in its place.
      if (n < expectSkipped.length - 1) await expect.poll(() => req.focusedItem()).toBe(await req.items().first().getAttribute('data-item-id'));
    }
    await expect(req.root.getByTestId('foi-review-body')).toHaveAttribute('data-left', '0');
    const after = await items();
    expect(after.filter((i) => i.review === null)).toEqual([]);
    for (const s of expectSkipped) expect([after.find((i) => i.id === s.id)!.review!.outcome, after.find((i) => i.id === s.id)!.review!.ground]).toEqual(['withhold', 'se_osl_21_3']);

    // ---- Every item reviewed: to the decision.
    await req.fromPalette('Till beslut');
    await req.status('decision');
    await expect(req.notice()).toHaveText('Status är nu: Till beslut.');
    await expect(req.root.getByTestId('foi-gather')).toHaveCount(0);
    await expect(req.root.getByTestId('foi-accept')).toHaveCount(0);
    await expect(req.root.getByTestId('foi-extract')).toBeVisible();
    await app.pressUntilFocused('Shift+Tab', 'Endast ej prövade (0)');
    await page.keyboard.press('Space');
    await expect(req.items()).toHaveCount(total);
    await scrollToReview();
    await screenshot(page, 'foi-review-decision-sv');
    await expectNoAxeViolations(page, 'review list waiting for the decision');

    // ---- "Utdrag (PDF)": the core makes the extract (or says why not); either way the page says so.
    await app.pressUntilFocused('Shift+Tab', 'Utdrag (PDF)');
    await page.keyboard.press('Enter');
    await expect(req.notice().or(req.root.getByTestId('foi-action-error'))).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'foi-review-extract-sv');
  });

  test('decided: the decision letter saved; a disclosure recorded by keyboard and listed', async () => {
    expect(target, 'the item reviewed above').toBeTruthy();
    const req = new FoiRequestPage(app);
    await req.status('decision');

    // ---- decision → decided with the page's move button: the day is asked (today), Enter saves.
    await req.decide('Shift+Tab');
    // Nothing is disclosed yet: the log says so.
    await expect(req.root.getByTestId('foi-disclosures-none')).toHaveText('Inget utlämnande är registrerat ännu.');

    // ---- "Beslut (PDF)": the letter is made and downloaded (something is masked or withheld, so one is needed).
    await app.pressUntilFocused('Tab', 'Beslut (PDF)');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = await download;
    expect(readFileSync((await file.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect(req.notice()).toContainText('Beslutet');
    await expect(req.notice()).toContainText('är sparat');

    // ---- "Registrera utlämnande": today and the request's channel to begin with; the channel changed by arrows; Ctrl+S.
    await app.pressUntilFocused('Tab', 'Registrera utlämnande');
    await page.keyboard.press('Enter');
    const disclose = req.dialog('foi-disclose-dialog');
    await expect(disclose).toBeVisible();
    const day = disclose.getByTestId('foi-disclose-on');
    await expect(day).toBeFocused();
    await expect(day).toHaveValue(TODAY);
    await app.pressUntilFocused('Tab', 'Kanal');
    const channel = disclose.getByTestId('foi-disclose-channel');
    await expect(channel).toHaveValue('email');
    await req.selectByArrows(channel, 'letter');
    await expectNoAxeViolations(page, 'record a disclosure');
    await page.keyboard.press('Control+s');
    await expect(disclose).toBeHidden();
    await expect(req.notice()).toHaveText('Utlämnandet är registrerat.');
    await expect(req.root.getByTestId('foi-disclose')).toBeFocused();

    // ---- The log: one disclosure, by letter, to the guardian; the extract's hash shortened, the whole in its title.
    const logged = (await app.api('foi.disclosures', { requestId })).items;
    expect(logged.map((d) => [d.disclosedOn, d.channel, d.recipientKind])).toEqual([[TODAY, 'letter', 'guardian']]);
    const rows = req.root.getByTestId('foi-disclosure-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-channel', 'letter');
    await expect(rows.first()).toContainText('Brev');
    await expect(rows.first()).toContainText('Vårdnadshavare');
    const hash = rows.first().getByTestId('foi-disclosure-hash');
    await expect(hash).toHaveText(logged[0]!.extractSha256.slice(0, 12));
    await expect(hash).toHaveAttribute('title', `SHA-256: ${logged[0]!.extractSha256}`);
    // The list is reached by keyboard like the others: Tab lands on its row.
    for (let i = 0; i < 80 && !(await rows.first().evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(rows.first()).toBeFocused();
    await page.evaluate(() => document.getElementById('sec-foi-disclosures-title')?.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'foi-disclosure-sv');
    await expectNoAxeViolations(page, 'FOI request with its disclosures');
  });
});

test.describe('the review in a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 400 });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('a mask on a ground that may be waived asks for the merinnsyn assessment (offentleglova § 11)', async ({ page }) => {
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('foi');
    const db = openHostDb(host.info);
    let f: { guardian: string; child: string } | undefined;
    try {
      f = db
        .prepare(
          `SELECT g.guardian_id AS guardian, g.child_id AS child FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
           WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.valid_from <= @d AND (g.valid_to IS NULL OR g.valid_to >= @d)
             AND c.protection = 'none' AND c.shielded = 0 AND a.protection = 'none' AND a.shielded = 0 AND c.deleted_at IS NULL
             AND EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = c.id AND e.deleted_at IS NULL)
           ORDER BY c.sort_key LIMIT 1`,
        )
        .get({ d: TODAY }) as typeof f;
    } finally {
      db.close();
    }
    expect(f, 'the demo has a pupil with a guardian').toBeTruthy();
    const { id } = await app.api('foi.requestCreate', {
      kind: 'gdpr_access',
      receivedOn: TODAY,
      channel: 'email',
      requesterKind: 'guardian',
      requesterPersonId: f!.guardian,
      identityVerified: 'register_custody',
      identityVerifiedOn: TODAY,
      language: 'nb',
      askedFor: 'Alle opplysninger om barnet mitt (e2e).',
      persons: [{ personId: f!.child, role: 'subject' }],
    });
    const foi = new FoiPage(app);
    await foi.open();
    const onRow = () => page.evaluate(() => document.activeElement?.closest('[data-testid="foi-table"] tbody tr')?.getAttribute('data-request-id') ?? null);
    for (let i = 0; i < 60 && (await onRow()) === null; i++) await page.keyboard.press('Tab');
    await expect.poll(onRow).toBe(id);
    await page.keyboard.press('Enter');
    const req = new FoiRequestPage(app);
    await req.visible(id);
    await page.keyboard.press('Alt+KeyG');
    await req.status('gathering');
    await expect(req.notice()).toContainText('Innhentingen er ferdig');
    const target = (await app.api('foi.items', { requestId: id, offset: 0, limit: 500 })).items.find((i) => i.category === 'enrolment' && !i.guarded)!;
    await req.focusItem(target.id);
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('foi-review-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('foi-review-outcome-disclose')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByTestId('foi-review-outcome-mask')).toBeChecked();
    await page.keyboard.press('Tab');
    const ground = dialog.getByTestId('foi-review-ground');
    // Norway's grounds and those of both countries only.
    await expect(ground.locator('option[value^="se_"]')).toHaveCount(0);
    await expect(dialog.getByTestId('foi-review-merinnsyn')).toHaveCount(0);
    await req.selectByArrows(ground, 'no_offl_14');
    // The ground may be waived: the assessment is asked, and saving without it is refused in words.
    const merinnsyn = dialog.getByRole('radiogroup', { name: 'Merinnsyn (offentleglova § 11)' });
    await expect(merinnsyn).toBeVisible();
    await page.keyboard.press('Control+s');
    await expect(dialog.getByText('Hjemmelen gir adgang til merinnsyn: oppgi vurderingen etter offentleglova § 11.').first()).toBeVisible();
    await expect(dialog.getByTestId('foi-review-merinnsyn-assessed_withheld')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(dialog.getByTestId('foi-review-merinnsyn-assessed_withheld')).toBeChecked();
    await screenshot(page, 'foi-review-dialog-merinnsyn-nb');
    await expectNoAxeViolations(page, 'review dialog with merinnsyn');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    await expect(req.notice()).toHaveText('Vurderingen er lagret.');
    await expect(req.item(target.id).getByTestId('foi-item-review')).toContainText('Sladdes');
    await expect(req.item(target.id).getByTestId('foi-item-review')).toContainText('offl. § 14');
    const stored = (await app.api('foi.items', { requestId: id, offset: 0, limit: 500 })).items.find((i) => i.id === target.id)!.review!;
    expect([stored.outcome, stored.ground, stored.merinnsyn]).toEqual(['mask', 'no_offl_14', 'assessed_withheld']);
  });
});
