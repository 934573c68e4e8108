/**
 * Page objects: what a clerk sees and does, named in the clerk's terms. Tests talk to these, not to
 * selectors, so a layout change is fixed in one place. Labels are Swedish (the default language).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import { base32Decode, totpAt } from '../../core/access/totp';
import { E2E_TODAY } from './fixtures';

/** Every synthetic account of a demo database has this password. */
export const DEMO_PASSWORD = 'kansli-demo-2026';

/** The demo accounts the e2e tests sign in as (see auth.status's demoAccounts). */
export type DemoUser = 'admin' | 'clerk' | 'clerk.all' | 'protected' | 'fee' | 'foi' | 'beslut' | 'registrar' | 'auditor';

export class KansliApp {
  constructor(readonly page: Page) {}

  /** The sign-in screen, filled in with the keyboard only: the user name field has focus, Tab, Enter. */
  async signIn(username: DemoUser | string, password = DEMO_PASSWORD): Promise<void> {
    const screen = this.page.getByTestId('sign-in-screen');
    await expect(screen).toBeVisible();
    const user = screen.getByTestId('username');
    // The user name field has focus when the screen opens; after a failed attempt the password field
    // has it, and Shift+Tab goes back.
    if (await screen.getByTestId('password').evaluate((el) => el === document.activeElement)) await this.page.keyboard.press('Shift+Tab');
    await expect(user).toBeFocused();
    await this.page.keyboard.press('Control+a');
    await this.page.keyboard.type(username);
    await this.page.keyboard.press('Tab');
    await expect(screen.getByTestId('password')).toBeFocused();
    await this.page.keyboard.type(password);
    await this.page.keyboard.press('Enter');
  }

  /** Signs in as a demo account that needs nothing more (every one except `admin`) and waits for the app. */
  async signInAs(username: Exclude<DemoUser, 'admin'>): Promise<void> {
    await this.signIn(username);
    await this.ready();
  }

  /**
   * The policy-required two-step enrolment (`admin` at first sign-in): reads the key from the page,
   * computes the current code as an authenticator app would, types it and presses Enter.
   * Returns the key and the time the code was computed (the step it used is then spent).
   */
  async enrolTotp(): Promise<{ secret: string; usedAt: number }> {
    const screen = this.page.getByTestId('enrol-screen');
    await expect(screen).toBeVisible();
    const key = screen.getByTestId('totp-secret');
    await expect(key).toBeVisible();
    const secret = (await key.getAttribute('data-secret'))!;
    // What is shown is the same key, grouped in fours for typing by hand.
    expect((await key.innerText()).replace(/\s/g, '')).toBe(secret.replace(/=/g, '').toUpperCase());
    await expect(screen.getByTestId('totp-code')).toBeFocused();
    const usedAt = Date.now();
    await this.page.keyboard.type(totpAt(base32Decode(secret), usedAt));
    await this.page.keyboard.press('Enter');
    return { secret, usedAt };
  }

  /**
   * Ctrl+K, then waits until the palette's input has focus. A person cannot type within the frame the
   * palette needs to open; Playwright can, and on a loaded CI machine that frame can be long.
   */
  async openPalette(): Promise<void> {
    await this.page.keyboard.press('Control+k');
    await expect(this.page.getByRole('dialog').getByRole('textbox').first()).toBeFocused();
  }

  /** Signs out through the account menu, with the keyboard. */
  async signOut(): Promise<void> {
    const menu = this.page.getByTestId('account-menu');
    await menu.focus();
    await this.page.keyboard.press('Enter');
    const item = this.page.getByRole('menuitem', { name: 'Logga ut' });
    await expect(item).toBeVisible();
    // Arrow down through the menu to "Logga ut" (the last item), then Enter.
    for (let i = 0; i < 8 && !(await item.evaluate((el) => el === document.activeElement)); i++) await this.page.keyboard.press('ArrowDown');
    await expect(item).toBeFocused();
    await this.page.keyboard.press('Enter');
    await expect(this.page.getByTestId('sign-in-screen')).toBeVisible();
  }

  /** Calls the core through the browser host with the page's session (for test setup and checks). */
  async api<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const r = await this.page.evaluate(
      async ([m, i]) => {
        const res = await fetch(`/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) });
        return res.json();
      },
      [method, input] as const,
    );
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.data as MethodOutput<M>;
  }

  /**
   * Setup through the contract (the request dialog is foi.e2e.ts's): the guardian's subject-access request for
   * the child, registered by the signed-in FOI officer on the tests' day, identity verified by custody. Its id.
   */
  async guardianAsks(family: { guardian: string; child: string }, askedFor: string): Promise<string> {
    const r = await this.api('foi.requestCreate', {
      kind: 'gdpr_access',
      receivedOn: E2E_TODAY,
      channel: 'email',
      requesterKind: 'guardian',
      requesterPersonId: family.guardian,
      identityVerified: 'register_custody',
      identityVerifiedOn: E2E_TODAY,
      language: 'sv',
      askedFor,
      persons: [{ personId: family.child, role: 'subject' }],
    });
    return r.id;
  }

  /** Opens a screen by its address (`#/person/<id>`), as a bookmark or a pasted link would. */
  async goto(hash: string): Promise<void> {
    await this.page.goto(`${new URL(this.page.url()).origin}/${hash}`);
  }

  /** The signed-in app is on screen (header with the account menu, the navigation). */
  async ready(): Promise<void> {
    await expect(this.page.getByTestId('account-menu')).toBeVisible();
    await expect(this.page.getByRole('navigation')).toBeVisible();
  }

  /**
   * Focuses the search box from anywhere with the keyboard (Ctrl+F works inside fields too) and types a query.
   * Right after sign-in the start screen may still be mounting its box: keys typed into the box it replaces
   * are gone, so the query is typed again until the focused box holds it.
   */
  async search(q: string): Promise<Locator> {
    const typed = () => this.page.evaluate(() => (document.activeElement?.getAttribute('role') === 'combobox' ? (document.activeElement as HTMLInputElement).value : null));
    await expect(async () => {
      await this.page.keyboard.press('Control+f');
      await this.page.keyboard.press('Control+a');
      await this.page.keyboard.type(q);
      expect(await typed()).toBe(q);
    }).toPass({ timeout: 20_000 });
    const hits = this.page.getByTestId('search-hit');
    await expect(hits.first()).toBeVisible();
    return hits;
  }

  async pressUntilFocused(key: string, accessibleLabel: string, max = 60): Promise<void> {
    for (let i = 0; i < max; i++) {
      const label = await this.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        const id = el.getAttribute('id');
        const byFor = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent : null;
        return (el.getAttribute('aria-label') ?? byFor ?? el.textContent ?? '').trim();
      });
      if (label.replace(/\s*\*$/, '') === accessibleLabel) return;
      await this.page.keyboard.press(key);
    }
    throw new Error(`Could not reach "${accessibleLabel}" with ${key}`);
  }

  card(): PersonCardPage {
    return new PersonCardPage(this.page);
  }
  form(): PersonFormPage {
    return new PersonFormPage(this.page);
  }
}

export class PersonCardPage {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('person-card');
  }
  async visible(): Promise<void> {
    await expect(this.root).toBeVisible();
  }
  heading(): Locator {
    return this.root.getByRole('heading', { level: 1 });
  }
  identity(): Locator {
    return this.root.getByTestId('identity-display');
  }
  protectedBlock(): Locator {
    return this.root.getByTestId('protected-block');
  }
}

export class PersonFormPage {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('person-form');
  }
  async visible(): Promise<void> {
    await expect(this.root).toBeVisible();
  }
  /** A field by its visible label (a required field's label ends in an asterisk). */
  field(label: string): Locator {
    return this.root.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));
  }
  identityNumber(): Locator {
    return this.root.getByTestId('identity-number');
  }
  /** The error text Mantine shows under a field (linked by aria-describedby). */
  async errorOf(field: Locator): Promise<string> {
    const ids = (await field.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(ids.split(/\s+/).filter(Boolean).map((id) => this.page.locator(`[id="${id}"]`).innerText().catch(() => '')));
    return texts.join(' ');
  }
  async saveWithKeyboard(): Promise<void> {
    await this.page.keyboard.press('Control+s');
  }
}

/** The care part of a person's card and its dialogs, worked with the keyboard. */
export class CareCardPage {
  constructor(readonly app: KansliApp) {}
  get page() {
    return this.app.page;
  }
  /** The care part has loaded (the households section shows its households or says there are none). */
  async ready(): Promise<void> {
    await expect(this.page.getByTestId('households-section')).toBeVisible();
    await expect(this.page.getByTestId('households-section').locator('.k-list-item, .k-empty').first()).toBeVisible();
  }
  guardiansSection(): Locator {
    return this.page.getByTestId('guardians-section');
  }
  householdsSection(): Locator {
    return this.page.getByTestId('households-section');
  }
  placementsSection(): Locator {
    return this.page.getByTestId('placements-section');
  }
  households(): Locator {
    return this.page.getByTestId('household');
  }
  placementRows(): Locator {
    return this.page.getByTestId('placement-row');
  }
  enrolmentRows(): Locator {
    return this.page.getByTestId('enrolment-row');
  }
  dialog(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
  /** Tabs through the card to a control by its accessible label (a row button's label names its row). */
  async tabTo(label: string): Promise<void> {
    await this.app.pressUntilFocused('Tab', label, 250);
  }
  /** Tabs to a text field by its label, selects what it holds and types over it. */
  async typeInto(label: string, text: string): Promise<void> {
    await this.app.pressUntilFocused('Tab', label);
    await this.page.keyboard.press('Control+a');
    await this.page.keyboard.type(text);
  }
  /**
   * A searchable picker (unit, group): Tab to it, type part of a name, arrow down to the option and
   * press Enter, as a clerk would.
   */
  async pick(label: string, query: string, option: string): Promise<void> {
    await this.app.pressUntilFocused('Tab', label);
    await this.page.keyboard.press('Control+a');
    await this.page.keyboard.type(query);
    await this.choose(this.page.getByRole('option').filter({ has: this.page.getByText(option, { exact: true }) }));
  }
  /** The focused person picker: type a name, choose the hit with this identity number (namesakes are common). */
  async pickPerson(name: string, identity: string): Promise<void> {
    await this.page.keyboard.type(name);
    // The option shows the number as displayed (with its separator): match the digits in any format.
    const digits = new RegExp(identity.replace(/\D/g, '').split('').join('\\D?'));
    await this.choose(this.page.getByRole('option').filter({ hasText: digits }));
  }
  /** Arrows down an open picker list to the option, then Enter; the list closes. */
  private async choose(option: Locator): Promise<void> {
    await expect(option.first()).toBeVisible();
    for (let i = 0; i < 40 && (await option.first().getAttribute('data-combobox-selected')) === null; i++) await this.page.keyboard.press('ArrowDown');
    await expect(option.first()).toHaveAttribute('data-combobox-selected', 'true');
    await this.page.keyboard.press('Enter');
    await expect(this.page.getByRole('listbox')).toBeHidden();
  }
  /** The error text under a field (linked by aria-describedby). */
  async errorOf(field: Locator): Promise<string> {
    const ids = (await field.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(ids.split(/\s+/).filter(Boolean).map((id) => this.page.locator(`[id="${id}"]`).innerText().catch(() => '')));
    return texts.join(' ');
  }
}

/**
 * Keyboard moves the office screens need (queue, lists, rollover): the filter-as-you-type pickers (Mantine
 * comboboxes: UnitPicker, GroupPicker, the application's child picker) and the ↑/↓ row keys of the tables.
 */
export class OfficeKeyboard {
  constructor(readonly page: Page) {}

  /** The start screen puts the cursor in the search box: Escape leaves it (twice when it holds text). */
  async leaveSearchBox(): Promise<void> {
    // The screen after sign-in loads on demand and then puts the focus in its search box: wait for that
    // (a key pressed before it lands nowhere, and the next letters would be typed into the box).
    await expect.poll(() => this.page.evaluate(() => document.activeElement?.tagName ?? '')).toBe('INPUT');
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
    await expect.poll(() => this.page.evaluate(() => document.activeElement?.tagName ?? '')).not.toBe('INPUT');
  }

  /** Whether the focus is on `target` or inside it. */
  async hasFocus(target: Locator): Promise<boolean> {
    return target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));
  }

  /** Presses `key` until the focus is on or inside `target`. */
  async pressUntilIn(key: string, target: Locator, max = 60): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await this.hasFocus(target)) return;
      await this.page.keyboard.press(key);
    }
    throw new Error(`Could not reach ${target.toString()} with ${key}`);
  }

  /** Tab into the table's rows (past its toolbar; unless the focus is there already), then ↓/↑ to `row`. */
  async focusRowOf(table: Locator, row: Locator): Promise<void> {
    await this.pressUntilIn('Tab', table.locator('tbody'));
    const want = await row.evaluate((r) => Array.from(r.parentElement!.children).indexOf(r));
    const rows = table.locator('tbody > tr');
    for (let i = 0; i < 100; i++) {
      if (await this.hasFocus(row)) return;
      const at = await rows.evaluateAll((rs) => rs.findIndex((r) => r.contains(document.activeElement)));
      await this.page.keyboard.press(at < want ? 'ArrowDown' : 'ArrowUp');
    }
    throw new Error('Could not reach the row with the arrow keys');
  }

  /**
   * With text typed into a picker (`input` has the focus and its list is open): ↓ until the highlighted
   * option's first line is `label`, then Enter.
   */
  async pickOption(input: Locator, label: string): Promise<void> {
    await expect(input).toHaveAttribute('aria-expanded', 'true');
    await expect(input).toHaveAttribute('aria-controls', /.+/);
    const list = this.page.locator(`[id="${await input.getAttribute('aria-controls')}"]`);
    await expect(list.locator('[data-combobox-option]').filter({ hasText: label }).first()).toBeVisible();
    const highlighted = list.locator('[data-combobox-option][data-combobox-selected]');
    for (let i = 0; i < 20; i++) {
      if ((await highlighted.count()) === 1 && (await highlighted.innerText()).split('\n')[0]!.trim() === label) break;
      await this.page.keyboard.press('ArrowDown');
    }
    await expect(highlighted).toHaveCount(1);
    expect((await highlighted.innerText()).split('\n')[0]!.trim()).toBe(label);
    await this.page.keyboard.press('Enter');
  }
}

// -------------------------------------------------------------------------------------------------
// The folkbokföring screens: imports, the review of a run, the work list, the intake
// -------------------------------------------------------------------------------------------------

/**
 * Files and jobs through the browser host for test setup: an upload as the page's own session (the host's
 * `/upload`), an import started and followed to its end, an apply. The screens are tested with the keyboard;
 * these only prepare what a test needs before it starts.
 */
export class ImportApi {
  constructor(readonly app: KansliApp) {}

  async upload(name: string, content: string, kind: 'navet' | 'freg'): Promise<string> {
    const r = await this.app.page.evaluate(
      async ([n, c, k]) => {
        const res = await fetch(`/upload?kind=${k}&name=${encodeURIComponent(n)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: c });
        return res.json();
      },
      [name, content, kind] as const,
    );
    if (!r.ok) throw new Error(`upload: ${JSON.stringify(r.error)}`);
    return (r.data as { fileId: string }).fileId;
  }

  /** Waits until the job has ended and returns its state. */
  async waitJob(jobId: string): Promise<MethodOutput<'job.get'>> {
    for (let i = 0; i < 600; i++) {
      const j = await this.app.api('job.get', { id: jobId });
      if (j.state !== 'queued' && j.state !== 'running') return j;
      await this.app.page.waitForTimeout(200);
    }
    throw new Error(`job ${jobId} did not end`);
  }

  /** Reads a file into a dry run (upload, import.start, the read job) and returns the run. */
  async read(name: string, content: string, format: 'navet' | 'freg'): Promise<MethodOutput<'import.get'>> {
    const fileId = await this.upload(name, content, format);
    const started = await this.app.api('import.start', { fileId, format });
    await this.waitJob(started.jobId);
    return this.app.api('import.get', { id: started.runId });
  }

  async apply(runId: string): Promise<MethodOutput<'job.get'>> {
    const { jobId } = await this.app.api('import.apply', { id: runId });
    return this.waitJob(jobId);
  }
}

/** The imports screen (G I): the new-import form and the list of runs. */
export class ImportsPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('imports-screen');
  }
  get page(): Page {
    return this.app.page;
  }

  /** G then I, from anywhere outside a text field. */
  async open(): Promise<void> {
    await this.page.keyboard.press('g');
    await this.page.keyboard.press('i');
    await expect(this.root).toBeVisible();
  }

  /** Tab to "Välj fil …", press Enter (the browser's file chooser opens) and pick the file. */
  async chooseFile(path: string): Promise<void> {
    await this.app.pressUntilFocused('Tab', 'Välj fil …');
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.keyboard.press('Enter');
    await (await chooser).setFiles(path);
    await expect(this.root.getByTestId('import-file-chosen')).toContainText(path.split('/').pop()!);
  }

  /** Tab to "Läs in filen" and press Enter; the run's own page opens. */
  async start(): Promise<ImportRunPage> {
    await this.app.pressUntilFocused('Tab', 'Läs in filen');
    await this.page.keyboard.press('Enter');
    const run = new ImportRunPage(this.app);
    await expect(run.root).toBeVisible();
    return run;
  }

  rows(): Locator {
    return this.root.getByTestId('imports-row');
  }
}

/** One run's page: the read job, the review (tabs per kind, the rows, the problems), apply and discard. */
export class ImportRunPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('import-run');
  }
  get page(): Page {
    return this.app.page;
  }
  /** The run's id, from the address (#/imports/<id>). */
  id(): string {
    const m = /#\/imports\/([0-9a-f-]{36})/.exec(this.page.url());
    if (!m) throw new Error(`not on a run's page: ${this.page.url()}`);
    return m[1]!;
  }
  readJob(): Locator {
    return this.root.getByTestId('import-read-job');
  }
  blocked(): Locator {
    return this.root.getByTestId('import-blocked');
  }
  tab(value: string): Locator {
    return this.root.getByTestId(`import-tab-${value}`);
  }
  changes(): Locator {
    return this.root.getByTestId('import-change');
  }
  /** The review's rows of one person (by the name the register holds). */
  changesOf(name: string): Locator {
    return this.changes().filter({ has: this.page.getByTestId('import-change-person').getByText(name, { exact: true }) });
  }
  /** Tab into the review's tab list, then → until the tab of `value` is active (arrow keys select tabs). */
  async selectTab(value: string): Promise<void> {
    const keys = new OfficeKeyboard(this.page);
    const list = this.root.getByTestId('import-tabs');
    await keys.pressUntilIn('Tab', list);
    const tab = this.tab(value);
    for (let i = 0; i < 20 && (await tab.getAttribute('aria-selected')) !== 'true'; i++) await this.page.keyboard.press('ArrowRight');
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    await expect(tab).toBeFocused();
  }
  applyDialog(): Locator {
    return this.page.getByTestId('import-apply-dialog');
  }
  result(): Locator {
    return this.root.getByTestId('import-result');
  }
}

/** The work list (G W): state and kind filters, rows selected with Space, confirm and dismiss dialogs. */
export class WorklistPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('worklist-screen');
  }
  get page(): Page {
    return this.app.page;
  }
  table(): Locator {
    return this.root.getByTestId('worklist-table');
  }
  rows(): Locator {
    return this.root.getByTestId('worklist-row');
  }
  rowOf(name: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId('worklist-person').getByText(name, { exact: true }) });
  }
  /**
   * Tab into the table's rows (past the header's "select all"), then ↓/↑ to `row`: the focus is on the row's
   * checkbox, where Space selects it.
   */
  async focusRow(row: Locator): Promise<void> {
    await focusBodyRow(this.page, this.table(), row);
  }
  confirmDialog(): Locator {
    return this.page.getByTestId('worklist-confirm-dialog');
  }
  dismissDialog(): Locator {
    return this.page.getByTestId('worklist-dismiss-dialog');
  }
  notice(): Locator {
    return this.root.getByTestId('worklist-notice');
  }
}

/** The intake (palette "Skolstart"): the cohort table, rows selected with Space, the unit, "create". */
export class IntakePage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('intake-screen');
  }
  get page(): Page {
    return this.app.page;
  }
  table(): Locator {
    return this.root.getByTestId('intake-table');
  }
  rows(): Locator {
    return this.root.getByTestId('intake-row');
  }
  rowOf(name: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId('intake-person').getByText(name, { exact: true }) });
  }
  async focusRow(row: Locator): Promise<void> {
    await focusBodyRow(this.page, this.table(), row);
  }
}

/** Tab until the focus is in the table's body (not its header), then ↓/↑ until it is in `row`. */
async function focusBodyRow(page: Page, table: Locator, row: Locator): Promise<void> {
  const keys = new OfficeKeyboard(page);
  await keys.pressUntilIn('Tab', table.locator('tbody'));
  const want = await row.evaluate((r) => Array.from(r.parentElement!.children).indexOf(r));
  const rows = table.locator('tbody > tr');
  for (let i = 0; i < 200; i++) {
    if (await keys.hasFocus(row)) return;
    const at = await rows.evaluateAll((rs) => rs.findIndex((r) => r.contains(document.activeElement)));
    await page.keyboard.press(at < want ? 'ArrowDown' : 'ArrowUp');
  }
  throw new Error('Could not reach the row with the arrow keys');
}

/** The CSV mappings (palette "CSV-mappningar", or from the Imports screen): the list and its delete dialog. */
export class CsvMappingsPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('csv-mappings-screen');
  }
  get page(): Page {
    return this.app.page;
  }
  rows(): Locator {
    return this.root.getByTestId('csv-mapping-row');
  }
  rowOf(name: string): Locator {
    return this.root.locator(`[data-testid="csv-mapping-row"][data-name="${name.replace(/"/g, '\\"')}"]`);
  }
  deleteDialog(): Locator {
    return this.page.getByTestId('csv-mapping-delete-dialog');
  }
  notice(): Locator {
    return this.root.getByTestId('csv-mappings-notice');
  }
}

/** A CSV mapping's form: the sample file, the separator and date format, a field per column, the name. */
export class CsvMappingFormPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('csv-mapping-form');
  }
  get page(): Page {
    return this.app.page;
  }

  /** Tab to "Välj exempelfil …", Enter, pick the file; the file's columns are then the table's rows. */
  async chooseSample(path: string): Promise<void> {
    await this.app.pressUntilFocused('Tab', 'Välj exempelfil …');
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.keyboard.press('Enter');
    await (await chooser).setFiles(path);
    await expect(this.root.getByTestId('csv-sample-status')).toContainText(path.split('/').pop()!);
  }

  columnRows(): Locator {
    return this.root.getByTestId('csv-column-row');
  }
  fieldOf(heading: string): Locator {
    return this.root.locator(`[data-testid="csv-column-row"][data-heading="${heading.replace(/"/g, '\\"')}"]`).getByTestId('csv-field');
  }

  /**
   * Tab to the column's field picker (a plain select) and arrow down to the field (Home first: "Ignorera" is the
   * first choice); `''` leaves the column ignored.
   */
  async pickField(heading: string, field: string): Promise<void> {
    const select = this.fieldOf(heading);
    await this.app.pressUntilFocused('Tab', `Fält för kolumnen ${heading}`, 120);
    await expect(select).toBeFocused();
    const [at, want] = await select.evaluate((el, f) => {
      const s = el as HTMLSelectElement;
      return [s.selectedIndex, Array.from(s.options).findIndex((o) => o.value === f)];
    }, field);
    expect(want, `the picker offers ${field}`).toBeGreaterThanOrEqual(0);
    for (let i = at; i < want; i++) await this.page.keyboard.press('ArrowDown');
    for (let i = at; i > want; i--) await this.page.keyboard.press('ArrowUp');
    await expect(select).toHaveValue(field);
  }

  /** The checklist line of a requirement (`givenName`, `familyName`, `identity`, `address`). */
  requirement(id: string): Locator {
    return this.root.getByTestId(`csv-req-${id}`);
  }
}

// -------------------------------------------------------------------------------------------------
// Fees: the fee runs (G A), one run's page, the child's next fee on the card, a household's incomes
// -------------------------------------------------------------------------------------------------

/** The Fees screen (G A): a new run (month, kind) and the runs, newest first. */
export class FeesPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('fees-screen');
  }
  get page(): Page {
    return this.app.page;
  }
  /** G then A, from anywhere outside a text field. */
  async open(): Promise<void> {
    await this.page.keyboard.press('g');
    await this.page.keyboard.press('a');
    await expect(this.root).toBeVisible();
  }
  month(): Locator {
    return this.root.getByTestId('fee-run-month');
  }
  rows(): Locator {
    return this.root.getByTestId('fee-run-row');
  }
}

/** One fee run: its facts, the preview job, the summary panels, the lines with the explanation beside them, the actions. */
export class FeeRunPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('fee-run');
  }
  get page(): Page {
    return this.app.page;
  }
  /** The run's id, from the address (#/fees/<id>). */
  id(): string {
    const m = /#\/fees\/([0-9a-f-]{36})/.exec(this.page.url());
    if (!m) throw new Error(`not on a fee run's page: ${this.page.url()}`);
    return m[1]!;
  }
  async state(state: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', state, { timeout: 30_000 });
  }
  summary(): Locator {
    return this.root.getByTestId('fee-summary');
  }
  lines(): Locator {
    return this.root.getByTestId('fee-line-row');
  }
  linesTable(): Locator {
    return this.root.getByTestId('fee-lines-table');
  }
  panel(): Locator {
    return this.root.getByTestId('fee-line-panel');
  }
  notice(): Locator {
    return this.root.getByTestId('fee-run-notice');
  }
  dialog(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
  /** A run's action from the command palette (Ctrl+K, its name, Enter): the dialog it opens is visible. */
  async fromPalette(command: string, dialogTestId: string): Promise<Locator> {
    await this.app.openPalette();
    await this.page.keyboard.type(command);
    // The palette ranks the action named by the query first (and chooses it): Enter runs it.
    const first = this.page.getByRole('dialog').locator('.mantine-Spotlight-action').first();
    await expect(first).toContainText(command);
    await expect(first).toHaveAttribute('data-selected', 'true');
    await this.page.keyboard.press('Enter');
    const dialog = this.dialog(dialogTestId);
    await expect(dialog).toBeVisible();
    return dialog;
  }
}

// -------------------------------------------------------------------------------------------------
// FOI requests (issue 13): the dashboard (G F), the new-request dialog, a request's page
// -------------------------------------------------------------------------------------------------

/** The request register's dashboard (G F): the tabs with their counts, "Mine only", the requests, "New request" (Alt+N). */
export class FoiPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('foi-screen');
  }
  get page(): Page {
    return this.app.page;
  }
  /** G then F, from anywhere (an empty search box, where the FOI officer starts, is left with Esc first). */
  async open(): Promise<void> {
    const typing = await this.page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
    });
    if (typing) {
      await this.page.keyboard.press('Escape');
      await expect.poll(() => this.page.evaluate(() => document.activeElement instanceof HTMLInputElement)).toBe(false);
    }
    await this.page.keyboard.press('g');
    await this.page.keyboard.press('f');
    await expect(this.root).toBeVisible();
    await expect(this.page).toHaveURL(/#\/foi(\?|$)/);
  }
  tab(filter: string): Locator {
    return this.root.getByTestId(`foi-tab-${filter}`);
  }
  /** A tab's count as the tab shows it (data-count). */
  async count(filter: string): Promise<number> {
    return Number(await this.tab(filter).getAttribute('data-count'));
  }
  /** Moves to a tab with the keyboard: focus the selected tab, then the arrow keys until the wanted one is selected. */
  async chooseTab(filter: string): Promise<void> {
    const selected = this.root.locator('[role="tab"][aria-selected="true"]');
    await selected.focus();
    const wanted = this.tab(filter);
    for (let i = 0; i < 10 && (await wanted.getAttribute('aria-selected')) !== 'true'; i++) await this.page.keyboard.press('ArrowLeft');
    await expect(wanted).toHaveAttribute('aria-selected', 'true');
  }
  rows(): Locator {
    return this.root.getByTestId('foi-row');
  }
  row(id: string): Locator {
    return this.root.locator(`[data-testid="foi-row"][data-request-id="${id}"]`);
  }
  table(): Locator {
    return this.root.getByTestId('foi-table');
  }
  dialog(): Locator {
    return this.page.getByTestId('foi-request-dialog');
  }
  notice(): Locator {
    return this.root.getByTestId('foi-notice');
  }
}

/** One request's page (#/foi/<id>): header, deadlines, requester, what is asked for, persons concerned, handling, actions. */
export class FoiRequestPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('foi-request');
  }
  get page(): Page {
    return this.app.page;
  }
  async visible(id?: string): Promise<void> {
    await expect(this.root).toBeVisible();
    if (id) await expect(this.root).toHaveAttribute('data-request-id', id);
  }
  async status(status: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-status', status);
  }
  move(to: string): Locator {
    return this.root.getByTestId(`foi-move-${to}`);
  }
  notice(): Locator {
    return this.root.getByTestId('foi-request-notice');
  }
  persons(): Locator {
    return this.root.getByTestId('foi-link-row');
  }
  deadlines(): Locator {
    return this.root.getByTestId('foi-deadlines');
  }
  dialog(testId: string): Locator {
    return this.page.getByTestId(testId);
  }
  /**
   * "Registrera beslut" by keyboard (Tab or Shift+Tab until it has the focus, Enter); the dialog asks the day,
   * today proposed and focused; Enter saves; the request is then decided.
   */
  async decide(key: 'Tab' | 'Shift+Tab'): Promise<void> {
    await this.app.pressUntilFocused(key, 'Registrera beslut');
    await this.page.keyboard.press('Enter');
    const decide = this.dialog('foi-move-dialog');
    await expect(decide).toBeVisible();
    await expect(decide.getByTestId('foi-move-decided-on')).toBeFocused();
    await this.page.keyboard.press('Enter');
    await expect(decide).toBeHidden();
    await this.status('decided');
  }
  /** An action from the command palette (Ctrl+K, its name, Enter). */
  async fromPalette(command: string): Promise<void> {
    await this.app.openPalette();
    await this.page.keyboard.type(command);
    const first = this.page.getByRole('dialog').locator('.mantine-Spotlight-action').first();
    await expect(first).toContainText(command);
    await expect(first).toHaveAttribute('data-selected', 'true');
    await this.page.keyboard.press('Enter');
  }
  /** Types part of a name or a number into the focused person picker, arrows down to the person's option, Enter. */
  async pickPerson(query: string, identity: string): Promise<void> {
    await this.page.keyboard.type(query);
    const digits = new RegExp(identity.replace(/\D/g, '').split('').join('\\D?'));
    const option = this.page.getByRole('option').filter({ hasText: digits });
    await expect(option.first()).toBeVisible();
    for (let i = 0; i < 40 && (await option.first().getAttribute('data-combobox-selected')) === null; i++) await this.page.keyboard.press('ArrowDown');
    await expect(option.first()).toHaveAttribute('data-combobox-selected', 'true');
    await this.page.keyboard.press('Enter');
    await expect(this.page.getByRole('listbox')).toBeHidden();
  }

  // ---- The secrecy review's work list (issue 13, step 5)
  review(): Locator {
    return this.root.getByTestId('foi-review');
  }
  items(): Locator {
    return this.root.getByTestId('foi-item-row');
  }
  item(id: string): Locator {
    return this.root.locator(`[data-testid="foi-item-row"][data-item-id="${id}"]`);
  }
  /** The item row that has the focus (its id), or null. */
  async focusedItem(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.closest('[data-testid="foi-item-row"]')?.getAttribute('data-item-id') ?? null);
  }
  /**
   * The keyboard to an item: Tab into the list (one Tab stop) unless a row has the focus, Home, then ↓ one
   * row at a time until the row with this id has the focus.
   */
  async focusItem(id: string): Promise<void> {
    await expect(this.item(id)).toBeVisible();
    for (let i = 0; i < 80 && (await this.focusedItem()) === null; i++) await this.page.keyboard.press('Tab');
    expect(await this.focusedItem(), 'the work list takes the focus with Tab').not.toBeNull();
    await this.page.keyboard.press('Home');
    await expect.poll(() => this.focusedItem()).toBe(await this.items().first().getAttribute('data-item-id'));
    const count = await this.items().count();
    for (let i = 0; i < count && (await this.focusedItem()) !== id; i++) {
      const from = await this.focusedItem();
      await this.page.keyboard.press('ArrowDown');
      await expect.poll(() => this.focusedItem()).not.toBe(from);
    }
    expect(await this.focusedItem(), 'the arrows reach the item').toBe(id);
  }
  /** A native select focused: ↓ or ↑ until it has the value (Chromium changes a closed select's value with the arrows). */
  async selectByArrows(select: Locator, value: string, max = 20): Promise<void> {
    await expect(select).toBeFocused();
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const want = values.indexOf(value);
    expect(want, `the select offers ${value}`).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < max && (await select.inputValue()) !== value; i++) {
      const at = values.indexOf(await select.inputValue());
      await this.page.keyboard.press(at < want ? 'ArrowDown' : 'ArrowUp');
    }
    await expect(select).toHaveValue(value);
  }
}

// -------------------------------------------------------------------------------------------------
// Documents about a person (issue 13): the card's "Dokument" block and its dialogs
// -------------------------------------------------------------------------------------------------

/** The card's documents: the list (one Tab stop, Enter opens), "Bifoga dokument" (Alt+D), a row's Ändra and Ta bort. */
export class DocumentsBlock {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('documents-section');
  }
  get page(): Page {
    return this.app.page;
  }
  rows(): Locator {
    return this.root.getByTestId('document-row');
  }
  row(title: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId('document-title').getByText(title, { exact: true }) });
  }
  attachButton(): Locator {
    return this.root.getByTestId('documents-attach');
  }
  dialog(): Locator {
    return this.page.getByTestId('document-dialog');
  }
  /** The dialog's file button focused: Enter opens the browser's file chooser, which gets the file. */
  async chooseFile(path: string): Promise<void> {
    const button = this.dialog().getByTestId('document-file-button');
    await expect(button).toBeFocused();
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.keyboard.press('Enter');
    await (await chooser).setFiles(path);
    await expect(this.dialog().getByTestId('document-file-chosen')).toContainText(path.split('/').pop()!);
  }
  /** Tab (or Shift+Tab) until a document row itself has focus (the list is one Tab stop). */
  async focusList(key: 'Tab' | 'Shift+Tab' = 'Tab', max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      const onRow = await this.page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'document-row');
      if (onRow) return;
      await this.page.keyboard.press(key);
    }
    throw new Error('Could not reach the documents list with the keyboard');
  }
}

// -------------------------------------------------------------------------------------------------
// A class added to an FOI request: "Lägg till klass" on the request page
// -------------------------------------------------------------------------------------------------

/**
 * The request page's "Lägg till klass" dialog: the unit (focused when it opens) and the class picked by typing
 * and the arrow keys, the day the class is taken as it was (the request's received day to begin with), the
 * class's members counted under the fields (the protected ones counted, never named).
 */
export class FoiGroupDialog {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('foi-group-dialog');
  }
  get page(): Page {
    return this.app.page;
  }
  unit(): Locator {
    return this.root.getByTestId('foi-group-unit');
  }
  group(): Locator {
    return this.root.getByTestId('foi-group-group');
  }
  day(): Locator {
    return this.root.getByTestId('foi-group-on');
  }
  /** "2A: 19 medlemmar den …", with data-members and data-protected. */
  preview(): Locator {
    return this.root.getByTestId('foi-group-preview');
  }
  protectedNote(): Locator {
    return this.root.getByTestId('foi-group-protected-note');
  }
  /** The focused picker: types `query`, ↓ to the option whose first line is `label`, Enter; the picker then shows it. */
  async pick(input: Locator, query: string, label: string): Promise<void> {
    await expect(input).toBeFocused();
    await this.page.keyboard.type(query);
    await new OfficeKeyboard(this.page).pickOption(input, label);
    await expect(input).toHaveValue(label);
  }
}

// -------------------------------------------------------------------------------------------------
// The FOI settings (#/foi/settings): the deadline rules and the legal grounds
// -------------------------------------------------------------------------------------------------

/** The FOI settings: the deadline rules form (tab "Tidsfrister") and the legal grounds table (tab "Rättsliga grunder"). */
export class FoiSettingsPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('foi-settings');
  }
  get page(): Page {
    return this.app.page;
  }
  async visible(tab: 'rules' | 'grounds'): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.root).toHaveAttribute('data-tab', tab);
    await expect(this.tab(tab)).toHaveAttribute('aria-selected', 'true');
  }
  tab(name: 'rules' | 'grounds'): Locator {
    return this.root.getByTestId(`foi-settings-tab-${name}`);
  }
  /** Moves to a tab with the keyboard: focus the selected tab, then the arrow keys until the wanted one is selected. */
  async chooseTab(name: 'rules' | 'grounds'): Promise<void> {
    await this.root.locator('[role="tab"][aria-selected="true"]').focus();
    const wanted = this.tab(name);
    for (let i = 0; i < 3 && (await wanted.getAttribute('aria-selected')) !== 'true'; i++) await this.page.keyboard.press(name === 'grounds' ? 'ArrowRight' : 'ArrowLeft');
    await this.visible(name);
  }
  /** A deadline figure's input (seTarget, seOverdue, noTarget, noRefused, gdprMonths, gdprExtension). */
  figure(name: string): Locator {
    return this.root.getByTestId(`foi-rule-${name}`);
  }
  /** Whether the law's defaults are in force (data-state: defaults, law, own). */
  rulesState(): Locator {
    return this.root.getByTestId('foi-rules-state');
  }
  rulesNotice(): Locator {
    return this.root.getByTestId('foi-rules-notice');
  }
  closedDays(): Locator {
    return this.root.getByTestId('foi-closed-day');
  }
  groundsNotice(): Locator {
    return this.root.getByTestId('foi-grounds-notice');
  }
  groundRows(): Locator {
    return this.root.getByTestId('foi-ground-row');
  }
  groundRow(code: string): Locator {
    return this.root.locator(`[data-testid="foi-ground-row"][data-code="${code}"]`);
  }
  groundDialog(): Locator {
    return this.page.getByTestId('foi-ground-dialog');
  }
  endDialog(): Locator {
    return this.page.getByTestId('foi-ground-end-dialog');
  }
  removeDialog(): Locator {
    return this.page.getByTestId('foi-ground-remove-dialog');
  }
  /** From the grounds table: Tab into it, Home, then the arrow keys (one row at a time) to the ground's row. */
  async focusGroundRow(code: string): Promise<void> {
    const active = () => this.page.evaluate(() => document.activeElement?.closest('[data-testid="foi-grounds-table"] tbody tr')?.getAttribute('data-code') ?? null);
    for (let i = 0; i < 60 && (await active()) === null; i++) await this.page.keyboard.press('Tab');
    expect(await active(), 'the table takes the focus with Tab').not.toBeNull();
    await this.page.keyboard.press('Home');
    const rows = await this.groundRows().count();
    for (let i = 0; i < rows && (await active()) !== code; i++) {
      const from = await active();
      await this.page.keyboard.press('ArrowDown');
      await expect.poll(active).not.toBe(from);
    }
    expect(await active(), 'the arrows reach the ground').toBe(code);
  }
}

// -------------------------------------------------------------------------------------------------
// A document's masked regions in the secrecy review: the review dialog's section and the region editor
// -------------------------------------------------------------------------------------------------

/** The region editor over the review dialog: the page with its boxes, the page buttons, the selected region, the list, the live region. */
export class RegionEditorPage {
  readonly root: Locator;
  constructor(readonly app: KansliApp) {
    this.root = app.page.getByTestId('foi-regions-editor');
  }
  get page(): Page {
    return this.app.page;
  }
  /** The page on the stage (its picture and boxes), once it is shown. */
  sheet(): Locator {
    return this.root.getByTestId('foi-regions-page');
  }
  image(): Locator {
    return this.root.getByTestId('foi-regions-image');
  }
  boxes(): Locator {
    return this.root.getByTestId('foi-regions-box');
  }
  /** "Sida 2 av 3". */
  pageOf(): Locator {
    return this.root.getByTestId('foi-regions-pageof');
  }
  newButton(): Locator {
    return this.root.getByTestId('foi-regions-new');
  }
  /** The selected region's ground. */
  ground(): Locator {
    return this.root.getByTestId('foi-regions-ground');
  }
  selected(): Locator {
    return this.root.getByTestId('foi-regions-selected');
  }
  rows(): Locator {
    return this.root.getByTestId('foi-regions-row');
  }
  /** What the live region said last (a repeated text ends in a no-break space: trimmed). */
  async said(): Promise<string> {
    return ((await this.root.getByTestId('foi-regions-live').textContent()) ?? '').replace(/\u00a0$/, '');
  }
  /** The focused box's place and size in shares (its data attributes), or null when no box has the focus. */
  async focusedBox(): Promise<{ x: number; y: number; w: number; h: number } | null> {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLElement) || !el.hasAttribute('data-region-box')) return null;
      return { x: Number(el.dataset.x), y: Number(el.dataset.y), w: Number(el.dataset.w), h: Number(el.dataset.h) };
    });
  }
  /** Presses a key `times` times (on the focused box, moving or resizing it). */
  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key);
  }
}
