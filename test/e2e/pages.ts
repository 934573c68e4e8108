/**
 * Page objects: what a clerk sees and does, named in the clerk's terms. Tests talk to these, not to
 * selectors, so a layout change is fixed in one place. Labels are Swedish (the default language).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';

export class KansliApp {
  constructor(readonly page: Page) {}

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

  /** Opens a screen by its address (`#/person/<id>`), as a bookmark or a pasted link would. */
  async goto(hash: string): Promise<void> {
    await this.page.goto(`${new URL(this.page.url()).origin}/${hash}`);
  }

  async ready(): Promise<void> {
    await expect(this.page.getByTestId('nav-search')).toBeVisible();
  }

  /** Focuses the search box from anywhere with the keyboard (Ctrl+F works inside fields too) and types a query. */
  async search(q: string): Promise<Locator> {
    await this.page.keyboard.press('Control+f');
    await this.page.keyboard.press('Control+a');
    await this.page.keyboard.type(q);
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
