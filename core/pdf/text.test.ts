/**
 * Text preparation for PDFs without a PDF: which characters survive for a given font coverage, and how text
 * is wrapped and cut, with a measure where every grapheme is one point wide (combining marks zero), so the
 * expected lines can be written down.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ellipsize, graphemes, printable, REPLACEMENT, wrap } from './text';

/** A font with Latin-1, Latin Extended-A, combining diacritics, "…" and "�", but no Cyrillic or CJK. */
const covers = (cp: number) => (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0x17f) || (cp >= 0x300 && cp <= 0x36f) || cp === 0x2026 || cp === 0xfffd;
const prep = (text: string, keepLineBreaks = false) => {
  const replaced = new Set<string>();
  return { text: printable(text, covers, replaced, keepLineBreaks), replaced: [...replaced] };
};
const measure = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').length;

describe('printable', () => {
  it('keeps what the font has, in NFC: a decomposed name prints with the precomposed letters', () => {
    expect(prep('Åsa Öberg, Łukasz Żółć')).toEqual({ text: 'Åsa Öberg, Łukasz Żółć', replaced: [] });
    expect(prep('Zoe\u0308 Rene\u0301e').text).toBe('Zoë Renée');
  });

  it('prints a letter the font lacks decomposed when it has the parts, so the text stays the same', () => {
    // U+01DB (Ǜ) lies outside the coverage above; U, U+0308 and U+0300 lie inside.
    const out = prep('\u01DBber');
    expect(out.text).toBe('U\u0308\u0300ber');
    expect(out.text.normalize('NFC')).toBe('\u01DBber');
    expect(out.replaced).toEqual([]);
  });

  it('marks every other character with U+FFFD and reports it once', () => {
    expect(prep('Ахмедов 李 Ли')).toEqual({ text: `${REPLACEMENT.repeat(7)} ${REPLACEMENT} ${REPLACEMENT.repeat(2)}`, replaced: ['А', 'х', 'м', 'е', 'д', 'о', 'в', '李', 'Л', 'и'] });
    expect(prep('a\u0007b\uD800c').text).toBe(`a${REPLACEMENT}b${REPLACEMENT}c`);
  });

  it('turns line breaks and tabs into spaces (or "\\n" when asked) and drops invisible format characters', () => {
    expect(prep('a\tb\r\nc\u2028d').text).toBe('a b c d');
    expect(prep('a\r\nb\rc', true).text).toBe('a\nb\nc');
    expect(prep('Jo\u00ADhan\u200Dna\uFEFF').text).toBe('Johanna');
  });

  it('falls back to "?" when the font has no U+FFFD either', () => {
    expect(printable('a李', (cp) => cp < 0x80, new Set())).toBe('a?');
  });

  it('whatever the input, the output holds only covered characters and never throws', () => {
    const unit = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.nat(0xffff).map((n) => String.fromCharCode(n)) }));
    fc.assert(
      fc.property(unit, fc.boolean(), (s, keep) => {
        const out = printable(s, covers, new Set(), keep);
        return [...out].every((ch) => ch === '\n' || covers(ch.codePointAt(0)!));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ellipsize', () => {
  it('returns text that fits unchanged, and cuts the rest at a grapheme with "…" within the width', () => {
    expect(ellipsize('Jönsson', 7, measure)).toBe('Jönsson');
    expect(ellipsize('Jönsson', 5, measure)).toBe('Jöns…');
    // The cut never separates a base letter from its combining mark.
    expect(ellipsize('Nguye\u0302\u0303n Thi\u0323', 6, measure)).toBe('Nguye\u0302\u0303…');
    expect(ellipsize('Jönsson', 0, measure)).toBe('…');
  });

  it('does not leave a space before the ellipsis', () => {
    expect(ellipsize('Åsa Öberg', 5, measure)).toBe('Åsa…');
  });
});

describe('wrap', () => {
  it('breaks at spaces, inside a word only when the word alone is too wide', () => {
    expect(wrap('Anna Maria Andersson', 11, measure)).toEqual(['Anna Maria', 'Andersson']);
    expect(wrap('Đorđević-Ахмедов', 6, measure)).toEqual(['Đorđev', 'ić-Ахм', 'едов']);
    expect(graphemes(wrap('Đorđević-Ахмедов', 6, measure).join('')).length).toBe(16);
  });

  it('keeps hard line breaks and empty lines', () => {
    expect(wrap('a\n\nb c', 10, measure)).toEqual(['a', '', 'b c']);
  });

  it('stops at maxLines with "…" on the last line', () => {
    expect(wrap('one two three four', 5, measure, 2)).toEqual(['one', 'two…']);
  });
});
