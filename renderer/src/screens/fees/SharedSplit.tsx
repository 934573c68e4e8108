/**
 * The declared split of a shared-residence child's fee, in the fee section of the child's card: shown when
 * the child lives in two or more households now (fee.sharedSplitGet). Each household (named as the card
 * names it, with its adults) with its declared part or "not declared"; whether the municipality's setting
 * uses the declared split (under another setting it is kept but not used); and for fee.write "Change split":
 * a dialog with one percentage per household (two decimals; an empty last field takes the rest), the sum
 * live under the fields, saved by fee.sharedSplit with the core's refusals at the field they concern.
 */
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState } from '../../components/common';
import { FormDialog, useForm } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import type { CareCard } from '../../lib/care';
import type { FeeExplain } from '../../lib/domain';
import { SPLIT_TOTAL_BP, mapSplitError, readSplit, splitValues, toSplitInput, validateSplit, type SplitValues } from '../../lib/fees';
import { formatBasisPoints } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';

/** One household the child lives in now, as the block and the dialog name it. */
interface SplitHousehold {
  householdId: string;
  /** "Hushåll 1": the household's number on the card. */
  title: string;
  /** Its adults' names ("" when the card knows none). */
  names: string;
  feeShareBp: number | null;
}

interface Props {
  childId: string;
  care: CareCard | null;
  /** The fee explanation's lines (their adults name a household the card does not list). */
  lines: FeeExplain['lines'];
  nameOf: (personId: string) => string | null;
  /** The card changed (a household member ended, …): ask again. */
  revision: number;
  /** A split was saved: the fee changes with it. */
  onSaved: () => void;
}

export function SharedSplitBlock({ childId, care, lines, nameOf, revision, onSaved }: Props) {
  const { t, lang } = useT();
  const session = useSession();
  const canWrite = session.can('fee.write');
  const q = useQuery('fee.sharedSplitGet', { childId });
  const shared = (q.data?.shares.length ?? 0) >= 2;
  const rules = useQuery('fee.rules', shared ? {} : null);
  const [editing, setEditing] = useState(false);
  const [announce, setAnnounce] = useState('');
  const reload = q.reload;
  const seen = useRef(revision);
  useEffect(() => {
    if (seen.current === revision) return;
    seen.current = revision;
    reload();
  }, [revision, reload]);

  const households = useMemo<SplitHousehold[]>(() => {
    const cardHouseholds = care?.households ?? [];
    const shares = [...(q.data?.shares ?? [])];
    const indexOf = (id: string) => {
      const i = cardHouseholds.findIndex((h) => h.id === id);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    shares.sort((a, b) => indexOf(a.householdId) - indexOf(b.householdId));
    return shares.map((s, pos) => {
      const i = cardHouseholds.findIndex((h) => h.id === s.householdId);
      let names: string[] = [];
      if (i >= 0) names = cardHouseholds[i]!.members.filter((m) => m.role === 'adult' && m.person.id !== childId).map((m) => m.person.name);
      if (names.length === 0) {
        const adults = lines.find((l) => l.householdId === s.householdId)?.explanation.adults ?? [];
        names = adults.map((id) => nameOf(id)).filter((n): n is string => n !== null);
      }
      return { householdId: s.householdId, title: t('fees.card.household', { n: (i >= 0 ? i : pos) + 1 }), names: names.join('; '), feeShareBp: s.feeShareBp };
    });
  }, [q.data, care, lines, nameOf, childId, t]);

  // A person who is nobody's child in a household has no split to show (not an error worth a word here).
  if (q.error) return q.error.code === 'not_found' || q.error.code === 'forbidden' ? null : <ErrorState error={q.error} onRetry={q.reload} />;
  if (!shared) return null;
  const mode = rules.data?.settings.sharedResidence ?? null;
  const openerId = `fee-split-edit-${childId}`;
  return (
    <div className="k-fee-card-line" data-testid="fee-split" aria-labelledby="fee-split-title" role="group" aria-busy={q.loading}>
      <Group justify="space-between" align="center" wrap="nowrap" gap="md" mb={6}>
        <Text fw={600} component="h3" size="sm" m={0} id="fee-split-title">
          {t('fees.split.title')}
        </Text>
        {canWrite && (
          <Button id={openerId} size="compact-sm" variant="default" onClick={() => setEditing(true)} data-testid="fee-split-edit">
            {t('fees.split.edit')}
          </Button>
        )}
      </Group>
      <ul aria-label={t('fees.split.list')} style={{ margin: 0, padding: 0, listStyle: 'none' }} data-testid="fee-split-list">
        {households.map((h) => (
          <li
            key={h.householdId}
            data-testid="fee-split-household"
            data-household-id={h.householdId}
            data-bp={h.feeShareBp ?? ''}
            style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 12, padding: '3px 0', borderBottom: '1px solid #eceff2', fontSize: 14 }}
          >
            <span style={{ minWidth: 0 }}>
              <span style={{ fontWeight: 600 }}>{h.title}</span>
              {h.names && <span style={{ color: 'var(--k-text-soft)' }}>{` · ${h.names}`}</span>}
            </span>
            <span className="k-num k-nowrap" data-testid="fee-split-share" style={h.feeShareBp === null ? { fontStyle: 'italic', color: 'var(--k-text-soft)' } : { fontWeight: 700 }}>
              {h.feeShareBp === null ? t('fees.split.notDeclared') : formatBasisPoints(h.feeShareBp, lang)}
            </span>
          </li>
        ))}
      </ul>
      {mode && (
        <Text size="sm" c="dimmed" mt={6} data-testid="fee-split-setting" data-used={mode === 'declared_split' ? 'true' : 'false'}>
          {mode === 'declared_split' ? t('fees.split.used') : t('fees.split.notUsed', { mode: t(`fees.sharedMode.${mode}`) })}
        </Text>
      )}
      <div role="status" className="k-search-label">
        {announce}
      </div>
      {editing && (
        <SplitDialog
          childId={childId}
          households={households}
          returnFocusId={openerId}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setAnnounce(t('fees.split.saved'));
            q.reload();
            onSaved();
          }}
        />
      )}
    </div>
  );
}

function SplitDialog({ childId, households, returnFocusId, onClose, onSaved }: { childId: string; households: readonly SplitHousehold[]; returnFocusId: string; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const pct = (bp: number) => formatBasisPoints(bp, lang);
  const f = useForm<SplitValues>(
    splitValues(
      households.map((h) => h.feeShareBp),
      lang,
    ),
    { validate: (v) => validateSplit(v, pct), mapError: (e) => mapSplitError(e, pct) },
  );
  const { v } = f;
  const reading = readSplit(v);
  const last = households.length - 1;
  const sharesError = f.err('shares');
  const setPart = (i: number, text: string) => {
    f.set(
      'parts',
      v.parts.map((p, j) => (j === i ? text : p)),
    );
    f.dropServerErrors(`parts.${i}`, 'shares');
  };
  const save = async () => {
    const r = await f.submit(() =>
      api.tryCall(
        'fee.sharedSplit',
        toSplitInput(
          childId,
          households.map((h) => h.householdId),
          v,
        ),
      ),
    );
    if (r) onSaved();
  };
  const total = reading.total;
  const sumText =
    total === null
      ? t('fees.split.sumUnknown')
      : total === SPLIT_TOTAL_BP
        ? t('fees.split.sum', { total: pct(total) })
        : total < SPLIT_TOTAL_BP
          ? t('fees.split.sumLeft', { total: pct(total), left: pct(SPLIT_TOTAL_BP - total) })
          : t('fees.split.sumOver', { total: pct(total), over: pct(total - SPLIT_TOTAL_BP) });
  return (
    <FormDialog form={f} title={t('fees.split.dialogTitle')} testId="fee-split-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('fees.split.submit')} returnFocusId={returnFocusId} submitTestId="fee-split-submit">
      <Stack gap="sm">
        <Text size="sm">{t('fees.split.dialogText')}</Text>
        <div role="group" aria-labelledby="fee-split-dialog-legend" aria-describedby={sharesError ? 'fee-split-sum fee-split-sum-error' : 'fee-split-sum'}>
          <span id="fee-split-dialog-legend" className="k-search-label">
            {t('fees.split.list')}
          </span>
          <Stack gap="xs">
            {households.map((h, i) => {
              const own = f.field(`parts.${i}`);
              const restHint = i === last && reading.remainder !== null && reading.parsed[i] === null ? t('fees.split.restHint', { rest: pct(reading.remainder) }) : null;
              const description = [h.names, restHint].filter(Boolean).join(' · ');
              return (
                <TextInput
                  key={h.householdId}
                  label={t('fees.split.partLabel', { household: h.title })}
                  description={description || undefined}
                  value={v.parts[i] ?? ''}
                  onChange={(e) => setPart(i, e.currentTarget.value)}
                  placeholder={i === last && reading.remainder !== null ? pct(reading.remainder).replace(/[\s\u00a0\u202f]*%$/, '') : undefined}
                  required={i !== last}
                  autoFocus={i === 0}
                  data-autofocus={i === 0 ? true : undefined}
                  inputMode="decimal"
                  autoComplete="off"
                  w={260}
                  rightSection={
                    <span aria-hidden="true" style={{ fontSize: 13, color: 'var(--k-text-soft)' }}>
                      %
                    </span>
                  }
                  rightSectionWidth={32}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  name={own.name}
                  error={own.error ?? (sharesError ? true : undefined)}
                  data-household-id={h.householdId}
                  data-testid="fee-split-part"
                />
              );
            })}
          </Stack>
        </div>
        <div>
          <Text size="sm" fw={600} id="fee-split-sum" aria-live="polite" data-testid="fee-split-sum" data-total={total ?? ''}>
            {sumText}
          </Text>
          {sharesError && (
            <Text size="sm" id="fee-split-sum-error" c="var(--mantine-color-error)" data-testid="fee-split-sum-error">
              {sharesError}
            </Text>
          )}
        </div>
      </Stack>
    </FormDialog>
  );
}
