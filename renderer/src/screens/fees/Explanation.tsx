/**
 * A fee line's explanation in words, the same on the child's card (next month's fee) and on a fee run's
 * line: what a correction corrects, what the fee is based on (rule set, income, adults, rank), how it is
 * computed (percentage, ceiling, floor, base, cap, local rules, days, shared residence, split) and the
 * result. A Norwegian line (SFO/AKS, barnehage) says its own basis (yearly income and G, the place, the
 * reductions granted) and each step with the fee after it, in NOK. Every figure comes from the
 * explanation the core stored with the line; nothing is recomputed.
 */
import type { FeeExplanation } from '../../lib/domain';
import { explanationGroups, explainText, isNoLineExplanation } from '../../lib/fees';
import { currencyOf } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import './fees.css';

export function ExplanationView({
  explanation,
  nameOf,
  childId,
  headingLevel = 3,
  compact = false,
  testId = 'fee-explanation',
}: {
  explanation: FeeExplanation;
  nameOf?: (personId: string) => string | null;
  childId?: string;
  headingLevel?: 3 | 4;
  /** A narrow panel: the labels take less room. */
  compact?: boolean;
  testId?: string;
}) {
  const { t, lang } = useT();
  const { country } = useSession();
  const groups = explanationGroups(explanation, { lang, currency: currencyOf(country), nameOf: nameOf ?? (() => null), childId });
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className={compact ? 'k-fee-explanation k-fee-explanation-compact' : 'k-fee-explanation'} data-testid={testId} data-country={isNoLineExplanation(explanation) ? 'NO' : 'SE'}>
      {groups.map((g) => (
        <div key={g.id} className="k-fee-explain-group" data-group={g.id}>
          <H className="k-fee-explain-title">{t(g.title)}</H>
          <dl className="k-fee-explain-rows">
            {g.rows.map((r) => (
              <div key={r.id} className={r.strong ? 'k-fee-explain-row k-fee-explain-strong' : 'k-fee-explain-row'} data-row={r.id}>
                <dt>{explainText(r.label, t)}</dt>
                <dd>
                  <span className="k-fee-explain-value">{explainText(r.value, t)}</span>
                  {r.note && <span className="k-fee-explain-note">{explainText(r.note, t)}</span>}
                  {r.items &&
                    r.items.length > 0 &&
                    (r.unordered ? (
                      <ul className="k-fee-explain-items">
                        {r.items.map((it, i) => (
                          <li key={i}>{explainText(it, t)}</li>
                        ))}
                      </ul>
                    ) : (
                      <ol className="k-fee-explain-items">
                        {r.items.map((it, i) => (
                          <li key={i}>{explainText(it, t)}</li>
                        ))}
                      </ol>
                    ))}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}
