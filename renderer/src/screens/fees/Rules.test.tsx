// @vitest-environment jsdom
/**
 * The fee rules screen in a DOM over a fake transport: read-only without fee.write (no actions, said why);
 * a new rule set written as the whole value (the others as read, the open set before it ended); the core's
 * refusal on the dialog's field, or named (rule set and field) at its top when it is about another set.
 */
import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/transport';
import { DEFAULT_CSV_LAYOUTS } from '../../../../shared/api/fee-export';
import { sessionInfo, setUpDom } from '../../kit/testing';
import { ApiProvider } from '../../lib/api';
import { EventsProvider } from '../../lib/events';
import { fakeEvents, fakeTransport, type FakeHandlers } from '../../lib/fakeTransport';
import type { FeeRulesView } from '../../lib/fee-rules';
import { setLang } from '../../lib/i18n';
import { makeSession, SessionProvider } from '../../lib/session';
import { FeeRulesScreen } from './Rules';

beforeAll(() => {
  setUpDom();
  globalThis.CSS ??= { escape: (s: string) => s.replace(/["\\]/g, '\\$&') } as typeof CSS;
});
afterEach(cleanup);

const percent = { preschool: [300, 200, 100], afterschool: [200, 100, 100] };
const view: FeeRulesView = {
  se: [
    { id: 'se-2025', name: 'Maxtaxa 2025', country: 'SE', validFrom: '2025-01', validTo: '2025-12', ceiling: 5_944_000, incomeFloor: 0, percent, source: 'Skolverket 2025' },
    { id: 'se-2026', name: 'Maxtaxa 2026', country: 'SE', validFrom: '2026-01', validTo: null, ceiling: 6_156_000, incomeFloor: 1_000_000, percent, source: 'Skolverket 2026' },
  ],
  no: [],
  settings: { dayCount: 'thirty', freeStartDays: 0, rounding: 'krona', sharedResidence: 'each_capped_together', local: [], paymentTermsDays: 30, incomeCheckThreshold: 100_000, correctionMonths: 24, invoicing: null, csvLayouts: [...DEFAULT_CSV_LAYOUTS] },
  defaults: true,
  version: 'v1',
};

function mount(permissions: string[], h: FakeHandlers) {
  const t = fakeTransport(h);
  setLang('sv');
  const session = makeSession({ ...sessionInfo('SE'), permissions } as Parameters<typeof makeSession>[0]);
  const wrap = (ui: ReactNode) => (
    <MantineProvider>
      <SessionProvider session={session}>
        <ApiProvider client={t.client}>
          <EventsProvider source={fakeEvents()}>{ui}</EventsProvider>
        </ApiProvider>
      </SessionProvider>
    </MantineProvider>
  );
  render(wrap(<FeeRulesScreen />));
  return t;
}

describe('the fee rules screen', () => {
  it('without fee.write: the same figures, no actions, and a note saying why', async () => {
    mount(['fee.read'], { 'fee.rules': () => view });
    const screenEl = await screen.findByTestId('fee-rules-screen');
    expect(within(screenEl).getByTestId('fee-rules-read-only').textContent).toMatch(/Du kan läsa avgiftsreglerna/);
    expect(within(screenEl).getByTestId('fee-rules-defaults')).toBeTruthy();
    expect(within(screenEl).getAllByTestId('fee-rule-set-row')).toHaveLength(2);
    expect(within(screenEl).queryByTestId('fee-rules-new-set')).toBeNull();
    expect(within(screenEl).queryByTestId('fee-rules-edit-settings')).toBeNull();
    expect(within(screenEl).queryByTestId('fee-rules-new-local')).toBeNull();
    expect(within(screenEl).queryAllByTestId('fee-rule-set-edit')).toHaveLength(0);
    // Enter on a row opens nothing.
    const row = within(screenEl).getAllByTestId('fee-rule-set-row')[0]!;
    row.focus();
    await userEvent.setup().keyboard('{Enter}');
    expect(screen.queryByTestId('fee-rule-set-dialog')).toBeNull();
  });

  it('a new set: the whole value written; a refusal about another set is named at the top; then saved', async () => {
    const user = userEvent.setup();
    let refuse = true;
    const t = mount(['fee.read', 'fee.write'], {
      'fee.rules': () => view,
      'fee.rulesUpdate': (i): FeeRulesView | { error: ApiError } =>
        refuse
          ? { error: { code: 'rule_violation', rule: 'fee_rules_overlap', message: 'fee_rules_overlap', field: 'se.0.validFrom' } }
          : { se: i.se, no: i.no ?? view.no, settings: i.settings as FeeRulesView['settings'], defaults: false, version: 'v2' },
    });
    await user.click(await screen.findByTestId('fee-rules-new-set'));
    const dialog = await screen.findByTestId('fee-rule-set-dialog');
    const from = within(dialog).getByTestId('fee-rule-set-from') as HTMLInputElement;
    expect(from.value).toBe('2027-01');
    expect(within(dialog).getByTestId('fee-rule-set-ends-note').textContent).toBe('När du sparar slutar ”Maxtaxa 2026” att gälla efter december 2026.');
    await user.clear(from);
    await user.type(from, '2024-06');
    await user.type(within(dialog).getByTestId('fee-rule-set-to'), '2025-03');
    await user.keyboard('{Control>}s{/Control}');
    const banner = await within(dialog).findByTestId('form-errors');
    expect(within(banner).getByTestId('form-error').textContent).toBe('Regeluppsättningen ”Maxtaxa 2025” (januari 2025 – december 2025), Första månad: Två regeluppsättningar gäller samma månad.');
    const [call] = t.callsOf('fee.rulesUpdate');
    const input = call!.input as MethodInput<'fee.rulesUpdate'>;
    expect(input.se.map((s) => [s.id, s.validFrom, s.validTo])).toEqual([
      ['se-2025', '2025-01', '2025-12'],
      ['se-2026', '2026-01', null],
      ['se-2024-06', '2024-06', '2025-03'],
    ]);
    expect(input.settings).toEqual(view.settings);
    expect(input.no).toEqual(view.no);

    // From 2027-01 instead, a higher ceiling: saved; the open set before it ends in December 2026.
    refuse = false;
    await user.clear(from);
    await user.type(from, '2027-01');
    await user.clear(within(dialog).getByTestId('fee-rule-set-to'));
    const ceiling = within(dialog).getByTestId('fee-rule-set-ceiling') as HTMLInputElement;
    await user.clear(ceiling);
    await user.type(ceiling, '65 000');
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(screen.queryByTestId('fee-rule-set-dialog')).toBeNull());
    expect(screen.getByTestId('fee-rules-notice').textContent).toBe('Regeluppsättningen ”Maxtaxa från januari 2027” är sparad. ”Maxtaxa 2026” gäller till och med december 2026.');
    const saved = t.callsOf('fee.rulesUpdate')[1]!.input as MethodInput<'fee.rulesUpdate'>;
    expect(saved.se.map((s) => [s.id, s.validFrom, s.validTo, s.ceiling])).toEqual([
      ['se-2025', '2025-01', '2025-12', 5_944_000],
      ['se-2026', '2026-01', '2026-12', 6_156_000],
      ['se-2027-01', '2027-01', null, 6_500_000],
    ]);
    expect(screen.getAllByTestId('fee-rule-set-row')[0]!.dataset.id).toBe('se-2027-01');
    expect(screen.queryByTestId('fee-rules-defaults')).toBeNull();
  });

  it('removing the latest set, asked first: the set it ended runs on again; the last set cannot be removed', async () => {
    const user = userEvent.setup();
    const t = mount(['fee.read', 'fee.write'], {
      'fee.rules': () => view,
      'fee.rulesUpdate': (i): FeeRulesView => ({ se: i.se, no: i.no ?? view.no, settings: i.settings as FeeRulesView['settings'], defaults: false, version: 'v2' }),
    });
    const rows = await screen.findAllByTestId('fee-rule-set-row');
    expect(rows[0]!.dataset.id).toBe('se-2026');
    await user.click(within(rows[0]!).getByTestId('fee-rule-set-remove'));
    const dialog = await screen.findByTestId('fee-rules-remove-dialog');
    expect(dialog.textContent).toContain('Ta bort ”Maxtaxa 2026” (januari 2026 – tills vidare)?');
    expect(dialog.textContent).toContain('”Maxtaxa 2025” gäller då åter tills vidare.');
    // Nothing is removed until it is confirmed: the focus starts on Cancel.
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByTestId('cancel')));
    expect(t.callsOf('fee.rulesUpdate')).toHaveLength(0);
    await user.click(within(dialog).getByTestId('fee-rules-remove-confirm'));
    await waitFor(() => expect(screen.queryByTestId('fee-rules-remove-dialog')).toBeNull());
    const input = t.callsOf('fee.rulesUpdate')[0]!.input as MethodInput<'fee.rulesUpdate'>;
    expect(input.se).toEqual([{ ...view.se[0]!, validTo: null }]);
    expect(screen.getByTestId('fee-rules-notice').textContent).toBe('Regeluppsättningen ”Maxtaxa 2026” är borttagen.');
    const left = screen.getAllByTestId('fee-rule-set-row');
    expect(left).toHaveLength(1);
    expect(within(left[0]!).queryByTestId('fee-rule-set-remove')).toBeNull();
    expect(within(left[0]!).getByTestId('fee-rule-set-edit')).toBeTruthy();
  });
});
