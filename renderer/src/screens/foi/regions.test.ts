/**
 * A document's masked regions, the pure part: a box kept on its page (clamped, never smaller than a step),
 * moved and resized by keys (1 %, Shift 10 %, Alt resizes) and by the mouse, drawn by dragging, the list's
 * order and what takes the selection after a removal, the regions to and from the review (what the editor
 * sends always passes the contract's own schema), the words for a box and what the live region announces
 * (from the real catalogs, in all three languages), the page fitted into the stage and the editor's keys.
 */
import { describe, expect, it } from 'vitest';
import { foiRegion } from '../../../../shared/api/foi';
import { catalogText } from '../../lib/catalog-text';
import {
  afterRemoval,
  announce,
  applyKey,
  BIG_STEP,
  boxFromDrag,
  boxText,
  clampBox,
  draftsOf,
  editorKey,
  fitSize,
  insertRegion,
  keyAction,
  MIN_SIDE,
  moveBox,
  moveByDrag,
  NEW_BOX,
  newRegion,
  pagesOf,
  percent,
  pointShare,
  regionNumber,
  regionsOn,
  replaceRegion,
  resizeBox,
  resizeByDrag,
  round,
  sameRegions,
  STEP,
  stopped,
  toFoiRegions,
  type Box,
  type KeyLike,
  type RegionDraft,
} from './regions';

const sv = catalogText('sv');
const nb = catalogText('nb');
const en = catalogText('en');
const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });
const box = (x: number, y: number, w: number, h: number): Box => ({ x, y, w, h });
const draft = (id: string, page: number, b: Box = NEW_BOX, ground = ''): RegionDraft => ({ id, page, ...b, ground });
/** On the page: inside it, each side at least a step. */
const onPage = (b: Box) => b.x >= 0 && b.y >= 0 && b.w >= MIN_SIDE && b.h >= MIN_SIDE && b.x + b.w <= 1 + 1e-9 && b.y + b.h <= 1 + 1e-9;

describe('a box on its page', () => {
  it('stays as it is when it is on the page (rounded to a hundredth of a per cent)', () => {
    expect(clampBox(box(0.1, 0.2, 0.3, 0.05))).toEqual(box(0.1, 0.2, 0.3, 0.05));
    expect(clampBox(box(0.123456, 0.2, 0.3, 0.05))).toEqual(box(0.1235, 0.2, 0.3, 0.05));
    expect(round(0.1 + 0.2)).toBe(0.3);
  });

  it('is pulled onto the page: a corner off the page, a side past its edge, a side of nothing or larger than the page', () => {
    expect(clampBox(box(-0.2, -0.1, 0.3, 0.1))).toEqual(box(0, 0, 0.3, 0.1));
    expect(clampBox(box(0.9, 0.95, 0.3, 0.1))).toEqual(box(0.7, 0.9, 0.3, 0.1));
    expect(clampBox(box(0.5, 0.5, 0, 0.001))).toEqual(box(0.5, 0.5, MIN_SIDE, MIN_SIDE));
    expect(clampBox(box(0.2, 0.3, 1.5, 2))).toEqual(box(0, 0, 1, 1));
  });

  it('moves by steps without floating-point dust, and stops at the edges with its size kept', () => {
    let b = box(0.1, 0.1, 0.3, 0.05);
    for (let i = 0; i < 3; i++) b = moveBox(b, STEP, 0);
    expect(b).toEqual(box(0.13, 0.1, 0.3, 0.05));
    b = moveBox(b, -BIG_STEP * 5, -BIG_STEP * 5);
    expect(b).toEqual(box(0, 0, 0.3, 0.05));
    b = moveBox(box(0.65, 0.9, 0.3, 0.05), BIG_STEP, BIG_STEP);
    expect(b).toEqual(box(0.7, 0.95, 0.3, 0.05));
  });

  it('resizes from its right and bottom edges, its corner kept: never past the page, never under a step', () => {
    expect(resizeBox(box(0.1, 0.2, 0.3, 0.05), STEP, 0)).toEqual(box(0.1, 0.2, 0.31, 0.05));
    expect(resizeBox(box(0.1, 0.2, 0.3, 0.05), 0, BIG_STEP)).toEqual(box(0.1, 0.2, 0.3, 0.15));
    expect(resizeBox(box(0.8, 0.9, 0.15, 0.05), BIG_STEP, BIG_STEP)).toEqual(box(0.8, 0.9, 0.2, 0.1));
    expect(resizeBox(box(0.1, 0.2, 0.015, 0.02), -BIG_STEP, -STEP)).toEqual(box(0.1, 0.2, MIN_SIDE, MIN_SIDE));
  });

  it('tells when a move or a resize was stopped by the edge (or the smallest size)', () => {
    const b = box(0.65, 0.5, 0.3, 0.05);
    expect(stopped({ dx: BIG_STEP, dy: 0 }, b, moveBox(b, BIG_STEP, 0), 'move')).toBe(true);
    expect(stopped({ dx: STEP, dy: 0 }, b, moveBox(b, STEP, 0), 'move')).toBe(false);
    expect(stopped({ dx: 0, dy: -STEP }, b, moveBox(b, 0, -STEP), 'move')).toBe(false);
    expect(stopped({ dx: BIG_STEP, dy: 0 }, b, resizeBox(b, BIG_STEP, 0), 'resize')).toBe(true);
    const small = box(0.1, 0.1, MIN_SIDE, 0.2);
    expect(stopped({ dx: -STEP, dy: 0 }, small, resizeBox(small, -STEP, 0), 'resize')).toBe(true);
    expect(stopped({ dx: 0, dy: -STEP }, small, resizeBox(small, 0, -STEP), 'resize')).toBe(false);
  });

  it('stays on the page whatever keys are pressed (a thousand random presses from random boxes)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const keys = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
    for (let run = 0; run < 20; run++) {
      let b = clampBox(box(rnd(), rnd(), rnd(), rnd()));
      for (let i = 0; i < 50; i++) {
        const a = keyAction(key(keys[Math.floor(rnd() * 4)]!, { shiftKey: rnd() < 0.3, altKey: rnd() < 0.4 }));
        expect(a).not.toBeNull();
        if (!a || a.kind === 'delete') continue;
        b = applyKey(b, a);
        expect(onPage(b), JSON.stringify(b)).toBe(true);
        expect(foiRegion.safeParse({ page: 1, ...b, ground: null }).success, JSON.stringify(b)).toBe(true);
      }
    }
  });
});

describe('keys on a selected box', () => {
  it('move with the arrows (1 %, Shift 10 %), resize with Alt and the arrows (→ ↓ larger, ← ↑ smaller), remove with Delete or Backspace', () => {
    expect(keyAction(key('ArrowRight'))).toEqual({ kind: 'move', dx: STEP, dy: 0 });
    expect(keyAction(key('ArrowUp', { shiftKey: true }))).toEqual({ kind: 'move', dx: 0, dy: -BIG_STEP });
    expect(keyAction(key('ArrowLeft', { altKey: true }))).toEqual({ kind: 'resize', dw: -STEP, dh: 0 });
    expect(keyAction(key('ArrowDown', { altKey: true, shiftKey: true }))).toEqual({ kind: 'resize', dw: 0, dh: BIG_STEP });
    expect(keyAction(key('Delete'))).toEqual({ kind: 'delete' });
    expect(keyAction(key('Backspace'))).toEqual({ kind: 'delete' });
  });

  it('leave Ctrl and ⌘ to the system and the app, and ignore other keys', () => {
    expect(keyAction(key('ArrowRight', { ctrlKey: true }))).toBeNull();
    expect(keyAction(key('ArrowRight', { metaKey: true }))).toBeNull();
    expect(keyAction(key('Delete', { shiftKey: true }))).toBeNull();
    expect(keyAction(key('a'))).toBeNull();
    expect(keyAction(key('Enter'))).toBeNull();
    expect(keyAction(key('Tab'))).toBeNull();
  });

  it('apply a move or a resize to the box', () => {
    const b = box(0.1, 0.2, 0.3, 0.05);
    expect(applyKey(b, { kind: 'move', dx: STEP, dy: -STEP })).toEqual(box(0.11, 0.19, 0.3, 0.05));
    expect(applyKey(b, { kind: 'resize', dw: -BIG_STEP, dh: STEP })).toEqual(box(0.1, 0.2, 0.2, 0.06));
  });

  it('in the editor: N (or Alt+N, by the physical key) a new region; PageUp/PageDown the pages; nothing with Ctrl, ⌘ or Shift', () => {
    expect(editorKey(key('n'))).toBe('new');
    expect(editorKey(key('N'))).toBe('new');
    expect(editorKey(key('˜', { altKey: true, code: 'KeyN' }))).toBe('new');
    expect(editorKey(key('N', { shiftKey: true }))).toBeNull();
    expect(editorKey(key('n', { ctrlKey: true }))).toBeNull();
    expect(editorKey(key('PageUp'))).toBe('prevPage');
    expect(editorKey(key('PageDown'))).toBe('nextPage');
    expect(editorKey(key('PageDown', { shiftKey: true }))).toBeNull();
    expect(editorKey(key('PageDown', { altKey: true }))).toBeNull();
    expect(editorKey(key('m'))).toBeNull();
  });
});

describe('the mouse', () => {
  const rect = { left: 100, top: 50, width: 400, height: 800 };

  it('places the pointer on the page in shares, kept on the page while it drags outside', () => {
    expect(pointShare(300, 450, rect)).toEqual({ x: 0.5, y: 0.5 });
    expect(pointShare(50, 900, rect)).toEqual({ x: 0, y: 1 });
    expect(pointShare(120, 50, { ...rect, width: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('draws a box from corner to corner in any direction; a click (less than a step) draws none', () => {
    expect(boxFromDrag({ x: 0.1, y: 0.2 }, { x: 0.4, y: 0.25 })).toEqual(box(0.1, 0.2, 0.3, 0.05));
    expect(boxFromDrag({ x: 0.4, y: 0.25 }, { x: 0.1, y: 0.2 })).toEqual(box(0.1, 0.2, 0.3, 0.05));
    expect(boxFromDrag({ x: 0.4, y: 0.2 }, { x: 0.1, y: 0.25 })).toEqual(box(0.1, 0.2, 0.3, 0.05));
    expect(boxFromDrag({ x: 0.4, y: 0.2 }, { x: 0.405, y: 0.6 })).toBeNull();
    expect(boxFromDrag({ x: 0.4, y: 0.2 }, { x: 0.4, y: 0.2 })).toBeNull();
  });

  it('moves a box by how far the pointer went (from where the drag began), stopping at the edges', () => {
    const start = box(0.1, 0.2, 0.3, 0.05);
    expect(moveByDrag(start, { x: 0.2, y: 0.22 }, { x: 0.3, y: 0.32 })).toEqual(box(0.2, 0.3, 0.3, 0.05));
    expect(moveByDrag(start, { x: 0.2, y: 0.22 }, { x: 1, y: 1 })).toEqual(box(0.7, 0.95, 0.3, 0.05));
  });

  it('resizes a box by its corner: the bottom right corner where the pointer is, never above or left of its top left corner', () => {
    const start = box(0.1, 0.2, 0.3, 0.05);
    expect(resizeByDrag(start, { x: 0.5, y: 0.4 })).toEqual(box(0.1, 0.2, 0.4, 0.2));
    expect(resizeByDrag(start, { x: 0, y: 0 })).toEqual(box(0.1, 0.2, MIN_SIDE, MIN_SIDE));
    expect(resizeByDrag(start, { x: 1, y: 1 })).toEqual(box(0.1, 0.2, 0.9, 0.8));
  });
});

describe('the list of regions', () => {
  it('takes the review\'s regions with ids of their own and gives them back to foi.review as the contract wants them', () => {
    const stored = [
      { page: 2, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: null },
      { page: 1, x: 0.05, y: 0.05, w: 0.9, h: 0.15, ground: 'se_osl_23_2' },
    ];
    const drafts = draftsOf(stored);
    expect(drafts.map((d) => [d.page, d.ground])).toEqual([
      [2, ''],
      [1, 'se_osl_23_2'],
    ]);
    expect(new Set(drafts.map((d) => d.id)).size).toBe(2);
    expect(toFoiRegions(drafts)).toEqual(stored);
    // A box a little off the page (an old value, a rounding) goes back on it: the schema takes what is sent.
    const off = toFoiRegions([draft('a', 1, box(0.80004, 0.5, 0.2, 0.1))]);
    expect(off).toEqual([{ page: 1, x: 0.8, y: 0.5, w: 0.2, h: 0.1, ground: null }]);
    for (const r of off) expect(foiRegion.safeParse(r).success).toBe(true);
  });

  it('puts a new region after the last of its page, before those of later pages; in the middle of the page by key', () => {
    const list = [draft('a', 1), draft('b', 1), draft('c', 3)];
    expect(insertRegion(list, draft('d', 1)).map((r) => r.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(insertRegion(list, draft('e', 2)).map((r) => r.id)).toEqual(['a', 'b', 'e', 'c']);
    expect(insertRegion(list, draft('f', 3)).map((r) => r.id)).toEqual(['a', 'b', 'c', 'f']);
    expect(insertRegion([], draft('g', 5)).map((r) => r.id)).toEqual(['g']);
    const n = newRegion(4);
    expect([n.page, n.x, n.y, n.w, n.h, n.ground]).toEqual([4, 0.35, 0.45, 0.3, 0.1, '']);
    expect(n.x + n.w / 2).toBeCloseTo(0.5);
    expect(n.y + n.h / 2).toBeCloseTo(0.5);
    expect(newRegion(1, box(0.9, 0.9, 0.3, 0.3))).toMatchObject(box(0.7, 0.7, 0.3, 0.3));
  });

  it('changes one region by id, lists a page\'s, numbers them from 1 in the list\'s order', () => {
    const list = [draft('a', 1), draft('b', 2), draft('c', 1)];
    expect(replaceRegion(list, 'b', { ground: 'se_osl_21_1' }).map((r) => r.ground)).toEqual(['', 'se_osl_21_1', '']);
    expect(regionsOn(list, 1).map((r) => r.id)).toEqual(['a', 'c']);
    expect(regionsOn(list, 9)).toEqual([]);
    expect([regionNumber(list, 'a'), regionNumber(list, 'c'), regionNumber(list, 'zzz')]).toEqual([1, 3, 0]);
  });

  it('hands the selection after a removal to the next region of the same page, else the one before it there, else none', () => {
    const list = [draft('a', 1), draft('b', 1), draft('c', 2), draft('d', 1)];
    expect(afterRemoval(list, 'a')).toBe('b');
    expect(afterRemoval(list, 'b')).toBe('d');
    expect(afterRemoval(list, 'd')).toBe('b');
    expect(afterRemoval(list, 'c')).toBeNull();
    expect(afterRemoval(list, 'zzz')).toBeNull();
  });

  it('knows when the list changed (ids aside; a shift smaller than the rounding is no change)', () => {
    const list = [draft('a', 1, box(0.1, 0.2, 0.3, 0.05)), draft('b', 2)];
    const same = list.map((r, i) => ({ ...r, id: `x${i}` }));
    expect(sameRegions(list, same)).toBe(true);
    expect(sameRegions(list, replaceRegion(list, 'a', { x: 0.100001 }))).toBe(true);
    expect(sameRegions(list, replaceRegion(list, 'a', { x: 0.11 }))).toBe(false);
    expect(sameRegions(list, replaceRegion(list, 'b', { ground: 'se_osl_23_1' }))).toBe(false);
    expect(sameRegions(list, replaceRegion(list, 'b', { page: 3 }))).toBe(false);
    expect(sameRegions(list, list.slice(1))).toBe(false);
    expect(sameRegions(list, [...list].reverse())).toBe(false);
  });

  it('reads the document\'s page count from the item (none when withheld or not a number)', () => {
    expect(pagesOf([{ name: 'title', value: 'Beslut' }, { name: 'pages', value: '5' }])).toBe(5);
    expect(pagesOf([{ name: 'pages', value: null }])).toBeNull();
    expect(pagesOf([{ name: 'pages', value: '0' }])).toBeNull();
    expect(pagesOf([{ name: 'pages', value: '2.5' }])).toBeNull();
    expect(pagesOf([])).toBeNull();
  });
});

describe('in words', () => {
  it('writes a share as a per cent with at most one decimal, in the reader\'s locale', () => {
    expect(percent(0.1, 'sv')).toBe('10');
    expect(percent(0.125, 'sv')).toBe('12,5');
    expect(percent(0.125, 'nb')).toBe('12,5');
    expect(percent(0.125, 'en')).toBe('12.5');
    expect(percent(0.12345, 'en')).toBe('12.3');
    expect(percent(1, 'sv')).toBe('100');
  });

  it('says a box as "x 10 %, y 20 %, 30 × 5 %"', () => {
    expect(boxText(box(0.1, 0.2, 0.3, 0.05), sv, 'sv')).toBe('x 10 %, y 20 %, 30 × 5 %');
    expect(boxText(box(0.105, 0.2, 0.3, 0.05), en, 'en')).toBe('x 10.5 %, y 20 %, 30 × 5 %');
  });

  it('announces a move, a resize (at the edge too), an addition, a selection, a removal, a page and a ground', () => {
    const b = box(0.1, 0.2, 0.3, 0.05);
    expect(announce({ kind: 'moved', n: 2, box: b, edge: false }, sv, 'sv')).toBe('Område 2: x 10 %, y 20 %, 30 × 5 %');
    expect(announce({ kind: 'resized', n: 2, box: b, edge: true }, sv, 'sv')).toBe('Område 2: x 10 %, y 20 %, 30 × 5 % (vid sidans kant)');
    expect(announce({ kind: 'added', n: 3, page: 2, box: NEW_BOX }, sv, 'sv')).toBe('Område 3 tillagt på sida 2: x 35 %, y 45 %, 30 × 10 %');
    expect(announce({ kind: 'selected', n: 1, page: 4, box: b }, sv, 'sv')).toBe('Område 1, sida 4: x 10 %, y 20 %, 30 × 5 %');
    expect(announce({ kind: 'removed', n: 2, left: 1 }, sv, 'sv')).toBe('Område 2 borttaget. 1 område kvar.');
    expect(announce({ kind: 'removed', n: 1, left: 0 }, sv, 'sv')).toBe('Område 1 borttaget. 0 områden kvar.');
    expect(announce({ kind: 'page', page: 2, pages: 5, count: 1 }, sv, 'sv')).toBe('Sida 2 av 5: 1 område');
    expect(announce({ kind: 'page', page: 3, pages: 5, count: 0 }, sv, 'sv')).toBe('Sida 3 av 5: 0 områden');
    expect(announce({ kind: 'ground', n: 2, ground: 'OSL 23:1' }, sv, 'sv')).toBe('Område 2: OSL 23:1');
    expect(announce({ kind: 'moved', n: 2, box: b, edge: true }, nb, 'nb')).toBe('Område 2: x 10 %, y 20 %, 30 × 5 % (ved sidekanten)');
    expect(announce({ kind: 'page', page: 2, pages: 5, count: 2 }, nb, 'nb')).toBe('Side 2 av 5: 2 områder');
    expect(announce({ kind: 'added', n: 1, page: 1, box: b }, en, 'en')).toBe('Region 1 added on page 1: x 10 %, y 20 %, 30 × 5 %');
    expect(announce({ kind: 'removed', n: 3, left: 2 }, en, 'en')).toBe('Region 3 removed. 2 regions left.');
  });
});

describe('the page on the stage', () => {
  it('shows the whole page, or the page as wide as the stage (scrolling), never over twice the picture', () => {
    // An A4 page at 100 dpi on a stage 900 × 600.
    expect(fitSize(900, 600, 827, 1169, 'page')).toEqual({ width: 424, height: 600 });
    expect(fitSize(900, 600, 827, 1169, 'width')).toEqual({ width: 900, height: 1272 });
    // A landscape page: the whole of it by the stage's height, or on a narrow stage by its width.
    expect(fitSize(900, 600, 1169, 827, 'page')).toEqual({ width: 848, height: 600 });
    expect(fitSize(500, 600, 1169, 827, 'page')).toEqual({ width: 500, height: 353 });
    // A small picture is not blown up past twice its size.
    expect(fitSize(2000, 2000, 300, 400, 'width')).toEqual({ width: 600, height: 800 });
    expect(fitSize(0, 600, 827, 1169, 'page')).toEqual({ width: 0, height: 0 });
    expect(fitSize(900, 0, 827, 1169, 'page')).toEqual({ width: 900, height: 1272 });
  });
});
