/**
 * Countries and languages by name in the user's language, from their ISO codes (Intl.DisplayNames, ICU's
 * names): the card's and the pickers' names and the FOI extract's (citizenship, mother tongue). Shared so the
 * screens and the core's documents name them alike.
 */
import type { Lang } from './index';

/** The locale each language of the product formats in. */
export const LOCALES: Record<Lang, string> = { sv: 'sv-SE', nb: 'nb-NO', en: 'en-GB' };

const displayNames = new Map<string, Intl.DisplayNames | null>();
function names(lang: Lang, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = `${lang}:${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([LOCALES[lang]], { type, fallback: 'none' }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key) ?? null;
}

/** "SE" → "Sverige" (sv) / "Sverige" (nb) / "Sweden" (en); the code itself if Intl does not know it. */
export function countryName(code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  try {
    return names(lang, 'region')?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "ti" → "Tigrinja" (sv, nb) / "Tigrinya" (en), capitalised as a value standing alone; the code if unknown. */
export function languageName(code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  try {
    const n = names(lang, 'language')?.of(code);
    return n ? n.charAt(0).toLocaleUpperCase(LOCALES[lang]) + n.slice(1) : code;
  } catch {
    return code;
  }
}
