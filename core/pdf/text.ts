/**
 * Text preparation for PDFs, independent of pdf-lib so it can be tested with any measure: which characters
 * can be printed with a font, and how a string is wrapped or cut to a width.
 *
 * Fallback for characters the font lacks (DejaVu Sans has about 5 900; it lacks e.g. CJK ideographs):
 * 1. Text is put in NFC first, so a name stored decomposed ("e" + U+0301) prints with the font's
 *    precomposed glyph and extracts as the same NFC string it was stored as.
 * 2. A character the font lacks but whose canonical decomposition it has is printed decomposed: the same
 *    text, drawn as base letter plus combining mark.
 * 3. Anything else, including control characters and unpaired surrogates, prints as U+FFFD "�" (a visible
 *    marker, never a silent omission or a guessed look-alike: a list must not show a name that reads as
 *    someone else's) and is reported to the caller, who can warn the user.
 * Default-ignorable code points (zero-width joiners, variation selectors, soft hyphens, BOM) are dropped:
 * they are invisible in any rendering, and fonts rarely map them.
 *
 * Known limits, acceptable for register data (the Nordic population registers hold Latin-script names):
 * no bidirectional reordering of mixed right-to-left and left-to-right text on one line, and a combining
 * mark that has no precomposed form with its base is drawn at the font's default mark position (pdf-lib
 * draws glyphs by advance width and does not apply the font's mark positioning).
 */

export const REPLACEMENT = '\uFFFD';
export const ELLIPSIS = '\u2026';

/** Width of a (prepared) string in points. */
export type Measure = (text: string) => number;

const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g;
const OTHER_SPACE = /[\t\v\f]/g;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const CONTROL = /^\p{Cc}$/u;

/**
 * `text` reduced to what `covers` can draw (see the file comment). Line breaks become spaces unless
 * `keepLineBreaks`, in which case they are normalised to "\n". Characters replaced by the marker are added
 * to `replaced`.
 */
export function printable(text: string, covers: (codePoint: number) => boolean, replaced: Set<string>, keepLineBreaks = false): string {
  const marker = covers(REPLACEMENT.codePointAt(0)!) ? REPLACEMENT : '?';
  const flat = text
    .replace(LINE_BREAKS, keepLineBreaks ? '\n' : ' ')
    .replace(OTHER_SPACE, ' ')
    .replace(IGNORABLE, '')
    .normalize('NFC');
  let out = '';
  for (const ch of flat) {
    if (ch === '\n') {
      out += ch;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (!CONTROL.test(ch) && covers(cp)) {
      out += ch;
      continue;
    }
    const decomposed = ch.normalize('NFD');
    if (decomposed !== ch && [...decomposed].every((c) => covers(c.codePointAt(0)!))) {
      out += decomposed;
      continue;
    }
    replaced.add(ch);
    out += marker;
  }
  return out;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: a cut never separates a letter from its combining marks. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * `text` cut to fit `width`, ending in "…" when cut (or always, with `force`: the last line of a wrapped
 * text that had to stop early). An ellipsis alone is returned when not even one character fits.
 */
export function ellipsize(text: string, width: number, measure: Measure, force = false): string {
  if (!force && measure(text) <= width) return text;
  const parts = graphemes(text.trimEnd());
  const cut = (n: number) => `${parts.slice(0, n).join('').trimEnd()}${ELLIPSIS}`;
  let lo = 0;
  let hi = force ? parts.length : parts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(cut(mid)) <= width) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

/**
 * `text` broken into lines no wider than `width`: at spaces where possible, inside a word (between
 * graphemes) only when the word alone is too wide, at every "\n". More than `maxLines` lines are cut, the
 * last one ending in "…".
 */
export function wrap(text: string, width: number, measure: Measure, maxLines = Infinity): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      if (measure(word) <= width) {
        line = word;
        continue;
      }
      for (const g of graphemes(word)) {
        if (line && measure(line + g) > width) {
          lines.push(line);
          line = '';
        }
        line += g;
      }
    }
    lines.push(line);
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(1, maxLines));
  kept[kept.length - 1] = ellipsize(kept[kept.length - 1]!, width, measure, true);
  return kept;
}
