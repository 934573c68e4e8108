/**
 * The FOI request register (issue 13, step 2), by keyboard only, signed in as the demo's FOI officer:
 * G F opens the dashboard; Alt+N registers a Swedish request for a public document (anonymous, a class list)
 * and a subject-access request by a guardian for their child (identity verified by the register's custody),
 * each landing in the tabs its deadline and status put it in; the public-document request is opened from
 * the list (Enter), gets a person concerned, and is moved registered → review → decision → decided (the
 * palette and the buttons); the GDPR request is extended. The dashboard, the dialog and the request page are
 * axe-checked and photographed in Swedish; the dashboard also in English and, in a Norwegian municipality,
 * in bokmål.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test } from './fixtures';
import { FoiPage, FoiRequestPage, KansliApp } from './pages';

const TODAY = '2026-11-23';

/** A page of its own (shared by the serial steps), with the settings the config gives every test's page. */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  return context.newPage();
}

/** From the dashboard's list: Tab into the table, the arrow keys to the request's row (one row at a time), Enter. */
async function openFromList(page: Page, foi: FoiPage, id: string): Promise<void> {
  await expect(foi.row(id)).toBeVisible();
  const activeRow = () => page.evaluate(() => document.activeElement?.closest('[data-testid="foi-table"] tbody tr')?.getAttribute('data-request-id') ?? null);
  for (let i = 0; i < 60 && (await activeRow()) === null; i++) await page.keyboard.press('Tab');
  expect(await activeRow(), 'the list takes the focus with Tab').not.toBeNull();
  await page.keyboard.press('Home');
  const first = await foi.rows().first().getAttribute('data-request-id');
  await expect.poll(activeRow).toBe(first);
  const count = await foi.rows().count();
  for (let i = 0; i < count && (await activeRow()) !== id; i++) {
    const from = await activeRow();
    await page.keyboard.press('ArrowDown');
    await expect.poll(activeRow).not.toBe(from);
  }
  expect(await activeRow(), 'the arrows reach the request').toBe(id);
  await page.keyboard.press('Enter');
}

test.describe('FOI requests in a Swedish municipality', () => {
  // One host and one signed-in page through the three steps (the host's sign-in link is used once).
  test.describe.configure({ mode: 'serial' });
  let host: Awaited<ReturnType<typeof startHost>>;
  let page: Page;
  let app: KansliApp;
  /** The persons the tests use: a guardian with custody of a child (neither protected nor shielded), and a pupil to add. */
  let family: { guardian: string; child: string; guardianName: string; childName: string };
  let pupil: { id: string; name: string };
  const ids: { sv?: string; gdpr?: string } = {};
  const CLASS_LIST = 'Klasslista för klass 4A på Exempelskolan, med elevernas namn (e2e).';
  const GDPR_ASK = 'Alla uppgifter om mitt barn i förskola och skola (e2e).';

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ persons: 400, foi: true });
    page = await newPage(browser);
    await page.goto(host.info.url);
    app = new KansliApp(page);
    await app.signInAs('foi');
    const db = openHostDb(host.info);
    try {
      const f = db
        .prepare(
          `SELECT g.guardian_id AS guardian, g.child_id AS child, a.family_name || ', ' || a.given_name AS guardianName, c.family_name || ', ' || c.given_name AS childName
           FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
           WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_from <= ? AND (g.valid_to IS NULL OR g.valid_to >= ?)
             AND c.protection = 'none' AND c.shielded = 0 AND a.protection = 'none' AND a.shielded = 0 AND c.deleted_at IS NULL AND a.deleted_at IS NULL
             AND c.id_canonical IS NOT NULL AND a.id_canonical IS NOT NULL
           ORDER BY c.sort_key DESC, a.sort_key LIMIT 1`,
        )
        .get(TODAY, TODAY) as typeof family | undefined;
      expect(f, 'the demo has a child with a guardian').toBeTruthy();
      family = f!;
      const p = db
        .prepare(
          `SELECT id, family_name || ', ' || given_name AS name FROM person WHERE protection = 'none' AND shielded = 0 AND id_canonical IS NOT NULL AND deleted_at IS NULL
             AND birth_date > '2012-01-01' AND id NOT IN (?, ?) ORDER BY sort_key LIMIT 1`,
        )
        .get(family.guardian, family.child) as typeof pupil | undefined;
      expect(p, 'the demo has a pupil').toBeTruthy();
      pupil = p!;
    } finally {
      db.close();
    }
  });
  test.afterAll(async () => {
    await page?.context().close();
    await host?.stop();
  });

  const requestId = (askedFor: string): string => {
    const db = openHostDb(host.info);
    try {
      return db.prepare('SELECT id FROM foi_request WHERE asked_for = ?').pluck().get(askedFor) as string;
    } finally {
      db.close();
    }
  };

  test('G F opens the dashboard; an anonymous class-list request and a guardian\'s GDPR request are registered and land in their tabs', async () => {
    const identity = async (id: string) => (await app.api('person.get', { id })).identity!.display;
    const guardianNumber = await identity(family.guardian);
    const childNumber = await identity(family.child);
    const before = (await app.api('foi.requests', { filter: 'all' })).counts;

    // ---- G F: the dashboard, in the navigation for the FOI officer; the tabs with their counts.
    const foi = new FoiPage(app);
    await foi.open();
    await expect(page.getByTestId('nav-foi')).toHaveAttribute('aria-current', 'page');
    await expect(foi.root.getByRole('heading', { level: 1 })).toHaveText('Utlämnande och registerutdrag');
    for (const f of ['due_today', 'overdue', 'review', 'decision', 'open', 'all']) await expect(foi.tab(f)).toHaveAttribute('data-count', String(before[f as keyof typeof before]));
    // A Swedish municipality has no "counts as refused" unless something does.
    if (before.deemed_refused === 0) await expect(foi.tab('deemed_refused')).toHaveCount(0);
    await expect(foi.tab('open')).toHaveAttribute('aria-selected', 'true');
    await expect(foi.root.getByTestId('foi-table').or(foi.root.getByTestId('foi-empty'))).toBeVisible();
    await screenshot(page, 'foi-dashboard-sv');
    await expectNoAxeViolations(page, 'FOI dashboard');

    // ---- Alt+N: a request for a public document; the kind first (only Sweden's two), today, anonymous.
    await page.keyboard.press('Alt+KeyN');
    const dialog = foi.dialog();
    await expect(dialog).toBeVisible();
    const kind = dialog.getByTestId('foi-form-kind');
    await expect(kind).toBeFocused();
    await expect(kind).toHaveValue('se_public_document');
    await expect(kind.locator('option')).toHaveText(['Begäran om allmän handling', 'Begäran om registerutdrag (GDPR art. 15)']);
    await expect(dialog.getByTestId('foi-form-requester-kind')).toHaveValue('anonymous');
    await expect(dialog.getByTestId('foi-form-language')).toHaveValue('sv');
    await app.pressUntilFocused('Tab', 'Kontaktuppgift för svaret');
    await page.keyboard.type('tips@exempel.invalid');
    await app.pressUntilFocused('Tab', 'Vad begäran gäller');
    await page.keyboard.type(CLASS_LIST);
    await screenshot(page, 'foi-new-dialog-sv');
    await expectNoAxeViolations(page, 'new FOI request dialog');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    await expect(foi.notice()).toHaveText('Begäran är registrerad.');
    await expect(foi.root.getByTestId('foi-new')).toBeFocused();
    ids.sv = requestId(CLASS_LIST);
    expect(ids.sv).toBeTruthy();
    const sv = foi.row(ids.sv);
    await expect(sv).toHaveAttribute('data-state', 'due_today');
    await expect(sv.getByTestId('foi-requester')).toHaveText('Anonym');
    await expect(sv.getByTestId('foi-kind')).toHaveText('Allmän handling');
    await expect(sv.getByTestId('foi-deadline')).toContainText('Att besvara i dag');

    // ---- Alt+N: a subject-access request by a guardian for the child: the kind by the arrow key, the guardian
    // from the register, verified by the register's custody (today), the child as the data subject.
    await page.keyboard.press('Alt+KeyN');
    await expect(dialog).toBeVisible();
    await expect(kind).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(kind).toHaveValue('gdpr_access');
    const requesterKind = dialog.getByTestId('foi-form-requester-kind');
    // Never anonymous: the data subject is proposed.
    await expect(requesterKind).toHaveValue('subject');
    await expect(requesterKind.locator('option')).toHaveText(['Den registrerade själv', 'Vårdnadshavare för ett barn', 'Namngiven sökande']);
    await app.pressUntilFocused('Tab', 'Vem begär');
    await page.keyboard.press('ArrowDown');
    await expect(requesterKind).toHaveValue('guardian');
    await app.pressUntilFocused('Tab', 'Vårdnadshavaren (sök i registret)');
    const req = new FoiRequestPage(app);
    await req.pickPerson(guardianNumber, guardianNumber);
    await app.pressUntilFocused('Tab', 'Identiteten kontrollerad genom');
    // Type-ahead in the list (ASCII only: Chromium inserts a typed "å" into the last text field's selection).
    await page.keyboard.type('V');
    await expect(dialog.getByTestId('foi-form-identity')).toHaveValue('register_custody');
    await expect(dialog.getByTestId('foi-form-requester-contact')).toHaveValue('');
    await expect(dialog.getByTestId('foi-form-identity-on')).toHaveValue(/2026/);
    await app.pressUntilFocused('Tab', 'Vad begäran gäller');
    await page.keyboard.type(GDPR_ASK);
    await app.pressUntilFocused('Tab', 'Lägg till person');
    await expect(dialog.getByTestId('foi-form-person-role')).toHaveValue('subject');
    await req.pickPerson(childNumber, childNumber);
    const listed = dialog.getByTestId('foi-form-person');
    await expect(listed).toHaveCount(1);
    await expect(listed.first()).toHaveAttribute('data-person-id', family.child);
    await expect(listed.first()).toHaveAttribute('data-role', 'subject');
    // The picker is ready for the next person.
    await expect(dialog.getByTestId('foi-form-person-picker')).toBeFocused();
    await expect(dialog.getByTestId('foi-form-person-role')).toHaveValue('other');
    await screenshot(page, 'foi-new-dialog-gdpr-sv');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    ids.gdpr = requestId(GDPR_ASK);
    expect(ids.gdpr).toBeTruthy();
    const gdpr = foi.row(ids.gdpr);
    await expect(gdpr).toHaveAttribute('data-state', 'open');
    await expect(gdpr.getByTestId('foi-requester')).toHaveText(family.guardianName);
    await expect(gdpr.getByTestId('foi-person')).toHaveText(family.childName);
    await expect(gdpr.getByTestId('foi-deadline')).toContainText('I tid');

    // ---- The tabs: the counts follow; due today has the public-document request only; "Mine only" has both.
    await expect(foi.tab('open')).toHaveAttribute('data-count', String(before.open + 2));
    await expect(foi.tab('due_today')).toHaveAttribute('data-count', String(before.due_today + 1));
    await expect(foi.tab('all')).toHaveAttribute('data-count', String(before.all + 2));
    await foi.chooseTab('due_today');
    await expect(page).toHaveURL(/#\/foi\?filter=due_today/);
    await expect(foi.row(ids.sv)).toBeVisible();
    await expect(foi.row(ids.gdpr)).toHaveCount(0);
    await foi.chooseTab('review');
    await expect(foi.row(ids.sv)).toHaveCount(0);
    await app.pressUntilFocused('Shift+Tab', 'Bara mina');
    await page.keyboard.press('Space');
    await expect(page).toHaveURL(/mine=1/);
    await foi.chooseTab('open');
    await expect(foi.row(ids.sv)).toBeVisible();
    await expect(foi.row(ids.gdpr)).toBeVisible();
    await expect(foi.rows()).toHaveCount((await app.api('foi.requests', { filter: 'open', mine: true })).total);
  });

  test('the public-document request: opened from the list, a person added, moved registered → review → decision → decided', async () => {
    test.skip(!ids.sv, 'needs the request registered above');
    const foi = new FoiPage(app);
    await foi.open();
    await openFromList(page, foi, ids.sv!);
    const req = new FoiRequestPage(app);
    await req.visible(ids.sv);
    await expect(page).toHaveURL(new RegExp(`#/foi/${ids.sv}$`));
    await expect(req.root.getByRole('heading', { level: 1 })).toHaveText('Begäran om allmän handling');
    await req.status('registered');
    await expect(req.root.getByTestId('foi-request-status')).toHaveText('Registrerad');
    await expect(req.root.getByTestId('foi-deadline-explain')).toContainText('skyndsamt');
    await expect(req.root.getByTestId('foi-requester-kind')).toHaveText('Anonym');
    await expect(req.root.getByTestId('foi-asked-for-text')).toHaveText(CLASS_LIST);
    await expect(req.root.getByTestId('foi-persons-none')).toBeVisible();
    await screenshot(page, 'foi-request-sv');
    await expectNoAxeViolations(page, 'FOI request page');

    // ---- A person concerned: "Lägg till person", the pupil from the register (a person on the list), Ctrl+S.
    await app.pressUntilFocused('Tab', 'Lägg till person');
    await page.keyboard.press('Enter');
    const add = req.dialog('foi-person-dialog');
    await expect(add).toBeVisible();
    await expect(add.getByTestId('foi-person-picker')).toBeFocused();
    await expect(add.getByTestId('foi-person-role')).toHaveValue('listed');
    const pupilNumber = (await app.api('person.get', { id: pupil.id })).identity!.display;
    await req.pickPerson(pupilNumber, pupilNumber);
    await expectNoAxeViolations(page, 'add a person concerned');
    await page.keyboard.press('Control+s');
    await expect(add).toBeHidden();
    await expect(req.persons()).toHaveCount(1);
    await expect(req.persons().first()).toHaveAttribute('data-person-id', pupil.id);
    await expect(req.persons().first().getByTestId('foi-link-role')).toHaveText('På begärd lista');
    await expect(req.notice()).toHaveText('Personen är tillagd.');
    await expect(req.root.getByTestId('foi-person-add')).toBeFocused();

    // ---- registered → review with the button (Shift+Tab back to it, Enter); the focus goes to the first action of the new status.
    await app.pressUntilFocused('Shift+Tab', 'Till prövning');
    await page.keyboard.press('Enter');
    await req.status('review');
    await expect(req.notice()).toHaveText('Status är nu: Prövning.');
    await expect(req.move('gathering')).toBeFocused();
    // ---- review → decision from the palette.
    await req.fromPalette('Till beslut');
    await req.status('decision');
    await expect(req.move('review')).toBeFocused();
    // ---- decision → decided: the day of the decision is asked (today), Enter saves.
    await app.pressUntilFocused('Tab', 'Registrera beslut');
    await page.keyboard.press('Enter');
    const decide = req.dialog('foi-move-dialog');
    await expect(decide).toBeVisible();
    const day = decide.getByTestId('foi-move-decided-on');
    await expect(day).toBeFocused();
    await expect(day).toHaveValue(/2026/);
    await expectNoAxeViolations(page, 'decide dialog');
    await page.keyboard.press('Enter');
    await expect(decide).toBeHidden();
    await req.status('decided');
    await expect(req.root.getByTestId('foi-request-deadline')).toHaveAttribute('data-state', 'decided');
    await expect(req.root.getByTestId('foi-deadline-explain')).toContainText('i tid');
    await expect(req.root.getByTestId('foi-decided-by')).not.toBeEmpty();
    // Decided: closing and reopening are what is left.
    await expect(req.move('closed')).toBeVisible();
    await expect(req.move('review')).toHaveText('Öppna igen för prövning');
    // A decided request's persons are as decided: no adding or removing until it is reopened.
    await expect(req.root.getByTestId('foi-person-add')).toHaveCount(0);
    await expect(req.root.getByTestId('foi-link-remove')).toHaveCount(0);
    const stored = await app.api('foi.request', { id: ids.sv! });
    expect([stored.status, stored.decidedOn, stored.links.map((l) => l.person.id)]).toEqual(['decided', TODAY, [pupil.id]]);
    await screenshot(page, 'foi-request-decided-sv');
    await expectNoAxeViolations(page, 'FOI request decided');
  });

  test('the guardian\'s GDPR request is extended; the dashboard in English', async () => {
    test.skip(!ids.gdpr, 'needs the request registered above');
    const foi = new FoiPage(app);
    await foi.open();
    await openFromList(page, foi, ids.gdpr!);
    const req = new FoiRequestPage(app);
    await req.visible(ids.gdpr);
    await expect(req.root.getByRole('heading', { level: 1 })).toHaveText('Begäran om registerutdrag (GDPR art. 15)');
    await expect(req.root.getByTestId('foi-requester-kind')).toHaveText('Vårdnadshavare för ett barn');
    await expect(req.root.getByTestId('foi-requester-person')).toHaveText(family.guardianName);
    await expect(req.root.getByTestId('foi-requester-identity')).toContainText('Vårdnad enligt folkbokföringen');
    await expect(req.persons().first()).toHaveAttribute('data-role', 'subject');

    // ---- Alt+E: the same form as a new request, the kind fixed, the guardian as chosen; a registry number added.
    await page.keyboard.press('Alt+KeyE');
    const edit = req.dialog('foi-request-dialog');
    await expect(edit).toBeVisible();
    await expect(edit.getByTestId('foi-form-kind-fixed')).toHaveText('Begäran om registerutdrag (GDPR art. 15)');
    await expect(edit.getByTestId('foi-form-received')).toBeFocused();
    await expect(edit).toContainText(`Nu: ${family.guardianName}.`);
    await expect(edit.getByTestId('foi-form-identity')).toHaveValue('register_custody');
    await app.pressUntilFocused('Tab', 'Diarienummer');
    await page.keyboard.type('KS 2026/123');
    await screenshot(page, 'foi-edit-dialog-sv');
    await expectNoAxeViolations(page, 'edit dialog');
    await page.keyboard.press('Control+s');
    await expect(edit).toBeHidden();
    await expect(req.notice()).toHaveText('Ändringarna är sparade.');
    await expect(req.root.getByTestId('foi-request-sub')).toContainText('Dnr KS 2026/123');
    await expect(req.root.getByTestId('foi-requester-person')).toHaveText(family.guardianName);
    // Back where Alt+E was pressed (the page's heading).
    await expect(req.root.getByRole('heading', { level: 1 })).toBeFocused();
    const before = await app.api('foi.request', { id: ids.gdpr! });
    expect([before.registryNumber, before.requesterPerson?.id, before.identityVerified]).toEqual(['KS 2026/123', family.guardian, 'register_custody']);
    expect(before.deadlines.extensionNoticeBy).toBeTruthy();
    await expect(req.root.getByTestId('foi-deadline-notice-by')).toBeVisible();
    await expect(req.root.getByTestId('foi-deadline-explain')).toContainText('förlängas');

    // ---- The only data subject cannot be removed: asked first (Cancel has the focus), then refused by the rule, in words.
    await app.pressUntilFocused('Tab', `Ta bort ${family.childName} från begäran`);
    await page.keyboard.press('Enter');
    const remove = req.dialog('foi-person-remove-dialog');
    await expect(remove).toBeVisible();
    await expect(remove.getByRole('button', { name: 'Avbryt' })).toBeFocused();
    await app.pressUntilFocused('Shift+Tab', 'Ta bort');
    await page.keyboard.press('Enter');
    await expect(remove.getByTestId('form-errors')).toContainText('Ett registerutdrag behöver den registrerade bland de berörda personerna');
    await expectNoAxeViolations(page, 'remove refused');
    await page.keyboard.press('Escape');
    await expect(remove).toBeHidden();
    await expect(req.persons()).toHaveCount(1);
    await expect(req.root.getByTestId('foi-link-remove')).toBeFocused();

    // ---- Extend (Shift+Tab back to the button, Enter): the notice day (today) first, the reason, Ctrl+S.
    await app.pressUntilFocused('Shift+Tab', 'Förläng fristen');
    await page.keyboard.press('Enter');
    const extend = req.dialog('foi-extend-dialog');
    await expect(extend).toBeVisible();
    await expect(extend.getByTestId('foi-extend-notice-on')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(extend.getByTestId('foi-extend-reason')).toBeFocused();
    await page.keyboard.type('Uppgifterna finns i flera system och omfattar många år.');
    await screenshot(page, 'foi-extend-dialog-sv');
    await expectNoAxeViolations(page, 'extend dialog');
    await page.keyboard.press('Control+s');
    await expect(extend).toBeHidden();
    await expect(req.notice()).toHaveText('Fristen är förlängd.');
    await expect(req.root.getByTestId('foi-deadline-extended')).toBeVisible();
    await expect(req.root.getByTestId('foi-extend')).toHaveCount(0);
    const after = await app.api('foi.request', { id: ids.gdpr! });
    expect(after.deadlines.extended).toBe(true);
    expect(after.deadlines.final > before.deadlines.final).toBe(true);
    await expect(req.root.getByTestId('foi-deadline-explain')).toContainText('Fristen är förlängd');
    await screenshot(page, 'foi-request-gdpr-sv');
    await expectNoAxeViolations(page, 'GDPR request extended');

    // ---- The dashboard in English.
    await app.openPalette();
    await page.keyboard.type('English');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await foi.open();
    await expect(foi.root.getByRole('heading', { level: 1 })).toHaveText('Access requests');
    await expect(foi.tab('due_today')).toContainText('Due today');
    await expect(foi.row(ids.gdpr!).getByTestId('foi-kind')).toHaveText('Subject access (GDPR)');
    await screenshot(page, 'foi-dashboard-en');
    await expectNoAxeViolations(page, 'FOI dashboard in English');
    // Back to Swedish for whoever uses this workstation next.
    await app.openPalette();
    await page.keyboard.type('Swedish');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  });
});

test.describe('FOI requests in a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 400, foi: true });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('the dashboard in bokmål has "counts as refused", and the new request offers Norway\'s kinds', async ({ page }) => {
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('foi');
    // Setup: an innsynskrav received on Friday 13 November and left unanswered: five working days after it
    // (16–20 November) have passed, so from the 21st it counts as refused.
    const { id: refused } = await app.api('foi.requestCreate', {
      kind: 'no_innsyn',
      receivedOn: '2026-11-13',
      channel: 'email',
      requesterKind: 'named',
      requesterName: 'Lokalavisa (e2e)',
      requesterContact: 'tips@lokalavisa.invalid',
      language: 'nb',
      askedFor: 'Postjournal for oppvekstetaten, uke 45 (e2e).',
    });
    const foi = new FoiPage(app);
    await foi.open();
    await expect(foi.root.getByRole('heading', { level: 1 })).toHaveText('Innsyn');
    await expect(foi.tab('deemed_refused')).toContainText('Regnes som avslått');
    const counts = (await app.api('foi.requests', { filter: 'all' })).counts;
    expect(counts.deemed_refused).toBeGreaterThanOrEqual(1);
    await expect(foi.tab('deemed_refused')).toHaveAttribute('data-count', String(counts.deemed_refused));
    await expect(foi.row(refused)).toHaveAttribute('data-state', 'deemed_refused');
    await expect(foi.row(refused).getByTestId('foi-deadline')).toContainText('Regnes som avslått');
    await screenshot(page, 'foi-dashboard-nb');
    await expectNoAxeViolations(page, 'FOI dashboard in bokmål');

    // The request: the deadlines in Norway's words (the fifth working day, refused from the day after).
    await openFromList(page, foi, refused);
    const req = new FoiRequestPage(app);
    await req.visible(refused);
    await expect(req.root.getByTestId('foi-deadline-final')).toHaveText(/20/);
    await expect(req.root.getByTestId('foi-deadline-refused')).toHaveText(/21/);
    await expect(req.root.getByTestId('foi-deadline-explain')).toContainText('regnes det som avslått');
    await screenshot(page, 'foi-request-nb');
    await expectNoAxeViolations(page, 'FOI request in bokmål');
    await foi.open();
    await page.keyboard.press('Alt+KeyN');
    const dialog = foi.dialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('foi-form-kind').locator('option')).toHaveText(['Innsynskrav etter offentleglova', 'Innsyn etter personvernforordningen art. 15']);
    await expect(dialog.getByTestId('foi-form-language')).toHaveValue('nb');
    await screenshot(page, 'foi-new-dialog-nb');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(foi.root.getByTestId('foi-new')).toBeFocused();
  });
});
