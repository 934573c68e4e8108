/**
 * A document's masked regions in the secrecy review (issue 13, step 5), the pure part (no JSX): a region is a
 * box on one page as shares of the page's width and height from its top left (the core's `foiRegion`),
 * with its own ground or the item's. Here: keeping a box on the page (clamped, never smaller than a step),
 * moving and resizing it by keys (1 %, Shift 10 %) and by the mouse, a box drawn by dragging, where a new
 * region goes in the list (pages in order), the words for a box ("x 10 %, y 20 %, 30 × 5 %") and what the
 * live region announces, the page fitted into the stage, and the regions to and from the review.
 */
import type { FoiRegion } from '../../../../shared/api/foi';
import type { Lang } from '../../../../shared/i18n';
import { formatNumber } from '../../lib/format';
import type { TFn, TKey, TVars } from '../../lib/i18n';

/** A box on a page, in shares (0..1) of its width and height from the top left. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A region as the editor holds it: an id of its own (for React and the selection), its page, its ground ('' = the item's). */
export interface RegionDraft extends Box {
  id: string;
  page: number;
  ground: string;
}

export interface Point {
  x: number;
  y: number;
}

/** One key step (1 % of the page), and with Shift (10 %). */
export const STEP = 0.01;
export const BIG_STEP = 0.1;
/** No side is ever smaller than one step (a region of nothing masks nothing). */
export const MIN_SIDE = 0.01;
/** The core takes at most this many regions per item (shared/api/foi.ts). */
export const MAX_REGIONS = 500;
/** A new region by key: in the middle of the page, 30 % wide and 10 % high. */
export const NEW_BOX: Box = { x: 0.35, y: 0.45, w: 0.3, h: 0.1 };

/** Four decimals (a hundredth of a per cent): keys never pile up floating-point dust (0.30000000000000004). */
export const round = (n: number): number => Math.round(n * 10000) / 10000;
const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

/** The box kept on the page: each side at least MIN_SIDE and at most the page, its corner such that it ends inside. */
export function clampBox(b: Box): Box {
  const w = round(clamp(b.w, MIN_SIDE, 1));
  const h = round(clamp(b.h, MIN_SIDE, 1));
  const x = round(clamp(b.x, 0, 1 - w));
  const y = round(clamp(b.y, 0, 1 - h));
  return { x: Math.min(x, round(1 - w)), y: Math.min(y, round(1 - h)), w, h };
}

/** Moved by (dx, dy), its size kept; it stops at the page's edges. */
export function moveBox(b: Box, dx: number, dy: number): Box {
  const w = round(clamp(b.w, MIN_SIDE, 1));
  const h = round(clamp(b.h, MIN_SIDE, 1));
  return clampBox({ x: b.x + dx, y: b.y + dy, w, h });
}

/** Resized from its right and bottom edges by (dw, dh), its top left corner kept; never past the page nor under MIN_SIDE. */
export function resizeBox(b: Box, dw: number, dh: number): Box {
  const c = clampBox(b);
  return clampBox({ x: c.x, y: c.y, w: clamp(c.w + dw, MIN_SIDE, 1 - c.x), h: clamp(c.h + dh, MIN_SIDE, 1 - c.y) });
}

/** Whether a move or resize was stopped by the page's edge (or the smallest size): the announcement says so. */
export function stopped(asked: { dx: number; dy: number }, before: Box, after: Box, kind: 'move' | 'resize'): boolean {
  const got = kind === 'move' ? { dx: after.x - before.x, dy: after.y - before.y } : { dx: after.w - before.w, dy: after.h - before.h };
  const short = (want: number, have: number) => Math.abs(want) > 1e-9 && Math.abs(have - want) > 1e-6;
  return short(asked.dx, got.dx) || short(asked.dy, got.dy);
}

export type KeyAction = { kind: 'move'; dx: number; dy: number } | { kind: 'resize'; dw: number; dh: number } | { kind: 'delete' } | null;

export interface KeyLike {
  key: string;
  /** The physical key (Alt changes `key` on macOS: Alt+N gives "˜"). */
  code?: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

const ARROWS: Readonly<Record<string, [number, number]>> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * A key on a selected box: the arrows move it (1 %, Shift 10 %); Alt with the arrows resizes it from its
 * right and bottom edges (→ ↓ larger, ← ↑ smaller; Shift 10 %); Delete or Backspace removes it. Ctrl and ⌘
 * are left alone (the system's and the app's).
 */
export function keyAction(e: KeyLike): KeyAction {
  if (e.ctrlKey || e.metaKey) return null;
  if ((e.key === 'Delete' || e.key === 'Backspace') && !e.altKey && !e.shiftKey) return { kind: 'delete' };
  const dir = ARROWS[e.key];
  if (!dir) return null;
  const step = e.shiftKey ? BIG_STEP : STEP;
  const [a, b] = dir;
  return e.altKey ? { kind: 'resize', dw: a * step, dh: b * step } : { kind: 'move', dx: a * step, dy: b * step };
}

/** Applies a move or a resize to a box. */
export function applyKey(b: Box, a: Exclude<KeyAction, null | { kind: 'delete' }>): Box {
  return a.kind === 'move' ? moveBox(b, a.dx, a.dy) : resizeBox(b, a.dw, a.dh);
}

/** A pointer's place on the page in shares, kept on the page (the pointer may leave it while dragging). */
export function pointShare(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): Point {
  if (rect.width <= 0 || rect.height <= 0) return { x: 0, y: 0 };
  return { x: clamp((clientX - rect.left) / rect.width, 0, 1), y: clamp((clientY - rect.top) / rect.height, 0, 1) };
}

/** The box dragged from one corner to the other (any direction); null while it is smaller than a step either way (a click). */
export function boxFromDrag(from: Point, to: Point): Box | null {
  const x0 = clamp(Math.min(from.x, to.x), 0, 1);
  const y0 = clamp(Math.min(from.y, to.y), 0, 1);
  const x1 = clamp(Math.max(from.x, to.x), 0, 1);
  const y1 = clamp(Math.max(from.y, to.y), 0, 1);
  if (x1 - x0 < MIN_SIDE || y1 - y0 < MIN_SIDE) return null;
  return clampBox({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
}

/** The box as it was when the drag began, moved by how far the pointer went. */
export function moveByDrag(start: Box, from: Point, to: Point): Box {
  return moveBox(start, to.x - from.x, to.y - from.y);
}

/** The box as it was when the drag on its corner handle began, its bottom right corner where the pointer is. */
export function resizeByDrag(start: Box, to: Point): Box {
  return clampBox({ x: start.x, y: start.y, w: clamp(to.x - start.x, MIN_SIDE, 1 - start.x), h: clamp(to.y - start.y, MIN_SIDE, 1 - start.y) });
}

// ---------------------------------------------------------------------------------------------
// The list of regions
// ---------------------------------------------------------------------------------------------

let seq = 0;
/** An id for a region in the editor (never sent to the core). */
export const regionId = (): string => `region-${++seq}`;

/** The review's regions as the editor holds them, in the stored order. */
export function draftsOf(regions: readonly FoiRegion[]): RegionDraft[] {
  return regions.map((r) => ({ id: regionId(), page: r.page, ...clampBox(r), ground: r.ground ?? '' }));
}

/** The regions for foi.review: shares rounded and on the page, the item's ground as null. */
export function toFoiRegions(drafts: readonly RegionDraft[]): FoiRegion[] {
  return drafts.map((d) => ({ page: d.page, ...clampBox(d), ground: d.ground || null }));
}

/** Where a new region goes: after the last region of its page, before those of later pages (the list reads page by page). */
export function insertRegion(list: readonly RegionDraft[], r: RegionDraft): RegionDraft[] {
  let at = list.length;
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.page > r.page) {
      at = i;
      break;
    }
  }
  return [...list.slice(0, at), r, ...list.slice(at)];
}

/** A new region in the middle of a page, with the item's ground. */
export function newRegion(page: number, box: Box = NEW_BOX): RegionDraft {
  return { id: regionId(), page, ...clampBox(box), ground: '' };
}

/** One region changed (by id); the others as they were. */
export function replaceRegion(list: readonly RegionDraft[], id: string, patch: Partial<Omit<RegionDraft, 'id'>>): RegionDraft[] {
  return list.map((r) => (r.id === id ? { ...r, ...patch } : r));
}

/** The regions of one page (in the list's order). */
export const regionsOn = (list: readonly RegionDraft[], page: number): RegionDraft[] => list.filter((r) => r.page === page);

/** The region's number as the officer reads it (1 for the first in the list); 0 when it is not there. */
export const regionNumber = (list: readonly RegionDraft[], id: string): number => list.findIndex((r) => r.id === id) + 1;

/** What takes the selection after a region is removed: the next one on the same page, else the one before it there, else none. */
export function afterRemoval(list: readonly RegionDraft[], id: string): string | null {
  const gone = list.find((r) => r.id === id);
  if (!gone) return null;
  const same = regionsOn(list, gone.page);
  const i = same.findIndex((r) => r.id === id);
  return same[i + 1]?.id ?? same[i - 1]?.id ?? null;
}

/** Whether two lists hold the same regions (ids aside): the editor's "changed". */
export function sameRegions(a: readonly RegionDraft[], b: readonly RegionDraft[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((r, i) => {
    const o = b[i]!;
    return r.page === o.page && r.ground === o.ground && round(r.x) === round(o.x) && round(r.y) === round(o.y) && round(r.w) === round(o.w) && round(r.h) === round(o.h);
  });
}


/** The document's page count as the item's `pages` field says it; null when withheld or absent. */
export function pagesOf(fields: readonly { name: string; value: string | null }[]): number | null {
  const v = fields.find((f) => f.name === 'pages')?.value;
  const n = v == null ? NaN : Number(v);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

// ---------------------------------------------------------------------------------------------
// In words
// ---------------------------------------------------------------------------------------------

/** A share as a per cent, at most one decimal, in the reader's locale ("12,5" in Swedish). */
export function percent(share: number, lang: Lang): string {
  return formatNumber(Math.round(share * 1000) / 10, lang, { maximumFractionDigits: 1 });
}

/** The placeholders of a box in words: x, y, w, h as per cents. */
export function boxVars(b: Box, lang: Lang): TVars {
  return { x: percent(b.x, lang), y: percent(b.y, lang), w: percent(b.w, lang), h: percent(b.h, lang) };
}

/** "x 10 %, y 20 %, 30 × 5 %". */
export function boxText(b: Box, t: TFn, lang: Lang): string {
  return t('foi.regions.box', boxVars(b, lang));
}

export interface Msg {
  key: TKey;
  vars?: TVars;
}

export type Announcement =
  | { kind: 'moved' | 'resized'; n: number; box: Box; edge: boolean }
  | { kind: 'added'; n: number; page: number; box: Box }
  | { kind: 'removed'; n: number; left: number }
  | { kind: 'selected'; n: number; page: number; box: Box }
  | { kind: 'page'; page: number; pages: number; count: number }
  | { kind: 'ground'; n: number; ground: string };

/** What the live region says after a change (the box's place and size after a move or a resize; at the edge, that too). */
export function announce(a: Announcement, t: TFn, lang: Lang): string {
  switch (a.kind) {
    case 'moved':
    case 'resized': {
      const text = t('foi.regions.announce.box', { n: a.n, ...boxVars(a.box, lang) });
      return a.edge ? t('foi.regions.announce.edge', { text }) : text;
    }
    case 'added':
      return t('foi.regions.announce.added', { n: a.n, page: a.page, ...boxVars(a.box, lang) });
    case 'selected':
      return t('foi.regions.announce.selected', { n: a.n, page: a.page, ...boxVars(a.box, lang) });
    case 'removed':
      return t('foi.regions.announce.removed', { n: a.n, count: a.left });
    case 'page':
      return t('foi.regions.announce.page', { page: a.page, pages: a.pages, count: a.count });
    case 'ground':
      return t('foi.regions.announce.ground', { n: a.n, ground: a.ground });
  }
}

// ---------------------------------------------------------------------------------------------
// The page on the stage
// ---------------------------------------------------------------------------------------------

export type Zoom = 'page' | 'width';

/**
 * The page's size on the stage: the whole page in view ('page'), or as wide as the stage with the page
 * scrolling under it ('width'); never larger than twice the picture (a small image stays sharp enough).
 */
export function fitSize(availW: number, availH: number, w: number, h: number, zoom: Zoom): { width: number; height: number } {
  if (availW <= 0 || w <= 0 || h <= 0) return { width: 0, height: 0 };
  const byWidth = Math.min(availW, w * 2) / w;
  const scale = zoom === 'width' || availH <= 0 ? byWidth : Math.min(byWidth, availH / h);
  return { width: Math.floor(w * scale), height: Math.floor(h * scale) };
}

// ---------------------------------------------------------------------------------------------
// Shortcuts in the editor
// ---------------------------------------------------------------------------------------------

/** The editor's keys anywhere in it (not in a select or a text field): N (or Alt+N) a new region; PageUp/PageDown the pages. */
export function editorKey(e: KeyLike): 'new' | 'prevPage' | 'nextPage' | null {
  if (e.ctrlKey || e.metaKey) return null;
  if ((e.code === 'KeyN' || e.key === 'n' || e.key === 'N') && !e.shiftKey) return 'new';
  if (e.altKey || e.shiftKey) return null;
  if (e.key === 'PageUp') return 'prevPage';
  if (e.key === 'PageDown') return 'nextPage';
  return null;
}

/** The box's keys as aria-keyshortcuts says them. */
export const BOX_SHORTCUTS = 'ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown Delete';
