/**
 * A document's masked regions in the secrecy review (issue 13, step 5): the review dialog's section (each
 * region in words with its own ground, removable; "Rita områden…" with Alt+R) and the region editor, a larger
 * dialog over the review: the page as a picture (foi.documentPage; a protected person's document after a
 * reason, which is logged), page by page (PageUp/PageDown, buttons, "Sida 2 av 5"), the page's regions as
 * boxes over it, the selected region's ground and removal, and every region in a list.
 *
 * Keyboard first: N adds a box in the middle of the page; a box has the focus (Tab from box to box, or the
 * list's ↑ ↓ and Enter) and moves with the arrow keys (1 %, Shift 10 %), resizes with Alt and the arrows,
 * goes with Delete; Enter takes the focus to its ground. The mouse draws a box by dragging on the page, moves
 * one by dragging it and resizes it by its corner. Every box stays on its page. Each change is announced in a
 * live region ("Område 2: x 10 %, y 20 %, 30 × 5 %"). Ctrl+S takes the regions to the review (saved with it),
 * Esc cancels (asking first when something changed). The editor is the topmost dialog while it is open, so Esc
 * is its own and the review dialog under it stays (components/dialogStack.ts).
 */
import { Alert, Button, Group, Loader, Modal, NativeSelect, SegmentedControl, Stack, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type RefObject } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/transport';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../../../../shared/domain/access';
import type { FoiGround } from '../../../../shared/domain/foi';
import { checkReason, reasonTooLong, reasonTooShort } from '../../components/RevealDialog';
import { DataTable, mapApiError, useFieldMessage, type Column, type FieldError, type Form } from '../../kit';
import { useDialogEscape } from '../../components/dialogStack';
import { useApi } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { MOD, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import {
  afterRemoval,
  announce,
  applyKey,
  boxFromDrag,
  boxText,
  boxVars,
  BOX_SHORTCUTS,
  editorKey,
  fitSize,
  insertRegion,
  keyAction,
  MAX_REGIONS,
  moveByDrag,
  newRegion,
  pagesOf,
  percent,
  pointShare,
  regionNumber,
  regionsOn,
  replaceRegion,
  resizeByDrag,
  sameRegions,
  stopped,
  type Announcement,
  type Box,
  type Point,
  type RegionDraft,
  type Zoom,
} from './regions';
import { foiErrorMsg } from './logic';
import { citationOf, groundOptions, regionGroundName, regionName, type Item, type ReviewValues } from './review';

type PageShot = MethodOutput<'foi.documentPage'>;
/** The messages the review form has for a region: on its row (the page, the box) and on its ground. */
export interface RegionErrors {
  row?: FieldError;
  ground?: FieldError;
}

/** The document's title as the item shows it (withheld: "the document"). */
function documentTitle(item: Pick<Item, 'fields'>, fallback: string): string {
  return item.fields.find((f) => f.name === 'title')?.value || fallback;
}

/** What the empty ground choice means for a region: the item's ground, named when one is chosen. */
function useItemGroundLabel(itemGround: string, grounds: readonly FoiGround[]): string {
  const { t } = useT();
  const c = citationOf(itemGround || null, grounds);
  return c ? t('foi.regions.itemGroundNamed', { ground: c }) : t('foi.regions.itemGroundMissing');
}

/** A region's ground in words: its own ("grund: OSL 23:1"), or the item's ("Postens grund (OSL 23:2)"). */
function regionGroundText(r: Pick<RegionDraft, 'ground'>, itemLabel: string, grounds: readonly FoiGround[], t: (k: 'foi.regions.groundOf', v: { ground: string }) => string): string {
  return r.ground ? t('foi.regions.groundOf', { ground: citationOf(r.ground, grounds) ?? r.ground }) : itemLabel;
}

// ---------------------------------------------------------------------------------------------
// The review dialog's section
// ---------------------------------------------------------------------------------------------

export interface RegionsSectionProps {
  form: Form<ReviewValues>;
  grounds: readonly FoiGround[];
  inForce: readonly FoiGround[];
  onOpen: () => void;
  /** The "Rita områden…" button (the editor gives the focus back to it). */
  openRef?: RefObject<HTMLButtonElement | null>;
  /** A region's own ground changed, or a region removed (the form's messages on regions go). */
  onChange: (regions: RegionDraft[]) => void;
}

/**
 * The regions in the review dialog, each in words ("Område 1, sida 1: x 10 %, y 20 %, 30 × 5 %") with its
 * own ground (the item's unless chosen) and Remove; a region the core refused (a page the document does
 * not have, outside its page) says so on its row. "Rita områden…" (Alt+R) opens the editor.
 */
export function RegionsSection({ form: f, grounds, inForce, onOpen, openRef, onChange }: RegionsSectionProps) {
  const { t, lang } = useT();
  const regions = f.v.regions;
  const itemGround = useItemGroundLabel(f.v.ground, grounds);
  const rowError = (n: number) => f.err(regionName(n));
  // A region removed here: the focus goes to the next one's Remove (or the one before), else "Rita områden…".
  const rootRef = useRef<HTMLFieldSetElement>(null);
  const focusAfter = useRef<number | null>(null);
  useEffect(() => {
    const at = focusAfter.current;
    if (at === null) return;
    focusAfter.current = null;
    const buttons = rootRef.current?.querySelectorAll<HTMLElement>('[data-testid="foi-review-region-remove"]');
    const to = buttons && buttons.length ? buttons[Math.min(at, buttons.length - 1)] : openRef?.current;
    to?.focus();
  });
  const removeAt = (i: number) => {
    focusAfter.current = i;
    onChange(regions.filter((_, n) => n !== i));
  };
  return (
    <fieldset ref={rootRef} className="k-fieldset k-foi-regions" data-testid="foi-review-regions" data-count={regions.length}>
      <legend>{t('foi.regions.section')}</legend>
      <Text size="xs" c="dimmed" mb={8} maw="80ch">
        {t('foi.regions.sectionHint')}
      </Text>
      {f.err('regions') && (
        <Text size="sm" c="#a61b1b" mb={6} data-k-error="true" tabIndex={-1} data-testid="foi-review-regions-error">
          {f.err('regions')}
        </Text>
      )}
      {regions.length === 0 ? (
        <Text size="sm" mb={8} data-testid="foi-review-regions-none">
          {t('foi.regions.none')}
        </Text>
      ) : (
        <ol className="k-foi-region-list" aria-label={t('foi.regions.count', { count: regions.length })}>
          {regions.map((r, i) => {
            const n = i + 1;
            const err = rowError(i);
            const errId = `foi-region-${r.id}-error`;
            return (
              <li
                key={r.id}
                className="k-foi-region-row"
                data-region-id={r.id}
                data-testid="foi-review-region"
                data-page={r.page}
                data-k-error={err ? 'true' : undefined}
                tabIndex={err ? -1 : undefined}
                aria-describedby={err ? errId : undefined}
              >
                <span className="k-foi-region-text">
                  <strong>{t('foi.regions.itemOnPage', { n, page: r.page })}</strong>
                  <span className="k-num">{boxText(r, t, lang)}</span>
                </span>
                <NativeSelect
                  size="xs"
                  label={t('foi.regions.groundFor', { n })}
                  value={r.ground}
                  onChange={(e) => onChange(replaceRegion(regions, r.id, { ground: e.currentTarget.value }))}
                  data={groundOptions(inForce, grounds, r.ground, itemGround, lang)}
                  {...f.field(regionGroundName(i))}
                  data-testid="foi-review-region-ground"
                  className="k-foi-region-ground"
                />
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red.9"
                  aria-label={t('foi.regions.removeNamed', { n })}
                  onClick={() => removeAt(i)}
                  data-testid="foi-review-region-remove"
                >
                  {t('foi.regions.remove')}
                </Button>
                {err && (
                  <Text size="xs" c="#a61b1b" id={errId} className="k-foi-region-error" data-testid="foi-review-region-error">
                    {err}
                  </Text>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <Group gap="sm" mt={4}>
        <Button ref={openRef} variant="default" size="sm" onClick={onOpen} aria-keyshortcuts="Alt+R" data-testid="foi-review-regions-open">
          {regions.length ? t('foi.regions.openEdit') : t('foi.regions.open')}
        </Button>
        <Text size="sm" c="dimmed">
          Alt+R
        </Text>
      </Group>
    </fieldset>
  );
}

/** The regions of a review, read only (the item's dialog outside gathering and review): in words with their grounds. */
export function RegionsList({
  regions,
  itemGround,
  grounds,
  onShow,
  showRef,
}: {
  regions: readonly RegionDraft[];
  itemGround: string | null;
  grounds: readonly FoiGround[];
  onShow: (() => void) | null;
  showRef?: RefObject<HTMLButtonElement | null>;
}) {
  const { t, lang } = useT();
  const itemLabel = useItemGroundLabel(itemGround ?? '', grounds);
  return (
    <div className="k-foi-regions-read" data-testid="foi-item-regions" data-count={regions.length}>
      <Text fw={600} size="sm" mb={6} id="foi-item-regions-title">
        {t('foi.regions.readTitle')}
      </Text>
      <ol className="k-foi-region-list" aria-labelledby="foi-item-regions-title">
        {regions.map((r, i) => (
          <li key={r.id} className="k-foi-region-read" data-testid="foi-item-region" data-page={r.page}>
            <span className="k-foi-region-text">
              <strong>{t('foi.regions.itemOnPage', { n: i + 1, page: r.page })}</strong>
              <span className="k-num">{boxText(r, t, lang)}</span>
              <span>{regionGroundText(r, itemLabel, grounds, t)}</span>
            </span>
          </li>
        ))}
      </ol>
      {onShow && (
        <Button ref={showRef} variant="default" size="sm" mt={8} onClick={onShow} data-testid="foi-item-regions-show">
          {t('foi.regions.show')}
        </Button>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The editor
// ---------------------------------------------------------------------------------------------

export interface RegionEditorProps {
  item: Item;
  grounds: readonly FoiGround[];
  inForce: readonly FoiGround[];
  /** The item's ground as chosen in the review form ('' none): what a region without its own means. */
  itemGround: string;
  regions: readonly RegionDraft[];
  /** The review form's messages on the regions, by region id (shown until the region changes). */
  errors?: Readonly<Record<string, RegionErrors>>;
  /** Only to look at (the request is not in gathering or review). */
  readOnly?: boolean;
  /** "Klar": the regions go to the review form (saved with the review). */
  onDone?: (regions: RegionDraft[]) => void;
  onClose: () => void;
  /** Where the focus goes when the editor closes if the control it came from is gone (the section's button). */
  fallbackFocus?: RefObject<HTMLElement | null>;
}

type Drag =
  | { kind: 'draw'; pointer: number; from: Point }
  | { kind: 'move'; pointer: number; id: string; from: Point; start: Box }
  | { kind: 'resize'; pointer: number; id: string; start: Box };

/** The focus is on something that takes keys of its own (a select, a text field, a radio of the zoom). */
const ownKeys = (el: EventTarget | null): boolean => el instanceof HTMLElement && !!el.closest('select, input, textarea, [role="radiogroup"]');

export function RegionEditor(props: RegionEditorProps) {
  const { item, grounds, inForce, readOnly = false } = props;
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const msg = useFieldMessage();
  const title = documentTitle(item, t('foi.regions.document'));
  const itemLabel = useItemGroundLabel(props.itemGround, grounds);

  // The control the editor came from, taken while it renders (before its focus trap moves the focus): the focus goes back there.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null));
  const fallbackFocus = props.fallbackFocus;
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      window.setTimeout(() => {
        // Mounted again (React's strict mode tries every effect twice in development): not closed.
        if (mounted.current) return;
        const active = document.activeElement;
        if (active && active !== document.body && !active.closest('[data-testid="foi-regions-editor"]')) return;
        const to = opener?.isConnected ? opener : (fallbackFocus?.current ?? null);
        to?.focus({ preventScroll: true });
      }, 0);
    };
  }, [opener, fallbackFocus]);
  const [regions, setRegions] = useState<RegionDraft[]>(() => [...props.regions]);
  const [errors, setErrors] = useState<Record<string, RegionErrors>>(() => ({ ...props.errors }));
  // It opens on the first region the review form has a message on, else the first region (its page shown).
  const [first] = useState(() => props.regions.find((r) => props.errors?.[r.id]) ?? props.regions[0] ?? null);
  const [page, setPage] = useState(first?.page ?? 1);
  const [selected, setSelected] = useState<string | null>(first?.id ?? null);
  const [pageCount, setPageCount] = useState<number | null>(() => pagesOf(item.fields));
  const [zoom, setZoom] = useState<Zoom>('page');
  const [confirming, setConfirming] = useState(false);
  const [said, setSaid] = useState('');
  const changed = !sameRegions(regions, props.regions);

  // ---- The pages, fetched as they are shown (kept for the editor's life only: a protected person's too).
  const [shots, setShots] = useState<Record<number, PageShot>>({});
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const needReason = item.guarded;
  const mayReveal = session.can('protected.reveal');
  const [reason, setReason] = useState<string | null>(null);
  const shot = shots[page] ?? null;
  const have = shot !== null;
  useEffect(() => {
    if (have || (needReason && reason === null)) return;
    let live = true;
    setLoadError(null);
    void api.tryCall('foi.documentPage', { itemId: item.id, page, ...(reason ? { reason } : {}) }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setShots((s) => ({ ...s, [r.data.page]: r.data }));
        setPageCount(r.data.pages);
      } else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, item.id, page, reason, have, needReason]);

  // ---- The reason for a protected person's document (the reveal's words and checks).
  const [why, setWhy] = useState('');
  const [whyError, setWhyError] = useState<FieldError | null>(null);
  const [revealTop, setRevealTop] = useState<FieldError | null>(null);
  const [revealing, setRevealing] = useState(false);
  const whyRef = useRef<HTMLTextAreaElement>(null);
  const reveal = async () => {
    const bad = checkReason(why).reason;
    setRevealTop(null);
    if (bad) {
      setWhyError(bad);
      whyRef.current?.focus();
      return;
    }
    setRevealing(true);
    const r = await api.tryCall('foi.documentPage', { itemId: item.id, page, reason: why.trim() });
    setRevealing(false);
    if (r.ok) {
      setShots((s) => ({ ...s, [r.data.page]: r.data }));
      setPageCount(r.data.pages);
      setReason(why.trim());
      return;
    }
    const mapped = mapApiError(r.error, (p) => p === 'reason', { issue: (i) => (i.field === 'reason' ? (i.code === 'too_long' ? reasonTooLong : reasonTooShort) : undefined) });
    setWhyError(mapped.fields.reason ?? null);
    setRevealTop(r.error.code === 'forbidden' ? { key: 'foi.regions.reveal.forbidden' } : (mapped.top[0] ?? null));
    whyRef.current?.focus();
  };

  // ---- Saying what changed (polite; a repeated text is made new so that it is said again).
  const flip = useRef(false);
  const say = useCallback(
    (a: Announcement) => {
      flip.current = !flip.current;
      setSaid(announce(a, t, lang) + (flip.current ? '' : '\u00a0'));
    },
    [t, lang],
  );

  // ---- Focus after a change: a box once it is drawn, else the page.
  const rootRef = useRef<HTMLDivElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const newRef = useRef<HTMLButtonElement>(null);
  const groundRef = useRef<HTMLSelectElement>(null);
  /** What takes the focus once drawn: a box (its region's id), a row of the list (`row:` and the id), or the page. */
  const pendingFocus = useRef<string | null>(null);
  const pendingScroll = useRef<string | null>(null);
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const id = pendingFocus.current;
    if (id) {
      const el =
        id === 'page'
          ? (pageRef.current ?? newRef.current)
          : id.startsWith('row:')
            ? root.querySelector<HTMLElement>(`tr[data-region-id="${id.slice(4)}"]`)
            : root.querySelector<HTMLElement>(`[data-region-box="${id}"]`);
      if (el) {
        pendingFocus.current = null;
        el.focus({ preventScroll: true });
        el.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
      }
    }
    const s = pendingScroll.current;
    if (s) {
      pendingScroll.current = null;
      root.querySelector<HTMLElement>(`[data-region-box="${s}"]`)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    }
  });

  // ---- The stage's size (the page fitted into it), measured once the modal has put it on screen and whenever it changes.
  const [avail, setAvail] = useState({ w: 0, h: 0 });
  const observer = useRef<ResizeObserver | null>(null);
  const stageRef = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    const measure = () => setAvail((cur) => (cur.w === el.clientWidth - 32 && cur.h === el.clientHeight - 32 ? cur : { w: el.clientWidth - 32, h: el.clientHeight - 32 }));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(measure);
    observer.current.observe(el);
  }, []);
  const size = shot ? fitSize(avail.w, avail.h, shot.width, shot.height, zoom) : null;

  // ---- Changing the regions.
  const selectedRegion = regions.find((r) => r.id === selected) ?? null;
  const onPage = regionsOn(regions, page);
  const number = (id: string) => regionNumber(regions, id);
  const dropErrors = (id: string, which: keyof RegionErrors) =>
    setErrors((cur) => {
      if (!cur[id]?.[which]) return cur;
      const { [which]: _, ...rest } = cur[id]!;
      return { ...cur, [id]: rest };
    });
  const setBox = (id: string, box: Box) => {
    setRegions((cur) => replaceRegion(cur, id, box));
    dropErrors(id, 'row');
  };
  const full = regions.length >= MAX_REGIONS;
  const blind = needReason && reason === null;
  // The reason given, the page shows and the keys work: the focus goes to "Nytt område" once it is enabled
  // (after the render that enables it; focusing it before, as a timer could, leaves the focus on nothing).
  const wasBlind = useRef(blind);
  useEffect(() => {
    if (wasBlind.current && !blind) (newRef.current ?? pageRef.current)?.focus();
    wasBlind.current = blind;
  }, [blind]);
  const canAdd = !readOnly && have && !full;
  const add = (box?: Box) => {
    if (!canAdd) return;
    const r = newRegion(page, box);
    const next = insertRegion(regions, r);
    setRegions(next);
    setSelected(r.id);
    pendingFocus.current = r.id;
    say({ kind: 'added', n: regionNumber(next, r.id), page, box: r });
  };
  /** Removes a region; the focus goes to the next box on its page (from the list: the next row), else the page. */
  const remove = (id: string, from: 'box' | 'list' = 'box') => {
    if (readOnly) return;
    const n = number(id);
    const i = regions.findIndex((r) => r.id === id);
    const next = regions.filter((r) => r.id !== id);
    if (from === 'list') {
      const then = next[Math.min(i, next.length - 1)] ?? null;
      setSelected(then?.id ?? null);
      if (then && then.page !== page) setPage(then.page);
      pendingFocus.current = then ? `row:${then.id}` : 'page';
    } else {
      const then = afterRemoval(regions, id);
      setSelected(then);
      pendingFocus.current = then ?? 'page';
    }
    setRegions(next);
    say({ kind: 'removed', n, left: next.length });
  };
  const setGround = (id: string, ground: string) => {
    setRegions((cur) => replaceRegion(cur, id, { ground }));
    dropErrors(id, 'ground');
    say({ kind: 'ground', n: number(id), ground: ground ? (citationOf(ground, grounds) ?? ground) : itemLabel });
  };
  const choose = (id: string, focus: boolean) => {
    const r = regions.find((x) => x.id === id);
    if (!r) return;
    setSelected(id);
    if (r.page !== page) setPage(r.page);
    if (focus) pendingFocus.current = id;
  };
  const goPage = (to: number) => {
    const last = pageCount ?? page;
    if (to < 1 || to > last || to === page) return;
    const onBox = document.activeElement instanceof HTMLElement && document.activeElement.hasAttribute('data-region-box');
    const first = regionsOn(regions, to)[0] ?? null;
    setPage(to);
    setSelected(first?.id ?? null);
    // A box with the focus leaves with its page: the focus goes to the new page's first box, or the page.
    if (onBox) pendingFocus.current = first?.id ?? 'page';
    say({ kind: 'page', page: to, pages: last, count: regionsOn(regions, to).length });
  };

  // ---- Closing.
  const stayRef = useRef<HTMLButtonElement>(null);
  const resumeRef = useRef<HTMLElement | null>(null);
  const close = () => props.onClose();
  const requestClose = () => {
    if (confirming) return stay();
    if (!readOnly && changed) {
      resumeRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setConfirming(true);
      window.setTimeout(() => stayRef.current?.focus(), 0);
    } else close();
  };
  const stay = () => {
    setConfirming(false);
    window.setTimeout(() => {
      const back = resumeRef.current;
      if (back?.isConnected) back.focus();
      else newRef.current?.focus();
    }, 0);
  };
  const done = () => {
    if (readOnly || confirming) return;
    props.onDone?.(regions);
  };

  // ---- Keys.
  const onBoxKey = (e: KeyboardEvent<HTMLDivElement>, r: RegionDraft) => {
    if (readOnly) return;
    if (e.key === 'Enter' && !e.altKey && !e.shiftKey && !modPressed(e)) {
      e.preventDefault();
      e.stopPropagation();
      groundRef.current?.focus();
      return;
    }
    const a = keyAction(e);
    if (!a) return;
    e.preventDefault();
    e.stopPropagation();
    if (a.kind === 'delete') return remove(r.id);
    const next = applyKey(r, a);
    const edge = stopped(a.kind === 'move' ? { dx: a.dx, dy: a.dy } : { dx: a.dw, dy: a.dh }, r, next, a.kind);
    setBox(r.id, next);
    pendingScroll.current = r.id;
    say({ kind: a.kind === 'move' ? 'moved' : 'resized', n: number(r.id), box: next, edge });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.defaultPrevented || e.nativeEvent.isComposing) return;
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      e.stopPropagation();
      done();
      return;
    }
    if (confirming || ownKeys(e.target)) return;
    // Delete on a row of the list removes its region.
    const row = e.target instanceof HTMLElement && e.target.matches('tr[data-region-id]') ? e.target.getAttribute('data-region-id') : null;
    if (row && !readOnly && keyAction(e)?.kind === 'delete') {
      e.preventDefault();
      e.stopPropagation();
      remove(row, 'list');
      return;
    }
    const k = editorKey(e);
    if (k === 'new' && !readOnly) {
      e.preventDefault();
      e.stopPropagation();
      add();
    } else if (k === 'prevPage' || k === 'nextPage') {
      e.preventDefault();
      e.stopPropagation();
      goPage(page + (k === 'prevPage' ? -1 : 1));
    }
  };
  // Esc is the editor's while it is open (the topmost dialog): the review dialog under it stays.
  useDialogEscape(true, requestClose);

  // ---- The mouse: drag on the page to draw, on a box to move it, on its corner to resize it.
  const drag = useRef<Drag | null>(null);
  const [preview, setPreview] = useState<Box | null>(null);
  const at = (e: PointerEvent) => pointShare(e.clientX, e.clientY, pageRef.current!.getBoundingClientRect());
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !pageRef.current) return;
    const target = e.target as HTMLElement;
    const boxEl = target.closest<HTMLElement>('[data-region-box]');
    if (boxEl) {
      const id = boxEl.getAttribute('data-region-box')!;
      const r = regions.find((x) => x.id === id);
      if (!r) return;
      e.preventDefault();
      setSelected(id);
      boxEl.focus({ preventScroll: true });
      if (readOnly) return;
      pageRef.current.setPointerCapture?.(e.pointerId);
      drag.current = target.closest('[data-region-handle]') ? { kind: 'resize', pointer: e.pointerId, id, start: r } : { kind: 'move', pointer: e.pointerId, id, from: at(e), start: r };
      return;
    }
    if (!canAdd) return;
    e.preventDefault();
    pageRef.current.focus({ preventScroll: true });
    pageRef.current.setPointerCapture?.(e.pointerId);
    drag.current = { kind: 'draw', pointer: e.pointerId, from: at(e) };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    const p = at(e);
    if (d.kind === 'draw') setPreview(boxFromDrag(d.from, p));
    else if (d.kind === 'move') setBox(d.id, moveByDrag(d.start, d.from, p));
    else setBox(d.id, resizeByDrag(d.start, p));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    drag.current = null;
    pageRef.current?.releasePointerCapture?.(e.pointerId);
    if (d.kind === 'draw') {
      const box = boxFromDrag(d.from, at(e));
      setPreview(null);
      if (box) add(box);
      return;
    }
    const r = regions.find((x) => x.id === d.id);
    if (r && (r.x !== d.start.x || r.y !== d.start.y || r.w !== d.start.w || r.h !== d.start.h)) say({ kind: d.kind === 'move' ? 'moved' : 'resized', n: number(r.id), box: r, edge: false });
  };
  const onPointerCancel = () => {
    drag.current = null;
    setPreview(null);
  };

  // ---- The list of every region.
  const columns = useMemo<Column<RegionDraft>[]>(
    () => [
      { id: 'n', header: t('foi.regions.col.n'), rowHeader: true, sortable: false, kind: 'number', cell: (r) => regionNumber(regions, r.id) },
      { id: 'page', header: t('foi.regions.col.page'), sortable: false, kind: 'number', cell: (r) => r.page },
      { id: 'position', header: t('foi.regions.col.position'), sortable: false, cell: (r) => <span className="k-nowrap">{t('foi.regions.position', { x: percent(r.x, lang), y: percent(r.y, lang) })}</span> },
      { id: 'size', header: t('foi.regions.col.size'), sortable: false, cell: (r) => <span className="k-nowrap">{t('foi.regions.size', { w: percent(r.w, lang), h: percent(r.h, lang) })}</span> },
      {
        id: 'ground',
        header: t('foi.regions.col.ground'),
        sortable: false,
        cell: (r) => {
          const e = errors[r.id];
          return (
            <span className="k-foi-region-cell">
              <span>{r.ground ? (citationOf(r.ground, grounds) ?? r.ground) : itemLabel}</span>
              {(e?.row || e?.ground) && (
                <span className="k-foi-region-cell-error" data-testid="foi-regions-row-error">
                  {msg(e.row ?? e.ground)}
                </span>
              )}
            </span>
          );
        },
      },
    ],
    [t, lang, regions, errors, grounds, itemLabel, msg],
  );

  const pageLabel = pageCount !== null ? t('foi.regions.page', { page, pages: pageCount }) : t('foi.regions.pageUnknown', { page });
  const selErrors = selectedRegion ? errors[selectedRegion.id] : undefined;
  const selN = selectedRegion ? number(selectedRegion.id) : 0;

  let stage: ReactNode;
  if (needReason && reason === null && !mayReveal) {
    stage = (
      <Alert color="gray" variant="light" data-testid="foi-regions-forbidden" maw="60ch">
        {t('foi.regions.reveal.forbidden')}
      </Alert>
    );
  } else if (needReason && reason === null) {
    stage = (
      <Stack gap="sm" maw="60ch" className="k-regions-reveal" data-testid="foi-regions-reveal">
        <div className="k-protected-block" role="note">
          <span>{t('foi.regions.reveal.text')}</span>
        </div>
        {revealTop && (
          <Alert color="red" variant="light" role="alert">
            {msg(revealTop)}
          </Alert>
        )}
        <Textarea
          ref={whyRef}
          label={t('reveal.reason')}
          description={t('reveal.reasonHint', { min: REVEAL_REASON_MIN })}
          value={why}
          onChange={(e) => {
            setWhy(e.currentTarget.value);
            setWhyError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !modPressed(e) && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void reveal();
            }
          }}
          error={whyError ? msg(whyError) : undefined}
          required
          autosize
          minRows={2}
          maxRows={6}
          maxLength={REVEAL_REASON_MAX + 20}
          data-autofocus
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          data-testid="foi-regions-reason"
        />
        <Text size="xs" c="dimmed" aria-live="polite" className="k-num">
          {t('reveal.count', { count: why.trim().length, min: REVEAL_REASON_MIN })}
        </Text>
        <Group>
          <Button onClick={() => void reveal()} loading={revealing} data-testid="foi-regions-reveal-submit">
            {t('foi.regions.reveal.submit')}
          </Button>
        </Group>
      </Stack>
    );
  } else if (loadError && !shot) {
    stage = (
      <Alert color="red" variant="light" role="alert" data-testid="foi-regions-load-error" maw="60ch">
        {msg(loadError.code === 'forbidden' ? { key: 'foi.regions.reveal.forbidden' } : foiErrorMsg(loadError))}
      </Alert>
    );
  } else if (!shot || !size || size.width === 0) {
    stage = (
      <Group gap="sm" data-testid="foi-regions-loading">
        <Loader size="sm" />
        <Text size="sm">{t('foi.regions.loading')}</Text>
      </Group>
    );
  } else {
    stage = (
      <div
        ref={pageRef}
        className="k-regions-page"
        data-readonly={readOnly || undefined}
        data-testid="foi-regions-page"
        data-page={page}
        role="group"
        aria-label={t('foi.regions.stage', { page })}
        tabIndex={-1}
        style={{ width: size.width, height: size.height }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
      >
        <img src={shot.image} alt={t('foi.regions.pageAlt', { page, pages: shot.pages, title })} draggable={false} data-testid="foi-regions-image" />
        {onPage.map((r) => {
          const n = number(r.id);
          const isSel = r.id === selected;
          const descId = `foi-region-box-${r.id}-desc`;
          return (
            <div
              key={r.id}
              className="k-region-box"
              role="button"
              tabIndex={0}
              aria-roledescription={t('foi.regions.roledescription')}
              aria-label={t('foi.regions.item', { n })}
              aria-describedby={`${descId} foi-regions-keys`}
              aria-keyshortcuts={readOnly ? undefined : `${BOX_SHORTCUTS} Enter`}
              aria-current={isSel ? 'true' : undefined}
              data-region-box={r.id}
              data-selected={isSel || undefined}
              data-testid="foi-regions-box"
              data-x={r.x}
              data-y={r.y}
              data-w={r.w}
              data-h={r.h}
              style={{ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` }}
              onFocus={() => setSelected(r.id)}
              onKeyDown={(e) => onBoxKey(e, r)}
            >
              <span className="k-region-number" aria-hidden>
                {n}
              </span>
              <span id={descId} hidden>
                {t('foi.regions.box', boxVars(r, lang))}, {regionGroundText(r, itemLabel, grounds, t)}
              </span>
              {isSel && !readOnly && <span className="k-region-handle" data-region-handle aria-hidden />}
            </div>
          );
        })}
        {preview && <div className="k-region-box k-region-preview" aria-hidden style={{ left: `${preview.x * 100}%`, top: `${preview.y * 100}%`, width: `${preview.w * 100}%`, height: `${preview.h * 100}%` }} />}
      </div>
    );
  }

  return (
    <Modal.Root opened onClose={requestClose} size="calc(min(98vw, 112rem))" yOffset="2dvh" closeOnEscape={false} closeOnClickOutside={false}>
      <Modal.Overlay />
      <Modal.Content data-testid="foi-regions-editor" className="k-regions-modal">
        {/* Mantine's content takes no key listener of its own: the editor's keys are heard here. */}
        <div ref={rootRef} onKeyDown={onKeyDown}>
          <Modal.Header component="div">
            <Modal.Title fw={650} fz="lg">
              {t(readOnly ? 'foi.regions.titleRead' : 'foi.regions.title', { title })}
            </Modal.Title>
            <Modal.CloseButton aria-label={t('common.close')} />
          </Modal.Header>
          <Modal.Body>
            <div className="k-regions">
              <div className="k-regions-main">
                <div className="k-regions-toolbar" role="toolbar" aria-label={pageLabel}>
                  <Group gap={6} wrap="nowrap">
                    <Button size="compact-sm" variant="default" onClick={() => goPage(page - 1)} disabled={page <= 1} aria-keyshortcuts="PageUp" data-testid="foi-regions-prev">
                      ‹ {t('foi.regions.prevPage')}
                    </Button>
                    <Text size="sm" fw={600} className="k-num k-nowrap" data-testid="foi-regions-pageof" aria-live="off">
                      {pageLabel}
                    </Text>
                    <Button size="compact-sm" variant="default" onClick={() => goPage(page + 1)} disabled={pageCount === null || page >= pageCount} aria-keyshortcuts="PageDown" data-testid="foi-regions-next">
                      {t('foi.regions.nextPage')} ›
                    </Button>
                  </Group>
                  <SegmentedControl
                    size="xs"
                    value={zoom}
                    onChange={(z) => setZoom(z as Zoom)}
                    data={[
                      { value: 'page', label: t('foi.regions.zoom.page') },
                      { value: 'width', label: t('foi.regions.zoom.width') },
                    ]}
                    aria-label={t('foi.regions.zoom')}
                    data-testid="foi-regions-zoom"
                  />
                  {!readOnly && (
                    <Button
                      ref={newRef}
                      size="compact-sm"
                      onClick={() => add()}
                      disabled={full || blind}
                      aria-keyshortcuts="N"
                      data-autofocus={blind ? undefined : true}
                      data-testid="foi-regions-new"
                      title={full ? t('foi.regions.max', { max: MAX_REGIONS }) : undefined}
                    >
                      + {t('foi.regions.new')} <kbd className="k-regions-kbd">N</kbd>
                    </Button>
                  )}
                </div>
                <div ref={stageRef} className="k-regions-stage" data-zoom={zoom} data-testid="foi-regions-stage">
                  {stage}
                </div>
              </div>

              <div className="k-regions-side">
                <section className="k-regions-selected" aria-labelledby="foi-regions-selected-title" data-testid="foi-regions-selected" data-region-id={selectedRegion?.id}>
                  <Text fw={600} size="sm" id="foi-regions-selected-title" component="h3" m={0}>
                    {selectedRegion ? t('foi.regions.itemOnPage', { n: selN, page: selectedRegion.page }) : t('foi.regions.selected')}
                  </Text>
                  {selectedRegion ? (
                    <Stack gap={8} mt={6}>
                      <Text size="sm" className="k-num" data-testid="foi-regions-selected-box">
                        {boxText(selectedRegion, t, lang)}
                      </Text>
                      {selErrors?.row && (
                        <Text size="sm" c="#a61b1b" data-testid="foi-regions-selected-error">
                          {msg(selErrors.row)}
                        </Text>
                      )}
                      {readOnly ? (
                        <Text size="sm">{regionGroundText(selectedRegion, itemLabel, grounds, t)}</Text>
                      ) : (
                        <>
                          <NativeSelect
                            ref={groundRef}
                            size="sm"
                            label={t('foi.regions.groundFor', { n: selN })}
                            value={selectedRegion.ground}
                            onChange={(e) => setGround(selectedRegion.id, e.currentTarget.value)}
                            data={groundOptions(inForce, grounds, selectedRegion.ground, itemLabel, lang)}
                            error={selErrors?.ground ? msg(selErrors.ground) : undefined}
                            data-testid="foi-regions-ground"
                          />
                          <Group>
                            <Button
                              size="compact-sm"
                              variant="outline"
                              color="red.9"
                              onClick={() => remove(selectedRegion.id)}
                              aria-keyshortcuts="Delete"
                              data-testid="foi-regions-remove"
                            >
                              {t('foi.regions.removeNamed', { n: selN })}
                            </Button>
                          </Group>
                        </>
                      )}
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed" mt={4}>
                      {readOnly ? t('foi.regions.noneSelectedRead') : t('foi.regions.noneSelected')}
                    </Text>
                  )}
                </section>

                <section aria-labelledby="foi-regions-list-title" className="k-regions-list">
                  <Text fw={600} size="sm" id="foi-regions-list-title" component="h3" m={0} mb={4}>
                    {t('foi.regions.list')} ({regions.length})
                  </Text>
                  <DataTable<RegionDraft>
                    id="foi-regions"
                    caption={t('foi.regions.list')}
                    columns={columns}
                    rows={regions}
                    rowKey={(r) => r.id}
                    onOpen={(r) => choose(r.id, true)}
                    onRowFocus={(r) => choose(r.id, false)}
                    exportable={false}
                    empty={t('foi.regions.empty')}
                    testId="foi-regions-table"
                    rowTestId="foi-regions-row"
                    rowProps={(r) => ({ 'data-region-id': r.id, 'data-selected': r.id === selected ? 'true' : undefined, 'data-page': String(r.page) })}
                    dense
                  />
                </section>

                <section className="k-regions-keys" aria-labelledby="foi-regions-keys-title">
                  <Text fw={600} size="xs" id="foi-regions-keys-title" component="h3" m={0}>
                    {t('foi.regions.keys.title')}
                  </Text>
                  <ul id="foi-regions-keys" data-testid="foi-regions-keys">
                    {readOnly ? (
                      <>
                        <li>{t('foi.regions.keys.select')}</li>
                        <li>{t('foi.regions.keys.pages')}</li>
                      </>
                    ) : (
                      <>
                        <li>{t('foi.regions.keys.new')}</li>
                        <li>{t('foi.regions.keys.select')}</li>
                        <li>{t('foi.regions.keys.move')}</li>
                        <li>{t('foi.regions.keys.resize')}</li>
                        <li>{t('foi.regions.keys.delete')}</li>
                        <li>{t('foi.regions.keys.ground')}</li>
                        <li>{t('foi.regions.keys.pages')}</li>
                        <li>{t('foi.regions.keys.mouse')}</li>
                      </>
                    )}
                  </ul>
                </section>
              </div>
            </div>

            <VisuallyHidden role="status" aria-live="polite" aria-atomic="true" data-testid="foi-regions-live">
              {said}
            </VisuallyHidden>

            {confirming ? (
              <div className="k-form-actions" role="group" aria-labelledby="foi-regions-discard-text" data-testid="foi-regions-discard">
                <Text id="foi-regions-discard-text" fw={600} mr="sm">
                  {t('foi.regions.discard')}
                </Text>
                <Group gap="sm">
                  <Button ref={stayRef} onClick={stay} data-testid="foi-regions-discard-stay">
                    {t('discard.stay')}
                  </Button>
                  <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} onClick={close} data-testid="foi-regions-discard-confirm">
                    {t('discard.discard')}
                  </Button>
                </Group>
              </div>
            ) : (
              <div className="k-form-actions">
                {readOnly ? (
                  <Button onClick={close} data-autofocus data-testid="foi-regions-close">
                    {t('common.close')}
                  </Button>
                ) : (
                  <>
                    <Button onClick={done} aria-keyshortcuts="Control+S" data-testid="foi-regions-done">
                      {t('foi.regions.done')}
                    </Button>
                    <Button variant="default" onClick={requestClose} aria-keyshortcuts="Escape" data-testid="foi-regions-cancel">
                      {t('common.cancel')}
                    </Button>
                    <Text size="sm" c="dimmed" ml="sm">
                      {t('foi.regions.keys.done', { mod: MOD })}
                    </Text>
                    {changed && (
                      <Text size="sm" ml="auto" fw={600} c="#6d4d00" data-testid="foi-regions-unsaved">
                        {t('common.unsaved')}
                      </Text>
                    )}
                  </>
                )}
              </div>
            )}
          </Modal.Body>
        </div>
      </Modal.Content>
    </Modal.Root>
  );
}
