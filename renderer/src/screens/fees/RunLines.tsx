/**
 * A fee run's lines, a page at a time, with the explanation of the line the focus is on beside them: ↑/↓
 * move and the explanation follows; Enter moves into it, Esc back to the line. A preview's line that the
 * register no longer gives is marked "changed since the preview", with today's explanation (or none).
 */
import { Alert, Group, NativeSelect, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorState, Link, Loading } from '../../components/common';
import { DataTable, useExportLog, type Column } from '../../kit';
import { useQuery } from '../../lib/api';
import type { FeeLineView, FeeRunView } from '../../lib/domain';
import { LINE_FILTERS, linesInput, LINES_PAGE_SIZE, shortId, type LineFilter } from '../../lib/fees';
import { formatBasisPoints, formatMonth } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { ToneTag } from '../care/Badges';
import { Pager } from '../office/common';
import { Money, useMoney } from './common';
import { ExplanationView } from './Explanation';
import { FormName } from './RunSummary';
import './fees.css';

// ---------------------------------------------------------------------------------------------
// The lines and their explanation
// ---------------------------------------------------------------------------------------------

export function Lines({ run, stale = false }: { run: FeeRunView; stale?: boolean }) {
  const { t, lang } = useT();
  const money = useMoney();
  const [filter, setFilter] = useState<LineFilter>('all');
  const [offset, setOffset] = useState(0);
  const q = useQuery('fee.runLines', linesInput(run.id, filter, offset));
  // A lock refused as stale: the lines are asked for again, so the changed ones say so (a preview's charge is
  // explained when shown, from the register as it is now).
  const { reload } = q;
  const wasStale = useRef(stale);
  useEffect(() => {
    // Only when the run turns stale while shown: the first fetch already has the lines as they are.
    if (stale && !wasStale.current) reload();
    wasStale.current = stale;
  }, [stale, reload]);
  const last = useRef<{ items: FeeLineView[]; total: number } | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = data?.items.find((l) => l.id === selectedId) ?? data?.items[0] ?? null;
  const onExport = useExportLog<FeeLineView>('fee.runLines', linePersons);
  const panelRef = useRef<HTMLDivElement>(null);

  const columns = useMemo<Column<FeeLineView>[]>(
    () => [
      {
        id: 'child',
        header: t('fees.col.child'),
        cell: (l) => (
          <div>
            <span className="k-nowrap">
              <Link to={{ name: 'person', id: l.childId }} testId="fee-line-child">
                {l.childName || t('fees.warnings.unnamed')}
              </Link>
            </span>
            {l.changed && (
              <div className="k-sub">
                <ToneTag tone="warn">{t('fees.lines.changedTag')}</ToneTag>
              </div>
            )}
            {l.kind === 'correction' && (
              <div className="k-sub">
                <ToneTag tone="info">{t('fees.lineKind.correction')}</ToneTag>{' '}
                {l.explanation?.correction && t('fees.lines.corrects', { month: formatMonth(l.explanation.correction.month, lang) })}
              </div>
            )}
          </div>
        ),
        text: (l) => l.childName,
      },
      // Charges and corrections: a correction says so under the child's name; the kind is for CSV and print.
      { id: 'kind', header: t('fees.col.lineKind'), cell: (l) => t(`fees.lineKind.${l.kind}`), text: (l) => t(`fees.lineKind.${l.kind}`), optional: true, hiddenByDefault: true },
      { id: 'month', header: t('fees.col.month'), kind: 'code', cell: (l) => l.month, text: (l) => l.month, optional: true, hiddenByDefault: true },
      {
        id: 'unit',
        header: t('fees.col.unit'),
        cell: (l) => (
          <div>
            {l.unitName}
            <div className="k-sub">
              <FormName form={l.schoolForm} />
            </div>
          </div>
        ),
        text: (l) => l.unitName,
      },
      {
        id: 'recipient',
        header: t('fees.col.recipient'),
        cell: (l) => l.recipientName ?? <ToneTag tone="warn">{t('fees.lines.noRecipient')}</ToneTag>,
        text: (l) => l.recipientName ?? t('fees.lines.noRecipient'),
      },
      { id: 'share', header: t('fees.col.share'), kind: 'number', cell: (l) => formatBasisPoints(l.shareBp, lang), text: (l) => l.shareBp / 100, optional: true, hiddenByDefault: true },
      { id: 'amount', header: t('fees.col.amount'), kind: 'number', cell: (l) => <Money ore={l.amount} />, text: (l) => money(l.amount) },
    ],
    [t, lang, money],
  );

  const focusRow = () => {
    const id = selected?.id;
    if (id) document.querySelector<HTMLElement>(`[data-testid="fee-lines-table"] tbody > tr[data-row-id="${CSS.escape(id)}"]`)?.focus();
  };
  const onPanelKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      focusRow();
    }
  };

  return (
    <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="fee-lines-title" data-testid="fee-lines">
      <Group mb={8} wrap="wrap" gap="lg">
        <h2 className="k-section-title" id="fee-lines-title" style={{ margin: 0, marginRight: 'auto' }}>
          {t('fees.lines.title')}
        </h2>
        <NativeSelect
          label={t('fees.lines.filter')}
          value={filter}
          onChange={(e) => {
            const v = e.currentTarget.value as LineFilter;
            setFilter(LINE_FILTERS.includes(v) ? v : 'all');
            setOffset(0);
            setSelectedId(null);
          }}
          data={LINE_FILTERS.map((f) => ({ value: f, label: t(`fees.lines.filter.${f}`) }))}
          w={220}
          styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { whiteSpace: 'nowrap' } }}
          data-testid="fee-lines-filter"
        />
        {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={LINES_PAGE_SIZE} onOffset={setOffset} testId="fee-lines" />}
      </Group>
      <Text size="sm" c="dimmed" mb={8}>
        {t('fees.lines.hint')}
      </Text>
      {q.error ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <div className="k-fee-lines">
          <div aria-busy={q.loading}>
            <DataTable
              id="fee-lines"
              caption={t('fees.lines.caption', { month: formatMonth(run.month, lang) })}
              columns={columns}
              rows={data.items}
              rowKey={(l) => l.id}
              onOpen={(l) => {
                setSelectedId(l.id);
                window.setTimeout(() => panelRef.current?.focus(), 0);
              }}
              onRowFocus={(l) => setSelectedId(l.id)}
              onExport={onExport}
              testId="fee-lines-table"
              rowTestId="fee-line-row"
              rowProps={(l) => ({ 'data-kind': l.kind, ...(l.id === selected?.id ? { className: 'k-row k-row-selected', 'data-selected': 'true' } : {}) })}
              sort={null}
              onSortChange={() => undefined}
              empty={t(filter === 'correction' ? 'fees.lines.noCorrections' : 'fees.lines.none')}
              dense
            />
          </div>
          <div
            ref={panelRef}
            className="k-fee-line-panel"
            // A tab stop of its own: it scrolls when the explanation is longer than the screen.
            tabIndex={0}
            role="region"
            aria-labelledby="fee-line-explain-title"
            onKeyDown={onPanelKey}
            data-testid="fee-line-panel"
            data-line-id={selected?.id}
          >
            <h2 className="k-section-title" id="fee-line-explain-title" style={{ margin: '0 0 2px', fontSize: 16 }}>
              {selected ? t('fees.lines.explainTitle', { name: selected.childName }) : t('fees.lines.explainNone')}
            </h2>
            {selected && (
              <>
                <Text size="sm" c="dimmed" mb={8}>
                  {t(selected.recipientName ? 'fees.lines.explainSub' : 'fees.lines.explainSubNoRecipient', {
                    month: formatMonth(selected.month, lang),
                    unit: selected.unitName,
                    recipient: selected.recipientName ?? '',
                    id: shortId(selected.id),
                  })}
                </Text>
                {selected.changed && (
                  <Alert
                    color="orange"
                    variant="light"
                    mb={8}
                    title={t('fees.lines.changedTitle')}
                    styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}
                    data-testid="fee-line-changed"
                  >
                    {t(selected.explanation ? 'fees.lines.changedNow' : 'fees.lines.changedGone')}
                  </Alert>
                )}
                {selected.explanation && (
                  <ExplanationView explanation={selected.explanation} childId={selected.childId} nameOf={namesOfLine(selected)} compact testId="fee-line-explanation" />
                )}
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
const linePersons = (l: FeeLineView) => [l.childId, l.recipientId];

/** The names a line itself gives: its child's and its recipient's (the other adults and children are ids only). */
const namesOfLine =
  (l: FeeLineView) =>
  (id: string): string | null =>
    id === l.childId ? l.childName || null : id === l.recipientId ? l.recipientName : null;
