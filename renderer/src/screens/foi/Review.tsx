/**
 * A request's secrecy review on its page (issue 13, step 5): the gathered items as one work list, by person
 * (the core's order: person, then the register's order of categories), each with its category, a summary of
 * its fields, the proposal and the review (outcome and ground's citation, or "not reviewed") and its flags
 * (changed since gathered, changed since reviewed, removed, protected details, skipped by "take the
 * proposals"). Filtered by category (with counts) and "not reviewed only", paged. The list is one Tab stop;
 * Enter opens the item's review (or, outside gathering and review, the item to read).
 *
 * The items are read whole (every page of foi.items) so that the filter, the counts of what is left to review
 * and "take the proposals" all see the same list; the page (RequestPage.tsx) owns them, the actions and the
 * notice.
 */
import { Button, Group, NativeSelect, Switch, Text, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../../shared/api/transport';
import type { FoiRequestView } from '../../../../shared/api/foi';
import type { FoiGround, FoiItemCategory } from '../../../../shared/domain/foi';
import { ErrorState, Loading, Section } from '../../components/common';
import { ProtectedTag } from '../../components/Tags';
import { DataTable, type Column } from '../../kit';
import { useApi } from '../../lib/api';
import { currencyOf, formatNumber } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { ToneTag } from '../care/Badges';
import { Pager } from '../office/common';
import { Outcome } from './common';
import { personText } from './logic';
import {
  allWithheld,
  fetchAllItems,
  type ItemsData,
  canReview,
  categoryOptions,
  acceptCandidates,
  citationOf,
  filterItems,
  itemFlags,
  itemSummary,
  maskedFieldCount,
  maskedRegionCount,
  needsReview,
  pageOf,
  personStarts,
  type Item,
  type ListFilter,
  type SkipWhy,
} from './review';
import { ItemDialog } from './ReviewDialog';

export const ITEMS_PAGE_SIZE = 100;
export interface ItemsState {
  data: ItemsData | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** A request's items, read again on `reload`; the last answer stays in view while the next loads (the focused row stays). */
export function useReviewItems(requestId: string): ItemsState {
  const api = useApi();
  const [state, setState] = useState<{ id: string | null; data: ItemsData | null; error: ApiError | null; loading: boolean }>({ id: null, data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    void fetchAllItems(api, requestId).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { id: requestId, data: r.data, error: null, loading: false } : { id: requestId, data: null, error: r.error, loading: false });
    });
  }, [api, requestId, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const fresh = state.id === requestId;
  return { data: fresh ? state.data : null, error: fresh ? state.error : null, loading: state.loading, reload };
}

export interface ReviewSectionProps {
  request: FoiRequestView;
  items: ItemsState;
  grounds: readonly FoiGround[];
  canWrite: boolean;
  filter: ListFilter;
  onFilter: (f: ListFilter) => void;
  /** Items "take the proposals" skipped, with why (marked until reviewed). */
  skipped: Readonly<Record<string, SkipWhy>>;
  /** "Take the proposals" for this many items (null: not offered now). */
  onAccept: ((count: number) => void) | null;
  onSaved: () => void;
  onStale: () => void;
}

export function ReviewSection({ request, items, grounds, canWrite, filter, onFilter, skipped, onAccept, onSaved, onStale }: ReviewSectionProps) {
  const { t, lang } = useT();
  const session = useSession();
  const currency = currencyOf(session.country);
  const data = items.data;
  const all = useMemo(() => data?.items ?? [], [data]);
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<Item | null>(null);
  const shown = useMemo(() => filterItems(all, filter), [all, filter]);
  const page = pageOf(shown, offset, ITEMS_PAGE_SIZE);
  const starts = useMemo(() => personStarts(page.rows), [page.rows]);
  const left = useMemo(() => all.filter(needsReview).length, [all]);
  const candidates = useMemo(() => acceptCandidates(all).length, [all]);
  const leftIn = useMemo(() => filterItems(all, { ...filter, unreviewedOnly: true }).length, [all, filter]);
  const reviewable = canWrite && canReview(request.status);
  useEffect(() => setOffset(0), [filter.category, filter.unreviewedOnly]);

  // The row the focus was on: after a save the list is read again, and a row that left it (reviewed, with
  // "not reviewed only") hands the focus to the one now in its place.
  const lastIndex = useRef(0);
  const refocus = useRef<ItemsData | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Once the list read after the save is in (not the one the save was made on).
    if (open || items.loading || !refocus.current || data === refocus.current) return;
    refocus.current = null;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const rows = tableRef.current?.querySelectorAll<HTMLElement>('tbody > tr[data-index]');
    if (!rows || rows.length === 0) return;
    rows[Math.min(lastIndex.current, rows.length - 1)]?.focus();
  }, [data, open, items.loading]);

  const columns = useMemo<Column<Item>[]>(() => {
    const ctx = { t, lang, currency };
    return [
      {
        id: 'person',
        header: t('foi.review.col.person'),
        rowHeader: true,
        sortable: false,
        cell: (i) =>
          starts.has(i.id) ? (
            <span className="k-foi-person-start" data-testid="foi-item-person">
              <span className={i.person.name === null ? 'k-foi-withheld' : undefined}>{personText(i.person, t)}</span>
              {i.person.protected && (
                <>
                  {' '}
                  <ProtectedTag />
                </>
              )}
            </span>
          ) : (
            <VisuallyHidden data-testid="foi-item-person">{personText(i.person, t)}</VisuallyHidden>
          ),
        text: (i) => personText(i.person, t),
      },
      {
        id: 'category',
        header: t('foi.review.col.category'),
        sortable: false,
        cell: (i) => (
          <span className="k-nowrap" data-testid="foi-item-category">
            {t(`foi.category.${i.category}`)}
          </span>
        ),
        text: (i) => t(`foi.category.${i.category}`),
      },
      {
        id: 'content',
        header: t('foi.review.col.content'),
        sortable: false,
        cell: (i) => (
          <span className={allWithheld(i) ? 'k-foi-withheld' : 'k-foi-summary'} data-testid="foi-item-summary">
            {itemSummary(i, ctx)}
          </span>
        ),
        text: (i) => itemSummary(i, ctx),
      },
      {
        id: 'proposal',
        header: t('foi.review.col.proposal'),
        sortable: false,
        cell: (i) => <Outcome outcome={i.proposal.outcome} ground={i.proposal.ground} grounds={grounds} testId="foi-item-proposal" />,
        text: (i) => [t(`foi.outcome.${i.proposal.outcome}`), citationOf(i.proposal.ground, grounds)].filter(Boolean).join(' '),
      },
      {
        id: 'review',
        header: t('foi.review.col.review'),
        sortable: false,
        cell: (i) => {
          if (!i.review) {
            return (
              <span className="k-sub k-nowrap" data-testid="foi-item-review" data-outcome="">
                {t('foi.review.notReviewed')}
              </span>
            );
          }
          const n = maskedFieldCount(i.review);
          const regions = maskedRegionCount(i.review);
          return (
            <span className="k-foi-review-cell">
              <Outcome outcome={i.review.outcome} ground={i.review.ground} grounds={grounds} testId="foi-item-review" />
              {n > 0 && <span className="k-sub k-nowrap">{t('foi.review.fieldsMasked', { count: n })}</span>}
              {regions > 0 && (
                <span className="k-sub k-nowrap" data-testid="foi-item-regions-count" data-count={regions}>
                  {t('foi.regions.count', { count: regions })}
                </span>
              )}
            </span>
          );
        },
        text: (i) => (i.review ? t(`foi.outcome.${i.review.outcome}`) : t('foi.review.notReviewed')),
      },
      {
        id: 'flags',
        header: t('foi.review.col.flags'),
        sortable: false,
        cell: (i) => {
          const why = needsReview(i) ? skipped[i.id] : undefined;
          const flags = itemFlags(i);
          return (
            <span className="k-foi-flags" data-testid="foi-item-flags">
              {why && (
                <ToneTag tone="danger" testId="foi-item-skipped">
                  {t('foi.flag.skipped', { why: t(`foi.skip.${why}`) })}
                </ToneTag>
              )}
              {flags.map((f) => (
                <ToneTag key={f} tone={f === 'gone' ? 'neutral' : 'warn'} testId={`foi-item-${f}`}>
                  {t(`foi.flag.${f}`)}
                </ToneTag>
              ))}
              {i.guarded && (
                <ToneTag tone="neutral" testId="foi-item-guarded">
                  {t('foi.flag.guarded')}
                </ToneTag>
              )}
            </span>
          );
        },
      },
    ];
  }, [t, lang, currency, starts, grounds, skipped]);

  const options = data ? categoryOptions(data.counts, filter.category) : [];
  const toolbar = data && data.items.length > 0 && (
    <Group gap="md" align="center" wrap="wrap">
      <NativeSelect
        label={t('foi.review.category')}
        size="xs"
        value={filter.category}
        onChange={(e) => onFilter({ ...filter, category: e.currentTarget.value as FoiItemCategory | 'all' })}
        data={[
          { value: 'all', label: t('foi.review.allCategories', { count: formatNumber(Object.values(data.counts).reduce((a, b) => a + b, 0), lang) }) },
          ...options.map((o) => ({ value: o.category, label: t('foi.review.categoryOption', { category: t(`foi.category.${o.category}`), count: formatNumber(o.count, lang) }) })),
        ]}
        data-testid="foi-review-category"
        styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { fontWeight: 500 } }}
      />
      <Switch
        label={t('foi.review.unreviewedOnly', { count: formatNumber(leftIn, lang) })}
        checked={filter.unreviewedOnly}
        onChange={(e) => onFilter({ ...filter, unreviewedOnly: e.currentTarget.checked })}
        data-testid="foi-review-unreviewed"
      />
    </Group>
  );

  return (
    <Section
      title={t('foi.review.title')}
      id="sec-foi-review"
      testId="foi-review"
      actions={
        <Group gap="sm" wrap="nowrap">
          {data && shown.length > ITEMS_PAGE_SIZE && <Pager offset={page.offset} count={page.rows.length} total={shown.length} pageSize={ITEMS_PAGE_SIZE} onOffset={setOffset} testId="foi-review" />}
          {onAccept && candidates > 0 && (
            <Button id="foi-accept" size="compact-sm" variant="default" onClick={() => onAccept(candidates)} data-testid="foi-accept">
              {t('foi.accept.button')}
            </Button>
          )}
        </Group>
      }
    >
      <div aria-busy={items.loading} ref={tableRef} data-left={left} data-testid="foi-review-body">
        {items.error ? (
          <ErrorState error={items.error} onRetry={items.reload} />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="foi-review-empty">
            {t('foi.review.empty')}
          </p>
        ) : (
          <>
            <Text size="sm" c="dimmed" mb={8} maw="80ch">
              {t('foi.review.intro')}
            </Text>
            <DataTable<Item>
              id="foi-review-items"
              caption={t('foi.review.caption')}
              columns={columns}
              rows={page.rows}
              rowKey={(i) => i.id}
              onOpen={setOpen}
              onRowFocus={(i) => {
                lastIndex.current = Math.max(0, page.rows.indexOf(i));
              }}
              toolbar={toolbar}
              exportable={false}
              // The core's order (by person, then the register's order of categories) is the list's: it is not re-sorted.
              sort={null}
              onSortChange={() => undefined}
              empty={t('foi.review.emptyFilter')}
              testId="foi-review-table"
              rowTestId="foi-item-row"
              rowProps={(i) => ({
                'data-item-id': i.id,
                'data-category': i.category,
                'data-person-id': i.person.id,
                'data-proposal': i.proposal.outcome,
                'data-review': i.review?.outcome ?? '',
                'data-needs-review': needsReview(i) ? 'true' : undefined,
                'data-skipped': needsReview(i) ? skipped[i.id] : undefined,
                'data-guarded': i.guarded ? 'true' : undefined,
              })}
              dense
            />
            <Text size="sm" c="dimmed" mt={6}>
              {t('table.keysHint')}
            </Text>
          </>
        )}
      </div>
      {open && (
        <ItemDialog
          item={open}
          grounds={grounds}
          editable={reviewable}
          onClose={() => setOpen(null)}
          onSaved={() => {
            refocus.current = data;
            setOpen(null);
            onSaved();
          }}
          onStale={() => {
            refocus.current = data;
            setOpen(null);
            onStale();
          }}
        />
      )}
    </Section>
  );
}
