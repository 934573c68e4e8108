/**
 * i18next over the shared catalogs (flat keys with dots, so key/namespace separators are off).
 * The chosen language is kept in localStorage and mirrored to <html lang>, so screen readers switch
 * pronunciation together with the text.
 */
import i18next from 'i18next';
import { useCallback } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { catalogs, LANGUAGES, type Lang, type MessageId } from '../../../shared/i18n';

/** The language a user chose on this workstation (sign-in screen, menu, palette). */
const STORAGE_KEY = 'kansli.lang';
/**
 * The language of the municipality's country, remembered from the last auth.status so the next cold start
 * opens in it before the core has answered. Never a user's choice: STORAGE_KEY always wins.
 */
const COUNTRY_KEY = 'kansli.lang.country';

type PluralBase<K> = K extends `${infer B}_one` ? B : K extends `${infer B}_other` ? B : K;
/** A message id, or the base of a plural pair (`x_one`/`x_other`) used with `{ count }`. */
export type TKey = MessageId | PluralBase<MessageId>;
export type TVars = Record<string, string | number>;
export type TFn = (key: TKey, vars?: TVars) => string;

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** The UI language of a municipality's country: Norway → bokmål, Sweden (and unknown) → Swedish. */
export function langForCountry(country: string | null | undefined): Lang {
  return country === 'NO' ? 'nb' : 'sv';
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    // storage can be unavailable (privacy settings); the default is fine
    return null;
  }
}

/**
 * The language to start in: the user's own choice on this workstation, else the municipality's language
 * (as far as this workstation knows it yet), else Swedish.
 */
export function startLang(chosen: string | null, countryLang: string | null): Lang {
  if (isLang(chosen)) return chosen;
  if (isLang(countryLang)) return countryLang;
  return 'sv';
}

function storedLang(): Lang {
  return startLang(readStorage(STORAGE_KEY), readStorage(COUNTRY_KEY));
}

/**
 * The municipality's country is known (auth.status, session.info): a workstation where nobody chose a
 * language follows it. A user's choice is kept.
 */
export function followCountry(country: string | null | undefined): void {
  if (country !== 'SE' && country !== 'NO') return;
  const lang = langForCountry(country);
  try {
    window.localStorage.setItem(COUNTRY_KEY, lang);
  } catch {
    // not remembered; still followed for this session
  }
  if (isLang(readStorage(STORAGE_KEY))) return;
  if (currentLang() !== lang) {
    void i18next.changeLanguage(lang);
    document.documentElement.lang = lang;
  }
}

export function initI18n(): typeof i18next {
  const lng = storedLang();
  void i18next.use(initReactI18next).init({
    resources: {
      sv: { translation: catalogs.sv },
      nb: { translation: catalogs.nb },
      en: { translation: catalogs.en },
    },
    lng,
    fallbackLng: 'sv',
    supportedLngs: [...LANGUAGES],
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  } as Parameters<typeof i18next.init>[0]);
  document.documentElement.lang = lng;
  return i18next;
}

export function setLang(lang: Lang): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not persisted; still switched for this session
  }
}

export function currentLang(): Lang {
  const l = i18next.resolvedLanguage ?? i18next.language;
  return isLang(l) ? l : 'sv';
}

/** The typed translate function and the active language; re-renders on a language switch. */
export function useT(): { t: TFn; lang: Lang } {
  const { t, i18n } = useTranslation();
  const lang = isLang(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'sv';
  const tf = useCallback<TFn>((key, vars) => t(key as string, vars as never) as unknown as string, [t]);
  return { t: tf, lang };
}

/** Translate outside React (command palette labels are rebuilt on language change anyway). */
export const tStatic: TFn = (key, vars) => i18next.t(key as string, vars as never) as unknown as string;
