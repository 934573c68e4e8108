/**
 * "Next month's fee" on a child's card (fee administrators only: fee.read): fee.explain for the month after
 * today, the amount per place and household with who receives the invoice, what the fee administrator
 * should look at (no household, no fee-bearing place, no income declared …), and each line's calculation
 * behind a toggle (the same explanation as on a fee run's line). A child in shared residence also gets its
 * declared split between the households (SharedSplit), changed there by fee.write.
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Empty, ErrorState, Loading, Section } from '../../components/common';
import { useQuery } from '../../lib/api';
import type { CareCard } from '../../lib/care';
import type { ExplainWarningCode, FeeExplain } from '../../lib/domain';
import { NOTHING_TO_CHARGE, sumAmounts, warningTone } from '../../lib/fees';
import { formatBasisPoints, formatMonth, nextMonthOf } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { ToneTag } from '../care/Badges';
import { ExplanationView } from './Explanation';
import { Money, useWarningText } from './common';
import { SharedSplitBlock } from './SharedSplit';
import { FeeReductionsBlock } from './Reductions';
import './fees.css';

type Line = FeeExplain['lines'][number];

/** Names of the persons the card knows (the child, its guardians, its households' members). */
export function namesFromCare(childId: string, childName: string, care: CareCard | null): (personId: string) => string | null {
  const names = new Map<string, string>([[childId, childName]]);
  for (const g of care?.guardianships ?? []) names.set(g.guardianId, g.name);
  for (const h of care?.households ?? []) for (const m of h.members) names.set(m.person.id, m.person.name);
  for (const m of care?.householdHistory ?? []) if (!names.has(m.person.id)) names.set(m.person.id, m.person.name);
  return (id) => names.get(id) ?? null;
}

export function NextMonthFeeSection({ personId, personName, care, revision }: { personId: string; personName: string; care: CareCard | null; revision: number }) {
  const { t, lang } = useT();
  const { today } = useSession();
  const month = nextMonthOf(today);
  const q = useQuery('fee.explain', { personId, month });
  // The card changed (an income recorded, a place changed): ask again.
  const reload = q.reload;
  const seen = useRef(revision);
  useEffect(() => {
    if (seen.current === revision) return;
    seen.current = revision;
    reload();
  }, [revision, reload]);
  const nameOf = useMemo(() => namesFromCare(personId, personName, care), [personId, personName, care]);
  const warningText = useWarningText();
  const data = q.data;
  return (
    <Section title={t('fees.card.title', { month: formatMonth(month, lang) })} id="sec-fee" testId="fee-section">
      {q.error ? (
        q.error.code === 'unavailable' ? (
          <Empty>{t('fees.card.unavailable')}</Empty>
        ) : (
          <ErrorState error={q.error} onRetry={q.reload} />
        )
      ) : !data ? (
        <div style={{ minHeight: 56 }}>
          <Loading />
        </div>
      ) : (
        <Stack gap="sm" aria-busy={q.loading} data-testid="fee-card" data-month={data.month}>
          {data.warnings.length > 0 && (
            <ul className="k-fee-warnings" aria-label={t('fees.card.warnings')} data-testid="fee-card-warnings">
              {data.warnings.map((w) => (
                <li key={w.code} data-code={w.code} data-testid="fee-card-warning">
                  <ToneTag tone={warningTone(w.code)}>{t('fees.card.warningMark')}</ToneTag> <span>{warningText(w.code)}</span>
                </li>
              ))}
            </ul>
          )}
          {data.lines.length === 0 ? (
            <Empty>{nothingText(data.warnings.map((w) => w.code), t)}</Empty>
          ) : (
            <>
              <Group gap="sm" align="baseline">
                <Text fw={600}>{t('fees.card.total')}</Text>
                <span className="k-fee-amount" data-testid="fee-card-total">
                  <Money ore={sumAmounts(data.lines)} />
                </span>
              </Group>
              {data.lines.map((l, i) => (
                <FeeLineBox key={`${l.placementId}|${l.householdId}`} line={l} index={i} lines={data.lines} care={care} nameOf={nameOf} childId={personId} />
              ))}
            </>
          )}
          <SharedSplitBlock childId={personId} care={care} lines={data.lines} nameOf={nameOf} revision={revision} onSaved={reload} />
        </Stack>
      )}
      <FeeReductionsBlock childId={personId} revision={revision} onChanged={reload} />
    </Section>
  );
}

/** Why there is nothing to charge, said once: the first warning that explains it, else that the month is free. */
function nothingText(codes: readonly ExplainWarningCode[], t: (k: TKey) => string): string {
  return NOTHING_TO_CHARGE.some((c) => codes.includes(c)) ? t('fees.card.nothingWarned') : t('fees.card.nothing');
}

function FeeLineBox({ line, index, lines, care, nameOf, childId }: { line: Line; index: number; lines: readonly Line[]; care: CareCard | null; nameOf: (id: string) => string | null; childId: string }) {
  const { t, lang } = useT();
  const [open, setOpen] = useState(false);
  const placement = care?.placements.find((p) => p.id === line.placementId) ?? null;
  const households = care?.households ?? [];
  const hIndex = households.findIndex((h) => h.id === line.householdId);
  const manyHouseholds = new Set(lines.map((l) => l.householdId)).size > 1;
  const detailId = `fee-line-explain-${index}`;
  return (
    <div className="k-fee-card-line" data-testid="fee-card-line" data-amount={line.amount}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} component="h3" size="sm" m={0}>
            {placement ? t('fees.card.place', { unit: placement.unitName, form: t(`schoolForm.${placement.schoolForm}`) }) : t('fees.card.placeUnknown')}
          </Text>
          {manyHouseholds && (
            <Text size="sm" c="dimmed">
              {hIndex >= 0 ? t('fees.card.household', { n: hIndex + 1 }) : t('fees.card.otherHousehold')}
              {line.shareBp !== 10_000 && ` · ${t('fees.card.share', { share: formatBasisPoints(line.shareBp, lang) })}`}
            </Text>
          )}
        </div>
        <span className="k-fee-amount" data-testid="fee-card-line-amount">
          <Money ore={line.amount} />
        </span>
      </Group>
      <div style={{ marginTop: 6 }}>
        <Text size="sm" fw={600} component="div">
          {t('fees.card.recipients')}
        </Text>
        {line.recipients.length === 0 ? (
          <Text size="sm">{t('fees.lines.noRecipient')}</Text>
        ) : (
          <ul style={{ margin: '2px 0 0', paddingLeft: 20, fontSize: 14 }} data-testid="fee-card-recipients">
            {line.recipients.map((r, i) => (
              <li key={r.personId ?? `none-${i}`}>
                {r.personId ? (nameOf(r.personId) ?? t('fees.card.recipientUnknown')) : t('fees.lines.noRecipient')}
                {': '}
                <Money ore={r.amount} />
                {r.shareBp !== 10_000 && ` (${formatBasisPoints(r.shareBp, lang)})`}
              </li>
            ))}
          </ul>
        )}
      </div>
      <Button
        mt={8}
        size="compact-sm"
        variant="subtle"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={open ? detailId : undefined}
        data-testid="fee-card-explain-toggle"
      >
        {t(open ? 'fees.card.hideExplanation' : 'fees.card.showExplanation')}
      </Button>
      {open && (
        <div id={detailId} style={{ marginTop: 8 }}>
          <ExplanationView explanation={line.explanation} nameOf={nameOf} childId={childId} headingLevel={4} testId="fee-card-explanation" />
        </div>
      )}
    </div>
  );
}
