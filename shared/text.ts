/**
 * Search normalisation shared by the core (indexing) and the UI (highlighting).
 * Clerks type without diacritics ("ostlund" must find Östlund, "sorensen" Sørensen), so names are folded:
 * NFKD + combining marks removed covers å ä ö é ü …; ø, æ, ð, þ, ß have no decomposition and are mapped.
 */
const SPECIAL: Record<string, string> = { ø: 'o', æ: 'ae', ð: 'd', þ: 'th', ß: 'ss', ł: 'l', đ: 'd', ı: 'i', œ: 'oe' };

export function foldText(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øæðþßłđıœ]/g, (c) => SPECIAL[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Words of a folded string, e.g. "Anna-Karin Östlund" → ["anna", "karin", "ostlund"]. */
export function foldWords(s: string): string[] {
  const f = foldText(s);
  return f ? f.split(' ') : [];
}
