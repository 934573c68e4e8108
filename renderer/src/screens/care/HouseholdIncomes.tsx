/**
 * A household's incomes, for fee administrators (fee.read): every declaration newest first, the one in
 * force today marked; and for fee.write "Record income": from a date, an amount per month in kronor (or
 * "not declared": the maximum fee applies), its source and a note. A later declaration takes over from its
 * date; nothing is overwritten (a correction is a new entry). Under them the household's yearly income
 * checks (HouseholdIncomeChecks): the table for fee.read, "Check income" (Alt+I) for fee.write.
 */
import { Button, Checkbox, Group, NativeSelect, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../components/common';
import { DateField } from '../../components/DateField';
import { IconPlus } from '../../components/icons';
import { DataTable, FormDialog, useForm, type Column } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import type { HouseholdView } from '../../lib/care';
import type { IncomeView } from '../../lib/domain';
import { AMOUNT_SOURCES, emptyIncome, incomeField, mapFeeError, parseMoney, toIncomeInput, validateIncome, type AmountSource, type IncomeValues } from '../../lib/fees';
import { formatDate, formatDateTime } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { Money, useMoney } from '../fees/common';
import { ToneTag } from './Badges';
import { HouseholdIncomeChecks } from './HouseholdIncomeChecks';

export function HouseholdIncomes({ household, title, onChanged }: { household: HouseholdView; title: string; onChanged: () => void }) {
  const { t, lang } = useT();
  const session = useSession();
  const canWrite = session.can('fee.write');
  const money = useMoney();
  const q = useQuery('income.list', { householdId: household.id });
  const [recording, setRecording] = useState(false);
  const [announce, setAnnounce] = useState('');
  // Bumped when an income is recorded: the checks' months show the declared income in force each month.
  const [revision, setRevision] = useState(0);
  const headingId = `household-incomes-${household.id}`;
  const openerId = `household-income-record-${household.id}`;
  const columns = useMemo<Column<IncomeView>[]>(
    () => [
      {
        id: 'validFrom',
        header: t('fees.income.col.validFrom'),
        kind: 'date',
        cell: (r) => (
          <Group gap={6} wrap="nowrap">
            <span className="k-num">{formatDate(r.validFrom, lang)}</span>
            {r.current && (
              <ToneTag tone="ok" testId="income-current">
                {t('fees.income.current')}
              </ToneTag>
            )}
          </Group>
        ),
        text: (r) => r.validFrom,
      },
      {
        id: 'amount',
        header: t('fees.income.col.amount'),
        kind: 'number',
        cell: (r) => (r.monthlyIncome === null ? <span className="k-nowrap">{t('fees.income.notDeclared')}</span> : <Money ore={r.monthlyIncome} />),
        text: (r) => (r.monthlyIncome === null ? t('fees.income.notDeclared') : money(r.monthlyIncome)),
      },
      { id: 'source', header: t('fees.income.col.source'), cell: (r) => t(`fees.income.source.${r.source}`), text: (r) => t(`fees.income.source.${r.source}`) },
      { id: 'note', header: t('fees.income.col.note'), cell: (r) => r.note ?? '', text: (r) => r.note, sortable: false },
      {
        id: 'entered',
        header: t('fees.income.col.entered'),
        cell: (r) => (
          <span>
            {r.createdByName ?? r.createdBy}
            <span className="k-sub" style={{ display: 'block' }}>
              {formatDateTime(r.createdAt, lang)}
            </span>
          </span>
        ),
        text: (r) => `${r.createdByName ?? r.createdBy} ${r.createdAt}`,
        sortable: false,
      },
    ],
    [t, lang, money],
  );
  return (
    <div className="k-household-incomes" style={{ marginTop: 10 }} data-testid="household-incomes" data-household-id={household.id}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <h4 className="k-section-title" id={headingId} style={{ margin: 0, fontSize: 13 }}>
          {t('fees.income.title')}
        </h4>
        {canWrite && (
          <Button
            id={openerId}
            size="compact-sm"
            variant="default"
            leftSection={<IconPlus size={14} />}
            onClick={() => setRecording(true)}
            aria-label={t('fees.income.recordFor', { household: lowerFirst(title, lang) })}
            data-testid="income-record"
          >
            {t('fees.income.record')}
          </Button>
        )}
      </Group>
      <div role="status" className="k-search-label">
        {announce}
      </div>
      {q.error ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !q.data ? (
        <Loading />
      ) : q.data.items.length === 0 ? (
        <Empty>{t('fees.income.none')}</Empty>
      ) : (
        <DataTable<IncomeView>
          id="household-incomes"
          caption={t('fees.income.caption', { household: title })}
          columns={columns}
          rows={q.data.items}
          rowKey={(r) => r.id}
          rowTestId="income-row"
          rowProps={(r) => ({ 'data-current': r.current ? 'true' : undefined })}
          exportable={false}
          dense
        />
      )}
      <HouseholdIncomeChecks household={household} title={title} revision={revision} />
      {recording && (
        <RecordIncomeDialog
          household={household}
          title={title}
          returnFocusId={openerId}
          onClose={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            setAnnounce(t('fees.income.saved'));
            q.reload();
            setRevision((n) => n + 1);
            onChanged();
          }}
        />
      )}
    </div>
  );
}

/** "Hushållet i dag" inside a sentence: "… för hushållet i dag". */
const lowerFirst = (s: string, lang: string) => s.charAt(0).toLocaleLowerCase(lang) + s.slice(1);

function RecordIncomeDialog({ household, title, returnFocusId, onClose, onSaved }: { household: HouseholdView; title: string; returnFocusId: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useT();
  const api = useApi();
  const { today } = useSession();
  const money = useMoney();
  const f = useForm<IncomeValues>(emptyIncome(today), { validate: validateIncome, mapError: (e) => mapFeeError(e, incomeField) });
  const { v } = f;
  const save = async () => {
    const r = await f.submit(() => api.tryCall('income.declare', toIncomeInput(household.id, v)));
    if (r) onSaved();
  };
  const parsed = v.notDeclared ? null : parseMoney(v.amount);
  return (
    <FormDialog form={f} title={t('fees.income.dialogTitle')} testId="income-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('fees.income.submit')} returnFocusId={returnFocusId}>
      <Stack gap="sm">
        <Text size="sm">{t('fees.income.dialogText', { household: title, names: household.members.map((m) => m.person.name).join('; ') })}</Text>
        <DateField
          label={t('fees.income.validFrom')}
          value={v.validFrom}
          onChange={(x) => f.set('validFrom', x)}
          required
          autoFocus
          {...f.field('validFrom')}
          testId="income-valid-from"
          w={260}
        />
        <Checkbox
          label={t('fees.income.notDeclaredLabel')}
          description={t('fees.income.notDeclaredHint')}
          checked={v.notDeclared}
          onChange={(e) => f.set('notDeclared', e.currentTarget.checked)}
          name="notDeclared"
          data-testid="income-not-declared"
        />
        {!v.notDeclared && (
          <div className="k-form-grid">
            <TextInput
              label={t('fees.income.amount')}
              description={t('fees.income.amountHint')}
              value={v.amount}
              onChange={(e) => f.set('amount', e.currentTarget.value)}
              required
              inputMode="decimal"
              autoComplete="off"
              rightSection={<span aria-hidden="true" style={{ fontSize: 13, color: 'var(--k-text-soft)' }}>kr</span>}
              rightSectionWidth={36}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...f.field('amount')}
              data-testid="income-amount"
            />
            <NativeSelect
              label={t('fees.income.sourceLabel')}
              value={v.source}
              onChange={(e) => f.set('source', e.currentTarget.value as AmountSource)}
              data={AMOUNT_SOURCES.map((s) => ({ value: s, label: t(`fees.income.source.${s}`) }))}
              {...f.field('source')}
              data-testid="income-source"
            />
          </div>
        )}
        {typeof parsed === 'number' && parsed >= 0 && (
          <Text size="sm" aria-live="polite" data-testid="income-amount-read">
            {t('fees.income.amountIs', { amount: money(parsed) })}
          </Text>
        )}
        <Textarea label={t('fees.income.note')} value={v.note} onChange={(e) => f.set('note', e.currentTarget.value)} autosize minRows={2} maxRows={5} {...f.field('note')} data-testid="income-note" />
      </Stack>
    </FormDialog>
  );
}
