/**
 * For unit tests of text-making code (explanations, rules): `t` straight from the catalogs, with the
 * placeholders filled in and plurals by count as i18next picks them, without starting i18next. An id that
 * no catalog has throws, so a test also proves every id it makes exists.
 */
import { catalogs, type Lang } from '../../../shared/i18n';
import type { TKey, TVars } from './i18n';

export function catalogText(lang: Lang): (k: TKey, v?: TVars) => string {
  const cat = catalogs[lang] as Record<string, string>;
  return (k, v) => {
    const plural = v && typeof v.count === 'number' ? `${k}_${v.count === 1 ? 'one' : 'other'}` : null;
    const text = (plural && cat[plural]) ?? cat[k];
    if (text === undefined) throw new Error(`no message ${k}`);
    return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => String(v?.[name] ?? `{{${name}}}`));
  };
}
