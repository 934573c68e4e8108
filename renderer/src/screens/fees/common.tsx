/** Building blocks the fee screens share: a run's state and kind, amounts in the municipality's currency, a warning's words. */
import { useCallback } from 'react';
import type { ExplainWarningCode, FeeRunKind, FeeRunState } from '../../lib/domain';
import { currencyOf, formatMoney } from '../../lib/format';
import { RUN_STATE_TONE } from '../../lib/fees';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { ToneTag } from '../care/Badges';

/** Formats öre in the reader's language and the municipality's currency. */
export function useMoney(): (ore: number) => string {
  const { lang } = useT();
  const { country } = useSession();
  const currency = currencyOf(country);
  return useCallback((ore: number) => formatMoney(ore, lang, currency), [lang, currency]);
}

/** An amount, right-aligned figures that never break across lines. */
export function Money({ ore, testId, strong }: { ore: number; testId?: string; strong?: boolean }) {
  const money = useMoney();
  return (
    <span className="k-num k-nowrap" data-testid={testId} data-ore={ore} style={strong ? { fontWeight: 700 } : undefined}>
      {money(ore)}
    </span>
  );
}

export function RunStateTag({ state, testId = 'fee-run-state' }: { state: FeeRunState; testId?: string }) {
  const { t } = useT();
  return (
    <span data-state={state} data-testid={testId}>
      <ToneTag tone={RUN_STATE_TONE[state]}>{t(`fees.state.${state}`)}</ToneTag>
    </span>
  );
}

export function RunKindTag({ kind }: { kind: FeeRunKind }) {
  const { t } = useT();
  return <ToneTag tone={kind === 'credit_note' ? 'info' : 'neutral'}>{t(`fees.kind.${kind}`)}</ToneTag>;
}

/** A warning's words (the core's own message is English and for logs). */
export function useWarningText(): (code: ExplainWarningCode) => string {
  const { t } = useT();
  return useCallback((code: ExplainWarningCode) => t(`fees.warning.${code}`), [t]);
}
