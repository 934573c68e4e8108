/**
 * The FOI settings (#/foi/settings) by keyboard only, signed in as the demo's FOI officer in a Swedish
 * municipality: the palette opens them (the law's defaults in force); "overdue after" for a public document
 * goes from 3 to 5 working days and two closed days are added and one removed, saved with Ctrl+S — stored
 * (the contract and the database say so) and a request received today is then due two working days later on
 * the dashboard, from where the settings button leads back; a target at or after "overdue" is named at its
 * field and nothing is saved; another officer's save in between is said, and Reload shows their version; on
 * the legal grounds tab a ground is added with its three titles (Alt+N, Ctrl+S);
 * removing a ground a review uses is refused with the rule's message, and "end it instead" gives it a last
 * day. Each state is axe-checked and photographed.
 */
import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test } from './fixtures';
import { FoiPage, FoiSettingsPage, KansliApp } from './pages';

const TODAY = '2026-11-23'; // a Monday

test.describe('FOI settings in a Swedish municipality', () => {
  test.describe.configure({ mode: 'serial' });
  let host: Awaited<ReturnType<typeof startHost>>;
  let page: Page;
  let app: KansliApp;
  let settings: FoiSettingsPage;
  /** A public-document request received today, with an item reviewed as withheld on OSL 26:1 (the ground in use). */
  let requestId: string;

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ persons: 300 });
    const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    page = await context.newPage();
    await page.goto(host.info.url);
    app = new KansliApp(page);
    await app.signInAs('foi');
    settings = new FoiSettingsPage(app);
    const db = openHostDb(host.info);
    let person: string;
    try {
      person = db
        .prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 AND deleted_at IS NULL AND id_canonical IS NOT NULL AND birth_date > '2012-01-01' ORDER BY sort_key LIMIT 1`)
        .pluck()
        .get() as string;
    } finally {
      db.close();
    }
    expect(person, 'the demo has a pupil').toBeTruthy();
    // Setup through the contract (the dialogs are foi.e2e.ts's and foi-review.e2e.ts's): the request, gathered,
    // one item withheld on OSL 26:1, so that the ground is in use.
    const created = await app.api('foi.requestCreate', {
      kind: 'se_public_document',
      receivedOn: TODAY,
      channel: 'email',
      requesterKind: 'anonymous',
      language: 'sv',
      askedFor: 'Uppgifter om en elev (e2e, inställningar).',
      persons: [{ personId: person, role: 'listed' }],
    });
    requestId = created.id;
    await app.api('foi.gather', { requestId });
    const item = (await app.api('foi.items', { requestId, offset: 0, limit: 500 })).items.find((i) => !i.guarded && !i.gone);
    expect(item, 'something was gathered').toBeTruthy();
    await app.api('foi.review', { id: item!.id, version: item!.version, outcome: 'withhold', ground: 'se_osl_26_1', fields: {}, reason: 'e2e: grunden används', regions: [] });
  });
  test.afterAll(async () => {
    await page?.context().close();
    await host?.stop();
  });

  test('the palette opens the settings; "overdue after" becomes 5 working days and the closed days change, saved with Ctrl+S, and the dashboard’s deadline follows', async () => {
    const before = await app.api('foi.request', { id: requestId });
    expect(before.deadlines).toMatchObject({ target: TODAY, final: '2026-11-25', state: 'due_today' });

    // ---- Ctrl+K, "Utlämnande: inst…", Enter: the rules tab, the law's defaults in force.
    await app.openPalette();
    await page.keyboard.type('Utlämnande: inst');
    const first = page.getByRole('dialog').locator('.mantine-Spotlight-action').first();
    await expect(first).toContainText('Gå till Utlämnande: inställningar');
    await expect(first).toHaveAttribute('data-selected', 'true');
    await page.keyboard.press('Enter');
    await settings.visible('rules');
    await expect(page).toHaveURL(/#\/foi\/settings$/);
    await expect(page.getByTestId('nav-foiSettings')).toHaveAttribute('aria-current', 'page');
    await expect(settings.root.getByRole('heading', { level: 1 })).toHaveText('Utlämnande: inställningar');
    await expect(settings.rulesState()).toHaveAttribute('data-state', 'defaults');
    await expect(settings.rulesState()).toHaveText('Lagens standardvärden gäller: kommunen har inte sparat några egna tidsfrister.');
    // Sweden: the public document and GDPR; no Norwegian innsyn.
    await expect(settings.figure('seTarget')).toHaveValue('0');
    await expect(settings.figure('seOverdue')).toHaveValue('3');
    await expect(settings.figure('gdprMonths')).toHaveValue('1');
    await expect(settings.figure('gdprExtension')).toHaveValue('2');
    await expect(settings.figure('noTarget')).toHaveCount(0);
    await expect(settings.root.getByTestId('foi-rule-closed-eves')).toBeChecked();
    await expect(settings.root.getByTestId('foi-closed-days-empty')).toBeVisible();
    await expect(settings.root.getByTestId('foi-rules-law')).toBeDisabled();
    await screenshot(page, 'foi-settings-rules-sv');
    await expectNoAxeViolations(page, 'FOI settings: deadline rules');

    // ---- "Försenad efter": 5.
    await app.pressUntilFocused('Tab', 'Försenad efter (arbetsdagar)');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('5');
    await expect(settings.root.getByTestId('unsaved')).toBeVisible();

    // ---- Two closed days, each added by Enter in its field (2026-12-28; 17/12: day/month, this year), then one removed.
    await app.pressUntilFocused('Tab', 'Ny stängd dag');
    await page.keyboard.type('2026-12-28');
    await page.keyboard.press('Enter');
    await expect(settings.closedDays()).toHaveCount(1);
    await expect(settings.root.getByTestId('foi-rules-new-day')).toBeFocused();
    await expect(settings.root.getByTestId('foi-rules-new-day')).toHaveValue('');
    await page.keyboard.type('17/12');
    await expect(settings.root.getByTestId('foi-rules-new-day-resolved')).toContainText('2026-12-17');
    await page.keyboard.press('Enter');
    await expect(settings.closedDays()).toHaveCount(2);
    // In date order, the weekday written out.
    await expect(settings.closedDays().first()).toHaveAttribute('data-day', '2026-12-17');
    await expect(settings.closedDays().first()).toContainText('torsdag 2026-12-17');
    // A day already listed is refused at the field.
    await page.keyboard.type('2026-12-28');
    await page.keyboard.press('Enter');
    await expect(settings.root.getByText('Dagen finns redan i listan.')).toBeVisible();
    await expect(settings.closedDays()).toHaveCount(2);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    // Remove 17 December: Shift+Tab back to its button, Enter; the focus goes to the day that took its place.
    await app.pressUntilFocused('Shift+Tab', 'Ta bort den stängda dagen torsdag 2026-12-17');
    await page.keyboard.press('Enter');
    await expect(settings.closedDays()).toHaveCount(1);
    await expect(page.locator('#foi-closed-2026-12-28')).toBeFocused();
    await screenshot(page, 'foi-settings-rules-changed-sv');

    // ---- Ctrl+S: saved; the state names the figure that differs.
    await page.keyboard.press('Control+s');
    await expect(settings.rulesNotice()).toHaveText('Tidsfristerna är sparade. De gäller nu för alla pågående begäranden.');
    await expect(settings.root.getByTestId('unsaved')).toHaveCount(0);
    await expect(settings.rulesState()).toHaveAttribute('data-state', 'own');
    await expect(settings.rulesState()).toContainText('Allmän handling försenad efter (arbetsdagar): 5 (standard 3)');
    await expect(settings.root.getByTestId('foi-rules-law')).toBeEnabled();
    await screenshot(page, 'foi-settings-rules-saved-sv');
    await expectNoAxeViolations(page, 'FOI settings: deadline rules saved');

    // ---- Stored: the contract and the database; the request's deadline is two working days later.
    const rules = await app.api('foi.rules', {});
    expect(rules.defaults).toBe(false);
    expect(rules.rules.se_public_document).toEqual({ targetWorkingDays: 0, overdueAfterWorkingDays: 5 });
    expect(rules.rules.gdpr_access).toEqual({ months: 1, extensionMonths: 2 });
    expect(rules.calendar).toEqual({ closedDays: ['2026-12-28'], closedEves: true });
    const db = openHostDb(host.info);
    try {
      const stored = JSON.parse(db.prepare(`SELECT value FROM app_meta WHERE key = 'foi.rules'`).pluck().get() as string) as typeof rules.rules;
      expect(stored.se_public_document.overdueAfterWorkingDays).toBe(5);
      const audited = db.prepare(`SELECT count(*) FROM audit_log WHERE method = 'foi.rulesUpdate'`).pluck().get() as number;
      expect(audited).toBe(1);
    } finally {
      db.close();
    }
    const after = await app.api('foi.request', { id: requestId });
    expect(after.deadlines).toMatchObject({ target: TODAY, final: '2026-11-27', state: 'due_today' });

    // ---- G F: the dashboard says the new last day; its settings button leads back (Tab to it, Enter).
    const foi = new FoiPage(app);
    await page.locator('#main').focus();
    await foi.open();
    await expect(foi.row(requestId).getByTestId('foi-deadline')).toContainText('Senast 2026-11-27');
    await app.pressUntilFocused('Tab', 'Inställningar: tidsfrister och rättsliga grunder');
    await page.keyboard.press('Enter');
    await settings.visible('rules');
    await expect(settings.figure('seOverdue')).toHaveValue('5');
  });

  test('a target at or after "overdue" is named at its field and nothing is saved; Esc puts back what is stored', async () => {
    await page.locator('#main').focus();
    await app.pressUntilFocused('Tab', 'Mål (arbetsdagar)');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('5');
    // Leaving the field names the mistake there.
    await page.keyboard.press('Tab');
    const target = settings.figure('seTarget');
    const message = 'Målet måste vara färre arbetsdagar än gränsen för när begäran är försenad (5).';
    await expect(settings.root.getByText(message)).toBeVisible();
    await expect(target).toHaveAttribute('aria-invalid', 'true');
    // Ctrl+S: the banner counts it and the focus goes to the field; nothing is sent.
    await page.keyboard.press('Control+s');
    await expect(settings.root.getByTestId('form-errors')).toBeVisible();
    await expect(target).toBeFocused();
    await screenshot(page, 'foi-settings-rules-error-sv');
    await expectNoAxeViolations(page, 'FOI settings: a figure in error');
    expect((await app.api('foi.rules', {})).rules.se_public_document.targetWorkingDays).toBe(0);

    // Esc asks first (something changed); "Släng ändringarna" puts back what is stored and stays.
    await page.keyboard.press('Escape');
    const discard = page.getByTestId('discard-modal');
    await expect(discard).toBeVisible();
    await expect(page.getByTestId('discard-stay')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('discard-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(discard).toBeHidden();
    await settings.visible('rules');
    await expect(target).toHaveValue('0');
    await expect(settings.root.getByText(message)).toHaveCount(0);
    await expect(settings.root.getByTestId('unsaved')).toHaveCount(0);
  });

  test('someone else’s change in between is said with Reload, which shows their version', async () => {
    // Another officer saves the rules (through the contract) while this page holds what it read.
    const read = await app.api('foi.rules', {});
    await app.api('foi.rulesUpdate', { rules: { ...read.rules, gdpr_access: { months: 1, extensionMonths: 1 } }, calendar: read.calendar, version: read.version });
    await page.locator('#main').focus();
    await app.pressUntilFocused('Tab', 'Mål (arbetsdagar)');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('1');
    await page.keyboard.press('Control+s');
    const alert = settings.root.getByTestId('foi-rules-conflict');
    await expect(alert).toContainText('Någon annan har ändrat tidsfristerna sedan du öppnade dem.');
    const reload = alert.getByTestId('foi-rules-conflict-reload');
    await expect(reload).toBeFocused();
    await expect(settings.root.getByTestId('save')).toBeDisabled();
    expect((await app.api('foi.rules', {})).rules.se_public_document.targetWorkingDays).toBe(0);
    await screenshot(page, 'foi-settings-rules-conflict-sv');
    await expectNoAxeViolations(page, 'FOI settings: a change in between');
    await page.keyboard.press('Enter');
    await expect(alert).toHaveCount(0);
    await expect(settings.figure('gdprExtension')).toHaveValue('1');
    await expect(settings.figure('seTarget')).toHaveValue('0');
    await expect(settings.figure('seTarget')).toBeFocused();
    await expect(settings.rulesNotice()).toHaveText('Tidsfristerna är inlästa på nytt.');
  });

  test('legal grounds: a ground added with its three titles (Alt+N); one a review uses cannot be removed and is ended instead', async () => {
    // ---- The grounds tab by the arrow key: Sweden's grounds and GDPR's; Norway's on request.
    await settings.chooseTab('grounds');
    await expect(page).toHaveURL(/#\/foi\/settings\?tab=grounds$/);
    await expect(settings.root.getByTestId('foi-grounds-defaults')).toBeVisible();
    await expect(settings.groundRow('se_osl_21_3')).toBeVisible();
    await expect(settings.groundRow('gdpr_15_4')).toBeVisible();
    await expect(settings.groundRow('no_offl_14')).toHaveCount(0);
    await expect(settings.groundRow('se_osl_26_1').getByTestId('foi-ground-state')).toHaveAttribute('data-state', 'in_force');
    await screenshot(page, 'foi-settings-grounds-sv');
    await expectNoAxeViolations(page, 'FOI settings: legal grounds');

    // ---- Alt+N: a new ground; the code first, then the country, citation and the three titles.
    await page.keyboard.press('Alt+KeyN');
    const dialog = settings.groundDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('foi-ground-code')).toBeFocused();
    await page.keyboard.type('se_osl_39_3');
    await app.pressUntilFocused('Tab', 'Land');
    await expect(dialog.getByTestId('foi-ground-country')).toHaveValue('SE');
    await app.pressUntilFocused('Tab', 'Lagrum');
    await page.keyboard.type('OSL 39:3');
    await app.pressUntilFocused('Tab', 'Benämning på svenska');
    await page.keyboard.type('Personaladministration: enskilds personliga förhållanden');
    await app.pressUntilFocused('Tab', 'Benämning på norska (bokmål)');
    await page.keyboard.type('Personaladministrasjon: personlige forhold');
    await app.pressUntilFocused('Tab', 'Benämning på engelska');
    await page.keyboard.type('Personnel administration: personal circumstances');
    await expect(dialog.getByTestId('foi-ground-valid-from')).toHaveValue('2026-11-23');
    await screenshot(page, 'foi-settings-ground-dialog-sv');
    await expectNoAxeViolations(page, 'FOI settings: new ground dialog');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    await expect(settings.groundsNotice()).toHaveText('Grunden OSL 39:3 är tillagd.');
    const added = settings.groundRow('se_osl_39_3');
    await expect(added).toContainText('Personaladministration: enskilds personliga förhållanden');
    await expect(added.getByTestId('foi-ground-state')).toHaveAttribute('data-state', 'in_force');
    await expect(settings.root.getByTestId('foi-grounds-defaults')).toHaveCount(0);
    const grounds = await app.api('foi.grounds', {});
    expect(grounds.defaults).toBe(false);
    expect(grounds.grounds.find((g) => g.code === 'se_osl_39_3')).toEqual({
      code: 'se_osl_39_3',
      country: 'SE',
      citation: 'OSL 39:3',
      title: { sv: 'Personaladministration: enskilds personliga förhållanden', nb: 'Personaladministrasjon: personlige forhold', en: 'Personnel administration: personal circumstances' },
      optional: false,
      validFrom: TODAY,
      validTo: null,
    });

    // ---- Removing OSL 26:1, which a review names: the row's "Ta bort", the confirmation, refused by the core.
    await settings.focusGroundRow('se_osl_26_1');
    await app.pressUntilFocused('Tab', 'Ta bort grunden OSL 26:1');
    await page.keyboard.press('Enter');
    const remove = settings.removeDialog();
    await expect(remove).toBeVisible();
    // A removal asks first: Cancel has the focus; the action is before it.
    await expect(remove.getByTestId('cancel')).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(remove.getByTestId('foi-ground-remove-submit')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(remove.getByTestId('form-errors')).toContainText('Grunden OSL 26:1 (se_osl_26_1) används i en prövning och kan därför inte tas bort. Avsluta den i stället');
    await expect(remove.getByTestId('foi-ground-end-instead')).toBeFocused();
    await expect(remove.getByTestId('foi-ground-remove-submit')).toBeDisabled();
    expect((await app.api('foi.grounds', {})).grounds.some((g) => g.code === 'se_osl_26_1')).toBe(true);
    await screenshot(page, 'foi-settings-ground-in-use-sv');
    await expectNoAxeViolations(page, 'FOI settings: a ground in use');

    // ---- "Avsluta grunden i stället": its last day (today proposed), 31 December, Ctrl+S.
    await page.keyboard.press('Enter');
    const end = settings.endDialog();
    await expect(end).toBeVisible();
    await expect(remove).toBeHidden();
    const lastDay = end.getByTestId('foi-ground-end-valid-to');
    await expect(lastDay).toBeFocused();
    await expect(lastDay).toHaveValue('2026-11-23');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('31.12.2026');
    await expect(end.getByTestId('foi-ground-end-valid-to-resolved')).toContainText('2026-12-31');
    await screenshot(page, 'foi-settings-ground-end-sv');
    await expectNoAxeViolations(page, 'FOI settings: ending a ground');
    await page.keyboard.press('Control+s');
    await expect(end).toBeHidden();
    await expect(settings.groundsNotice()).toHaveText('Grunden OSL 26:1 är avslutad: den gäller till och med 2026-12-31.');
    const ended = settings.groundRow('se_osl_26_1');
    await expect(ended).toContainText('2026-12-31');
    await expect(ended.getByTestId('foi-ground-state')).toHaveAttribute('data-state', 'in_force');
    const stored = (await app.api('foi.grounds', {})).grounds.find((g) => g.code === 'se_osl_26_1');
    expect(stored?.validTo).toBe('2026-12-31');
    // The focus is back in the table, where the clerk was.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="foi-grounds-table"]') !== null)).toBe(true);

    // ---- Norway's grounds on request (the switch by Space).
    await app.pressUntilFocused('Shift+Tab', 'Visa även Norges grunder (2)');
    await page.keyboard.press('Space');
    await expect(settings.groundRow('no_offl_14')).toBeVisible();
    await screenshot(page, 'foi-settings-grounds-after-sv');
    await expectNoAxeViolations(page, 'FOI settings: legal grounds after the changes');
  });
});

test.describe('FOI settings in a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 200 });
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('in bokmål: innsyn’s figures and GDPR’s, no closed eves; Norway’s grounds; then in English', async ({ page }) => {
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('foi');
    const settings = new FoiSettingsPage(app);
    await app.openPalette();
    await page.keyboard.type('Innsyn: inn');
    const first = page.getByRole('dialog').locator('.mantine-Spotlight-action').first();
    await expect(first).toContainText('Gå til Innsyn: innstillinger');
    await page.keyboard.press('Enter');
    await settings.visible('rules');
    await expect(settings.root.getByRole('heading', { level: 1 })).toHaveText('Innsyn: innstillinger');
    await expect(settings.figure('noTarget')).toHaveValue('3');
    await expect(settings.figure('noRefused')).toHaveValue('5');
    await expect(settings.figure('seOverdue')).toHaveCount(0);
    await expect(settings.root.getByTestId('foi-rule-closed-eves')).toHaveCount(0);
    // Regnes som avslått at the latest on the fifth day: a target of 6 is named at its field.
    await app.pressUntilFocused('Tab', 'Mål (arbeidsdager)');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('6');
    await page.keyboard.press('Control+s');
    await expect(settings.root.getByText('Målet kan ikke være flere arbeidsdager enn grensen for når kravet regnes som avslått (5).')).toBeVisible();
    await screenshot(page, 'foi-settings-rules-nb');
    await expectNoAxeViolations(page, 'FOI settings in bokmål: deadline rules');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('2');
    await page.keyboard.press('Control+s');
    await expect(settings.rulesNotice()).toHaveText('Fristene er lagret. De gjelder nå for alle pågående krav.');
    expect((await app.api('foi.rules', {})).rules.no_innsyn).toEqual({ targetWorkingDays: 2, deemedRefusedAfterWorkingDays: 5 });

    await settings.chooseTab('grounds');
    await expect(settings.groundRow('no_offl_14')).toBeVisible();
    await expect(settings.groundRow('se_osl_21_3')).toHaveCount(0);
    // Merinnsyn is Norway's: the column is shown here.
    await expect(settings.groundRow('no_offl_14')).toContainText('Kan unntas');
    await screenshot(page, 'foi-settings-grounds-nb');
    await expectNoAxeViolations(page, 'FOI settings in bokmål: legal grounds');

    // The same in English.
    await app.openPalette();
    await page.keyboard.type('English');
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await settings.visible('grounds');
    await expect(settings.root.getByRole('heading', { level: 1 })).toHaveText('Access requests: settings');
    await expect(settings.groundRow('no_offl_14')).toContainText('Internal documents');
    await screenshot(page, 'foi-settings-grounds-en');
    await expectNoAxeViolations(page, 'FOI settings in English: legal grounds');
    await settings.chooseTab('rules');
    await expect(settings.rulesState()).toContainText('The municipality’s own deadlines apply.');
    await screenshot(page, 'foi-settings-rules-en');
    await expectNoAxeViolations(page, 'FOI settings in English: deadline rules');
  });
});
