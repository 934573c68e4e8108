/**
 * Message catalogs for the UI: Swedish (default), Norwegian bokmål and English.
 * Pure data, importable by the renderer and by the core (e.g. for generated documents).
 */
import { en } from './en';
import { nb } from './nb';
import { sv, type MessageId } from './sv';

export const LANGUAGES = ['sv', 'nb', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export type { MessageId };

/** Each language's name in itself (how a language menu should list them). */
export const LANGUAGE_NAMES: Record<Lang, string> = { sv: 'Svenska', nb: 'Norsk bokmål', en: 'English' };

export const catalogs: Record<Lang, Record<MessageId, string>> = { sv, nb, en };

/** `{{name}}` placeholders of a message, sorted and unique. */
export function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string))].sort();
}
