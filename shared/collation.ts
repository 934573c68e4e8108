/**
 * Alphabetical order as a Swedish or Norwegian clerk expects it, as a key whose plain binary order (SQLite's
 * BINARY collation, JavaScript's `<`) is that order, so SQL ordering and paging, in-memory sorts, PDFs and
 * CSVs all agree.
 *
 * - Swedish: … X Y Z Å Ä Ö. Ü sorts with Y, Æ with Ä, Ø with Ö (SAOL; Svenska skrivregler).
 * - Norwegian: … X Y Z Æ Ø Å. Ä sorts with Æ, Ö with Ø, Ü with Y (Norsk rettskrivning).
 * - Other accented letters sort with their base letter (é with e, ł with l); ß as ss, œ as oe, þ as th,
 *   ð and đ as d.
 * - Upper and lower case, and accents that do not make a letter of its own, decide only between names that
 *   are otherwise equal: "de la Cruz" and "De La Cruz", "Rene" and "René" stand together, in a fixed order.
 * - Spaces, hyphens and other punctuation separate words: "Anna Karin" comes before "Annabel", and
 *   "Anna-Karin" stands with "Anna Karin".
 */
export type CollationCountry = 'SE' | 'NO';

/** The three letters after Z, in order, as characters that sort after 'z' (0x7B–0x7D). */
const AFTER_Z = ['{', '|', '}'] as const;

/** Letters of the alphabet's end, by country: which of the three places after Z each one takes. */
const LAST_LETTERS: Record<CollationCountry, Record<string, string>> = {
  SE: { å: AFTER_Z[0], ä: AFTER_Z[1], æ: AFTER_Z[1], ö: AFTER_Z[2], ø: AFTER_Z[2] },
  NO: { æ: AFTER_Z[0], ä: AFTER_Z[0], ø: AFTER_Z[1], ö: AFTER_Z[1], å: AFTER_Z[2] },
};
const SPECIAL: Record<string, string> = { ü: 'y', ß: 'ss', œ: 'oe', þ: 'th', ð: 'd', đ: 'd', ł: 'l', ı: 'i' };

/**
 * The primary key of one text: letters and digits only, in the country's order (no case, no other accents).
 * Letters of other scripts (Ахмедов, Ψαρράς) keep their own letters and come after the country's alphabet.
 */
function primary(text: string, country: CollationCountry): string {
  const last = LAST_LETTERS[country];
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      // å ä ö ü are letters of their own (or, ü, sort as y): composed again before every other mark goes.
      .replace(/a[\u0308\u030a]|[ou]\u0308/g, (m) => m.normalize('NFC'))
      .replace(/\p{M}/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .replace(/[åäöæøüßœþðđłı]/g, (c) => last[c] ?? SPECIAL[c] ?? c)
  );
}

/**
 * The collation key of one text. Equal primaries are told apart by the text itself (NFC), so the order is
 * total and stable.
 */
export function collationKey(text: string, country: CollationCountry): string {
  return `${primary(text, country)}\u0001${text.normalize('NFC')}`;
}

/**
 * A person's sort key: family name, then given name, each by its primary key, then the names as written to
 * break ties. "\u0001" between the parts sorts before any letter, so "Berg, Åse" comes before "Bergman, Ada".
 */
export function personSortKey(p: { familyName: string; givenName: string }, country: CollationCountry): string {
  return `${primary(p.familyName, country)}\u0001${primary(p.givenName, country)}\u0001${p.familyName.normalize('NFC')}\u0001${p.givenName.normalize('NFC')}`;
}

/** Compares two texts in the country's alphabetical order (for sorts in memory). */
export function compareText(a: string, b: string, country: CollationCountry): number {
  const ka = collationKey(a, country);
  const kb = collationKey(b, country);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A comparator for `Array.prototype.sort` by a text field, keys computed once per element. */
export function sortByText<T>(items: readonly T[], textOf: (item: T) => string, country: CollationCountry): T[] {
  return items
    .map((item) => ({ item, key: collationKey(textOf(item), country) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.item);
}
