/** Small constructors shared by the country parsers. */
import type { IdErrorCode, IdParseError } from './types';

export function fail(code: IdErrorCode, message: string): IdParseError {
  return { ok: false, code, message };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
export { pad2 };

/** "'x'" for printable characters, a code point for invisible ones (tabs, zero-width spaces). */
export function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || /\s/u.test(ch) || cp === 0x200b) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}
