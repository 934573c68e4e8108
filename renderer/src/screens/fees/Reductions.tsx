/**
 * A child's Norwegian fee reductions, in the fee section of the child's card (fee.read; a Norwegian
 * municipality only): the national rule granted for a school year, a documented illness of four weeks or
 * more (its days are not charged), a special-needs place made free (fee.reductions). Each with its kind,
 * first and last day (or "until further notice"), note and who entered it. For fee.write "Add reduction"
 * (Alt+R, or the button): a dialog with the kind, the dates and a note, saved by fee.reductionAdd with the
 * core's refusals at the field they concern (an illness shorter than four weeks at its last day, an
 * overlap with a reduction of the same kind at the first day). Per row "End" (a new last day, the same
 * rules) and "Remove" (one recorded by mistake), each asked first.
 */
import { Button, Group, NativeSelect, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../../shared/api/contract';
import type { FeeReductionKind } from '../../../../shared/api/fees';
import type { ApiError } from '../../../../shared/api/transport';
import { Empty, ErrorState, Loading } from '../../components/common';
import { DateField } from '../../components/DateField';
import { IconPlus } from '../../components/icons';
import { DataTable, FormDialog, useForm, type Column, type FieldErrors, type MappedError } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import { mapFeeError, type Msg } from '../../lib/fees';
import { formatDate, formatDateTime, isValidIsoDate } from '../../lib/format';
import { useT, type TKey, type TVars } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import { KeyHint } from '../care/Badges';

type Reduction = MethodOutput<'fee.reductions'>['items'][number];

/** The kinds, in the order the dialog offers them (the contract's FEE_REDUCTION_KINDS; shared/api builds zod at load). */
export const REDUCTION_KINDS = ['national_rule', 'illness', 'special_needs'] as const;
// Compile-time proof that the list is exactly the contract's set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsMatch: Same<(typeof REDUCTION_KINDS)[number], FeeReductionKind> = true;
void kindsMatch;

export const REDUCTION_NOTE_MAX = 500;

/** The last day of the school year (1 August – 31 July) that holds `date`, as the core defaults a national rule. */
export function schoolYearEnd(date: string): string {
  const y = Number(date.slice(0, 4));
  return `${Number(date.slice(5, 7)) >= 8 ? y + 1 : y}-07-31`;
}

export interface ReductionValues {
  kind: FeeReductionKind | '';
  validFrom: string;
  /** Empty: the core's default (a national rule: the school year's end; special needs: until further notice). */
  validTo: string;
  note: string;
}

const EMPTY: ReductionValues = { kind: '', validFrom: '', validTo: '', note: '' };

/** The form's own checks: a kind, a first day, dates that are dates, an illness with its last day. The rules on the span are the core's. */
export function validateReduction(v: ReductionValues): FieldErrors {
  const e: FieldErrors = {};
  if (!v.kind) e.kind = { key: 'validation.required' };
  if (!v.validFrom.trim()) e.validFrom = { key: 'validation.required' };
  else if (!isValidIsoDate(v.validFrom)) e.validFrom = { key: 'validation.date_invalid' };
  if (v.validTo.trim() && !isValidIsoDate(v.validTo)) e.validTo = { key: 'validation.date_invalid' };
  else if (!v.validTo.trim() && v.kind === 'illness') e.validTo = { key: 'fees.reduction.illnessToRequired' };
  if (v.note.trim().length > REDUCTION_NOTE_MAX) e.note = { key: 'validation.too_long' };
  return e;
}

export function toReductionInput(childId: string, v: ReductionValues): MethodInput<'fee.reductionAdd'> {
  const note = v.note.trim();
  return {
    childId,
    kind: v.kind as FeeReductionKind,
    validFrom: v.validFrom,
    ...(v.validTo.trim() ? { validTo: v.validTo } : {}),
    ...(note ? { note } : {}),
  };
}

/** A span as the reader says it: "1.9.2026–30.9.2026", or "from 1.9.2026 until further notice". */
function periodText(from: string, to: string | null, t: (k: TKey, v?: TVars) => string, lang: Parameters<typeof formatDate>[1]): string {
  return to ? t('fees.reduction.period', { from: formatDate(from, lang), to: formatDate(to, lang) }) : t('fees.reduction.periodOpen', { from: formatDate(from, lang) });
}

/**
 * A refusal of fee.reductionAdd / fee.reductionEnd → where the form shows it: a short illness at the last
 * day (with its days), an overlap at the field the form has for it (the first day when adding, the last
 * when ending) with the other reduction's dates; the rest as the other fee forms map it (an end before the
 * start by its rule, a missing child or a Swedish municipality at the top).
 */
export function mapReductionError(e: ApiError, fields: readonly string[], period: (from: string, to: string | null) => string): MappedError {
  const shown = (f: string) => (fields.includes(f) ? f : fields.includes('validTo') ? 'validTo' : null);
  if (e.code === 'rule_violation' && (e.rule === 'fee_illness_short' || e.rule === 'fee_reduction_overlap')) {
    const d = e.details ?? {};
    const msg: Msg =
      e.rule === 'fee_illness_short'
        ? { key: 'fees.rule.fee_illness_short', vars: { days: d.days ?? '' } }
        : { key: 'fees.rule.fee_reduction_overlap', vars: { period: typeof d.from === 'string' ? period(d.from, typeof d.to === 'string' && d.to ? d.to : null) : '' } };
    const f = shown(e.field ?? (e.rule === 'fee_illness_short' ? 'validTo' : 'validFrom'));
    return f ? { fields: { [f]: msg }, top: [] } : { fields: {}, top: [msg] };
  }
  return mapFeeError(e, (path) => (fields.includes(path) ? path : null));
}

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

interface Props {
  childId: string;
  /** The card changed: ask again. */
  revision: number;
  /** A reduction was added, ended or removed: the fee changes with it. */
  onChanged: () => void;
}

/** Shown only in a Norwegian municipality (the reductions are Norwegian rules; a Swedish one refuses them). */
export function FeeReductionsBlock(props: Props) {
  const session = useSession();
  if (session.country !== 'NO') return null;
  return <Reductions {...props} />;
}

function Reductions({ childId, revision, onChanged }: Props) {
  const { t, lang } = useT();
  const session = useSession();
  const auth = useAuth();
  const canWrite = session.can('fee.write');
  const q = useQuery('fee.reductions', { childId });
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<Reduction | null>(null);
  const [removing, setRemoving] = useState<Reduction | null>(null);
  const [announce, setAnnounce] = useState('');
  const reload = q.reload;
  const seen = useRef(revision);
  useEffect(() => {
    if (seen.current === revision) return;
    seen.current = revision;
    reload();
  }, [revision, reload]);
  const openerId = `fee-reduction-add-${childId}`;
  const period = useMemo(() => (from: string, to: string | null) => periodText(from, to, t, lang), [t, lang]);

  // Alt+R: "Add reduction" on the card (the block is on the card of one child).
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyR' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      e.preventDefault();
      setAdding(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite, auth.status]);

  const done = (msg: TKey) => {
    setAdding(false);
    setEnding(null);
    setRemoving(null);
    setAnnounce(t(msg));
    reload();
    onChanged();
  };

  const columns = useMemo<Column<Reduction>[]>(
    () => [
      { id: 'kind', header: t('fees.reduction.col.kind'), cell: (r) => <span data-testid="fee-reduction-kind">{t(`fees.reduction.kind.${r.kind}`)}</span>, text: (r) => t(`fees.reduction.kind.${r.kind}`) },
      { id: 'from', header: t('fees.reduction.col.from'), kind: 'date', cell: (r) => <span className="k-num">{formatDate(r.validFrom, lang)}</span>, text: (r) => r.validFrom },
      {
        id: 'to',
        header: t('fees.reduction.col.to'),
        kind: 'date',
        cell: (r) => (r.validTo ? <span className="k-num">{formatDate(r.validTo, lang)}</span> : <span style={{ fontStyle: 'italic' }}>{t('fees.reduction.open')}</span>),
        text: (r) => r.validTo ?? '9999-12-31',
      },
      { id: 'note', header: t('fees.reduction.col.note'), cell: (r) => r.note ?? '', text: (r) => r.note, sortable: false },
      {
        id: 'entered',
        header: t('fees.reduction.col.entered'),
        cell: (r) => (
          <span>
            {r.createdByName ?? ''}
            <span className="k-sub" style={{ display: 'block' }}>
              {formatDateTime(r.createdAt, lang)}
            </span>
          </span>
        ),
        sortable: false,
      },
      ...(canWrite
        ? [
            {
              id: 'actions',
              header: t('care.actions'),
              sortable: false,
              noExport: true,
              cell: (r: Reduction) => {
                const kind = t(`fees.reduction.kind.${r.kind}`);
                // Inside a sentence: "End illness from 1.12.2026".
                const named = { kind: kind.charAt(0).toLocaleLowerCase(lang) + kind.slice(1), from: formatDate(r.validFrom, lang) };
                return (
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-sm" variant="default" onClick={() => setEnding(r)} aria-label={t('fees.reduction.endOf', named)} data-testid="fee-reduction-end">
                      {t('fees.reduction.end')}
                    </Button>
                    <Button size="compact-sm" variant="default" onClick={() => setRemoving(r)} aria-label={t('fees.reduction.removeOf', named)} data-testid="fee-reduction-remove">
                      {t('fees.reduction.remove')}
                    </Button>
                  </Group>
                );
              },
            } satisfies Column<Reduction>,
          ]
        : []),
    ],
    [t, lang, canWrite],
  );

  // A person the core does not know, or a user without the grant: nothing to show here.
  if (q.error && (q.error.code === 'not_found' || q.error.code === 'forbidden')) return null;
  return (
    <div className="k-fee-card-line" style={{ marginTop: 12 }} data-testid="fee-reductions" role="group" aria-labelledby="fee-reductions-title" aria-busy={q.loading}>
      <Group justify="space-between" align="center" wrap="nowrap" gap="md" mb={6}>
        <Text fw={600} component="h3" size="sm" m={0} id="fee-reductions-title">
          {t('fees.reduction.title')}
        </Text>
        {canWrite && (
          <Tooltip label={`${ALT}+R`} withArrow>
            <Button
              id={openerId}
              size="compact-sm"
              variant="default"
              leftSection={<IconPlus size={14} />}
              rightSection={<KeyHint keys={[ALT, 'R']} />}
              onClick={() => setAdding(true)}
              aria-keyshortcuts="Alt+R"
              // The name without the key hint (the hint is for the eye; aria-keyshortcuts says it).
              aria-label={t('fees.reduction.add')}
              data-testid="fee-reduction-add"
            >
              {t('fees.reduction.add')}
            </Button>
          </Tooltip>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb={6}>
        {t('fees.reduction.intro')}
      </Text>
      <div role="status" className="k-search-label">
        {announce}
      </div>
      {q.error ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !q.data ? (
        <Loading />
      ) : q.data.items.length === 0 ? (
        <Empty>{t('fees.reduction.none')}</Empty>
      ) : (
        <DataTable<Reduction>
          id="fee-reductions"
          caption={t('fees.reduction.caption')}
          columns={columns}
          rows={q.data.items}
          rowKey={(r) => r.id}
          rowTestId="fee-reduction-row"
          rowProps={(r) => ({ 'data-kind': r.kind, 'data-from': r.validFrom, 'data-to': r.validTo ?? '' })}
          testId="fee-reduction-table"
          exportable={false}
          dense
        />
      )}
      {adding && <AddDialog childId={childId} returnFocusId={openerId} period={period} onClose={() => setAdding(false)} onSaved={() => done('fees.reduction.saved')} />}
      {ending && <EndDialog row={ending} returnFocusId={openerId} period={period} onClose={() => setEnding(null)} onSaved={() => done('fees.reduction.ended')} onStale={reload} />}
      {removing && <RemoveDialog row={removing} returnFocusId={openerId} period={period} onClose={() => setRemoving(null)} onSaved={() => done('fees.reduction.removed')} onStale={reload} />}
    </div>
  );
}

type Period = (from: string, to: string | null) => string;

function AddDialog({ childId, returnFocusId, period, onClose, onSaved }: { childId: string; returnFocusId: string; period: Period; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm<ReductionValues>(EMPTY, { validate: validateReduction, mapError: (e) => mapReductionError(e, ['kind', 'validFrom', 'validTo', 'note'], period) });
  const { v } = f;
  const save = async () => {
    const r = await f.submit(() => api.tryCall('fee.reductionAdd', toReductionInput(childId, v)));
    if (r) onSaved();
  };
  const toHint =
    v.kind === 'national_rule'
      ? isValidIsoDate(v.validFrom)
        ? t('fees.reduction.validToHint.national_rule', { date: formatDate(schoolYearEnd(v.validFrom), lang) })
        : t('fees.reduction.validToHint.national_ruleNoDate')
      : v.kind
        ? t(`fees.reduction.validToHint.${v.kind}`)
        : undefined;
  return (
    <FormDialog form={f} title={t('fees.reduction.dialogTitle')} testId="fee-reduction-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('fees.reduction.submit')} returnFocusId={returnFocusId} submitTestId="fee-reduction-submit">
      <Stack gap="sm">
        <NativeSelect
          label={t('fees.reduction.kindLabel')}
          description={v.kind ? t(`fees.reduction.kindHint.${v.kind}`) : undefined}
          value={v.kind}
          onChange={(e) => f.set('kind', e.currentTarget.value as ReductionValues['kind'])}
          data={[{ value: '', label: t('fees.reduction.kindChoose'), disabled: true }, ...REDUCTION_KINDS.map((k) => ({ value: k, label: t(`fees.reduction.kind.${k}`) }))]}
          required
          autoFocus
          data-autofocus
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          {...f.field('kind')}
          data-testid="fee-reduction-kind-select"
          w={360}
        />
        <div className="k-form-grid">
          <DateField label={t('fees.reduction.validFrom')} value={v.validFrom} onChange={(x) => f.set('validFrom', x)} required {...f.field('validFrom')} testId="fee-reduction-from" />
          <DateField label={t('fees.reduction.validTo')} value={v.validTo} onChange={(x) => f.set('validTo', x)} required={v.kind === 'illness'} description={toHint} {...f.field('validTo')} testId="fee-reduction-to" />
        </div>
        <Textarea
          label={t('fees.reduction.note')}
          description={t('fees.reduction.noteHint')}
          value={v.note}
          onChange={(e) => f.set('note', e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={5}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          {...f.field('note')}
          data-testid="fee-reduction-note"
        />
      </Stack>
    </FormDialog>
  );
}

function EndDialog({ row, returnFocusId, period, onClose, onSaved, onStale }: { row: Reduction; returnFocusId: string; period: Period; onClose: () => void; onSaved: () => void; onStale: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm<{ validTo: string }>(
    { validTo: row.validTo ?? '' },
    {
      validate: (v): FieldErrors => (!v.validTo.trim() ? { validTo: { key: 'validation.required' } } : isValidIsoDate(v.validTo) ? {} : { validTo: { key: 'validation.date_invalid' } }),
      mapError: (e) => mapReductionError(e, ['validTo'], period),
    },
  );
  const save = async () => {
    const r = await f.submit(() => api.tryCall('fee.reductionEnd', { id: row.id, version: row.version, validTo: f.v.validTo }), {
      onError: (e) => {
        // Someone changed it meanwhile: the list shows the change; the form says so at the top.
        if (e.code === 'conflict') onStale();
        return false;
      },
    });
    if (r) onSaved();
  };
  const kind = t(`fees.reduction.kind.${row.kind}`);
  return (
    <FormDialog form={f} title={t('fees.reduction.endTitle')} testId="fee-reduction-end-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('fees.reduction.endSubmit')} returnFocusId={returnFocusId} submitTestId="fee-reduction-end-submit" centered>
      <Stack gap="sm">
        <Text size="sm">{t('fees.reduction.endText', { kind, from: formatDate(row.validFrom, lang), period: period(row.validFrom, row.validTo) })}</Text>
        <DateField label={t('fees.reduction.validTo')} value={f.v.validTo} onChange={(x) => f.set('validTo', x)} required autoFocus {...f.field('validTo')} testId="fee-reduction-end-to" />
      </Stack>
    </FormDialog>
  );
}

function RemoveDialog({ row, returnFocusId, period, onClose, onSaved, onStale }: { row: Reduction; returnFocusId: string; period: Period; onClose: () => void; onSaved: () => void; onStale: () => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => mapReductionError(e, [], period) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('fee.reductionRemove', { id: row.id, version: row.version }), {
      onError: (e) => {
        if (e.code === 'conflict' || e.code === 'not_found') onStale();
        return false;
      },
    });
    if (r) onSaved();
  };
  return (
    <FormDialog
      form={f}
      title={t('fees.reduction.removeTitle')}
      testId="fee-reduction-remove-dialog"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('fees.reduction.removeSubmit')}
      submitTestId="fee-reduction-remove-submit"
      returnFocusId={returnFocusId}
      danger
      // Removing is not undone: the focus starts on Cancel.
      focusCancel
      centered
    >
      <Text mb="sm">{t('fees.reduction.removeText', { kind: t(`fees.reduction.kind.${row.kind}`), period: period(row.validFrom, row.validTo) })}</Text>
    </FormDialog>
  );
}
