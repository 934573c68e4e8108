/**
 * Reader for legacy systems' CSV exports (a municipality leaving SATS GS, Extens, an old IST dump …): a file and
 * a saved column mapping (csv-mappings.ts) become the same item stream as the Navet and Folkeregisteret readers —
 * a header, then records and problems in file order, then a summary — so the diff and apply steps need nothing
 * CSV-specific. Memory stays bounded: the file is decoded and parsed chunk by chunk, one row is held at a time
 * (and a row is capped at `maxRowChars`, so that a quote that never closes cannot swallow the file).
 *
 * Parsing: RFC 4180 — fields separated by ',', ';' or tab, quoted fields with doubled quotes and embedded line
 * breaks, CRLF, LF or a lone CR (old Mac exports) ending a row. Lines are counted as an editor counts them, also
 * inside quoted values, so a problem's line is where the row starts in the file the clerk opens. Beyond the RFC,
 * because legacy exports are like this: a quote inside an unquoted value is kept as text (`5'11"`); text after a
 * closing quote (`"Anna "Lillan" Berg"`, an undoubled quote) is kept too, as Python's csv does, so the row keeps
 * its shape, but the row is reported (`stray_quote`) and skipped since its values are uncertain; blank rows and
 * rows of empty cells (what Excel leaves of deleted rows) are skipped silently; Excel's `sep=;` first line names
 * the separator. Otherwise the separator is the mapping's, or the one of ';', tab, ',' that occurs most often
 * outside quotes in the header line (';' first on a tie: Nordic Excel writes ';', the comma being the decimal
 * sign).
 *
 * Encoding: a UTF-8 byte-order mark means UTF-8, a UTF-16 one UTF-16 (Excel's "Unicode text"). Without one, the
 * bytes are ASCII until the first byte ≥ 0x80 — identical in UTF-8 and Windows-1252, so nothing has to be decided
 * before that. At that byte, up to LOOKAHEAD bytes from it are checked with a strict UTF-8 decoder: if they are
 * valid UTF-8 the file is read as UTF-8, otherwise as Windows-1252. The check is reliable for Nordic text: in
 * Windows-1252 å, ä, ö, ø, æ are single bytes ≥ 0xE4 followed by a plain letter, which is never valid UTF-8. A
 * file that changes encoding further on (two exports concatenated) decodes to U+FFFD there; such cells are
 * reported as `bad_encoding` and their rows skipped. A zip container (.xlsx), an OLE file (.xls) or zero bytes in
 * the first 512 bytes (binary, or UTF-16 without a mark) stop the file.
 *
 * Mapping to PopulationRecord: every row is a partial record (`partialMode: 'replace_parts'`) stating only the
 * parts the mapping provides, so a part the legacy system did not export is left alone in the register. A
 * legacy file never lists who has left, so the file is a delta. Parts: identity, name and birth always (they are
 * required); sex when a sex column is mapped or the identity number encodes it; the address (as the registered
 * address) when any address column is mapped; contacts when a phone, mobile or e-mail column is; relations
 * (guardians as `custodian`) when a guardian column is; protection only when the protection cell says something —
 * an empty cell is not evidence that a person is unprotected, and lowering a protection on such a guess could
 * reveal an address (the population register is the authority there). Within a stated part, an empty cell states
 * "none" (an empty e-mail cell means the person has no e-mail address). Unmapped columns are never read into
 * anything (data minimisation: the clerk decides what enters the register).
 *
 * Accepted spellings (case-insensitive, diacritics, spaces, '_' and '-' ignored):
 *   sex: F, K, Kvinna, Kvinne, Kvinnlig, Kvinnelig, Female, Flicka, Jente, 2 → F;
 *        M, Man, Mann, Manlig, Mannlig, Male, Pojke, Gutt, 1 → M (1/2 as ISO/IEC 5218); empty → from the number.
 *   protection: the project's levels (se_sekretessmarkering …); Sekretess, Sekretessmarkering, Sekretessmarkerad →
 *        sekretessmarkering; Skyddad, Skyddad folkbokföring, Skyddad identitet, Skyddade personuppgifter → skyddad
 *        folkbokföring (umbrella terms take the stricter level: an over-protection is corrected by the next
 *        register import, an under-protection may leak an address); Fortrolig, Fortrolig adresse, 7, SPFO →
 *        fortrolig; Strengt fortrolig (adresse), 6, SPSF → strengt fortrolig (the old DSF/TPS codes); Klientadresse;
 *        J, Ja, Y, Yes, True, 1 → the municipality's basic level (SE sekretessmarkering, NO fortrolig);
 *        N, Nej, Nei, No, False, 0, Ingen, None, Ugradert → none; empty → not stated.
 *   dates: the mapping's format; DD.MM.YYYY and DD/MM/YYYY also without leading zeros (1.2.2016, as Excel writes
 *        them in Norway); a midnight time after the date (`2016-05-17 00:00:00`, database dumps) is ignored.
 *   postal codes: SE "NNN NN" (also NNNNN, "SE-NNN NN", "S-NNN NN"), NO "NNNN" (also "NO-NNNN", "N-NNNN"),
 *        others as written (at most 12 characters). Excel turns Oslo's 0150 into 150: reported, not guessed.
 *   country: ISO alpha-2, or Sverige/Sweden/Norge/Noreg/Norway; empty → the municipality's country.
 *   identity numbers: what parseIdentityNumber accepts (with and without separator, 10 or 12 digits for Sweden,
 *        11 for Norway); a number Excel wrote in exponent form or without its leading zero is reported as such.
 */
import type { Readable } from 'node:stream';
import { parseIdentityNumber, type IdParseOk, type IdParseResult } from '../../shared/identity';
import { CSV_FIELDS, CSV_REQUIRED, type CsvField } from '../../shared/domain/imports';
import { CONTACT_KINDS, COUNTRY_CODE_RE, EMAIL_RE, PERSON_LIMITS, PHONE_RE, RESERVE_NUMBER_RE, type ProtectionLevel } from '../../shared/domain/register';
import { isCalendarDay, localToday } from './xml';
import { mappedFields, normaliseHeading, validateMapping, type CsvDateFormat, type CsvDelimiter, type CsvMapping } from './csv-mappings';
import { csvMessage, type CsvProblemCode } from './messages';
import {
  ALL_PARTS,
  PopulationFileError,
  type Address,
  type Contact,
  type Country,
  type PersonIdentity,
  type PopulationFileHeader,
  type PopulationReadItem,
  type PopulationRecord,
  type ReadOptions,
  type ReadProblem,
  type ReadSummary,
  type RecordPart,
  type Relation,
} from './model';

export type { CsvDelimiter, CsvMapping } from './csv-mappings';
export type CsvInput = Readable | AsyncIterable<Uint8Array | string>;
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface CsvReadOptions extends Omit<ReadOptions, 'kind'> {
  /**
   * The municipality's country: the header's country, an address's country when the file gives none, what a bare
   * "J" in the protection column means, and which leading zero a spreadsheet may have dropped.
   */
  country: Country;
  /** The name the file was uploaded under (for the header). */
  fileName?: string | null;
  /** Longest row in characters (default 256 Ki): a longer one stops the file (a quote that never closes). */
  maxRowChars?: number;
}

/** Bytes after the first non-ASCII byte that decide between UTF-8 and Windows-1252. */
const LOOKAHEAD = 4096;
/** Bytes at the start that are checked for byte-order marks, container signatures and zero bytes. */
const HEAD = 512;
const DEFAULT_MAX_ROW = 256 * 1024;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

interface Issue {
  line: number;
  column: number;
  element: string;
  code: CsvProblemCode;
  args: Record<string, string | number>;
}

/** A file-level failure inside the reader; becomes a PopulationFileError with the summary so far. */
class CsvFatal extends Error {
  constructor(readonly issue: Issue) {
    super(csvMessage(issue.code, 'en', issue.args));
  }
}

function toProblem(i: Issue, severity: ReadProblem['severity'], recordIndex: number | null, subject: string | null): ReadProblem {
  return { line: i.line, column: i.column, element: i.element, reason: csvMessage(i.code, 'en', i.args), code: i.code, severity, recordIndex, subject, args: i.args };
}

// ---------------------------------------------------------------------------------------------------------
// Bytes → text
// ---------------------------------------------------------------------------------------------------------

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  return b.length >= sig.length && sig.every((x, i) => b[i] === x);
}

/** Decodes the file's bytes as they arrive (see the module comment for how the encoding is decided). */
class ByteDecoder {
  /** Null while only ASCII has been seen (it reads the same in every supported encoding). */
  encoding: CsvEncoding | null = null;
  private decoder: TextDecoder | null = null;
  private head: Uint8Array[] = [];
  private headLength = 0;
  private sniffed = false;
  /** Undecided bytes from the first non-ASCII byte on. */
  private pending: Buffer | null = null;

  push(chunk: Uint8Array): string {
    if (!this.sniffed) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < HEAD) return '';
      return this.sniff();
    }
    return this.decode(chunk, false);
  }

  end(): string {
    let out = this.sniffed ? '' : this.sniff();
    if (this.pending) out += this.decide(true);
    if (this.decoder) out += this.decoder.decode();
    return out;
  }

  private sniff(): string {
    this.sniffed = true;
    const all = Buffer.concat(this.head);
    this.head = [];
    const fatal = (kind: string) => new CsvFatal({ line: 1, column: 1, element: '', code: 'unsupported_encoding', args: { kind } });
    if (startsWith(all, [0xef, 0xbb, 0xbf])) return this.use('utf-8', all.subarray(3));
    if (startsWith(all, [0xff, 0xfe])) return this.use('utf-16le', all.subarray(2));
    if (startsWith(all, [0xfe, 0xff])) return this.use('utf-16be', all.subarray(2));
    if (startsWith(all, [0x50, 0x4b, 0x03, 0x04])) throw fatal('xlsx');
    if (startsWith(all, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) throw fatal('xls');
    if (all.subarray(0, HEAD).includes(0)) throw fatal('binary');
    return this.decode(all, false);
  }

  private use(label: CsvEncoding, rest: Uint8Array): string {
    this.encoding = label;
    // The mark is already removed; a second one (a file saved twice with a mark) would reach the first heading,
    // which normaliseHeading strips.
    this.decoder = new TextDecoder(label, { fatal: false, ignoreBOM: true });
    return this.decoder.decode(rest, { stream: true });
  }

  private decode(bytes: Uint8Array, final: boolean): string {
    if (this.decoder) return this.decoder.decode(bytes, { stream: !final });
    if (this.pending) {
      this.pending = Buffer.concat([this.pending, bytes]);
      return this.decide(final);
    }
    let i = 0;
    while (i < bytes.length && bytes[i]! < 0x80) i++;
    const ascii = Buffer.from(bytes.buffer, bytes.byteOffset, i).toString('latin1');
    if (i === bytes.length) return ascii;
    this.pending = Buffer.from(bytes.subarray(i));
    return ascii + this.decide(final);
  }

  private decide(final: boolean): string {
    const pending = this.pending!;
    if (!final && pending.length < LOOKAHEAD) return '';
    // Exactly LOOKAHEAD bytes decide, however the input happens to be chunked, so a file always reads the same.
    const window = pending.subarray(0, LOOKAHEAD);
    let utf8 = true;
    try {
      // `stream` where more follows the window: a character cut at its end is not an error.
      new TextDecoder('utf-8', { fatal: true }).decode(window, { stream: !final || pending.length > LOOKAHEAD });
    } catch {
      utf8 = false;
    }
    this.pending = null;
    this.encoding = utf8 ? 'utf-8' : 'windows-1252';
    this.decoder = new TextDecoder(this.encoding, { fatal: false, ignoreBOM: true });
    return this.decoder.decode(pending, { stream: !final });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Text → rows
// ---------------------------------------------------------------------------------------------------------

export interface RawRow {
  cells: string[];
  /** The line the row starts on. */
  line: number;
  /** 1-based columns whose value had text after its closing quote. */
  strayQuotes: number[];
}

const enum St {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** RFC 4180 with the leniencies of the module comment; pull-based, so it holds one row at a time. */
class Tokenizer {
  /** The line of the next character. */
  private line = 1;
  private prevCR = false;
  private skipLF = false;
  private state = St.FieldStart;
  private field = '';
  private cells: string[] = [];
  private rowLine = 0;
  private rowChars = 0;
  private stray: number[] = [];
  private quoteLine = 0;
  private quoteColumn = 0;
  /** Set after the header row: a row with more columns stops the file. */
  maxColumns: number | null = null;

  constructor(
    private readonly delim: number,
    private readonly maxRowChars: number,
  ) {}

  private grow(n: number): void {
    this.rowChars += n;
    if (this.rowChars > this.maxRowChars) {
      throw new CsvFatal({
        line: this.rowLine,
        column: this.state === St.Quoted ? this.quoteColumn : this.cells.length + 1,
        element: '',
        code: 'record_too_large',
        args: { max: this.maxRowChars },
      });
    }
  }

  private endField(): void {
    // Each cell counts, so that a row of nothing but separators is bounded too.
    this.grow(1);
    this.cells.push(this.field);
    this.field = '';
  }

  private endRow(): RawRow {
    const row: RawRow = { cells: this.cells, line: this.rowLine, strayQuotes: this.stray };
    this.cells = [];
    this.stray = [];
    this.rowLine = 0;
    this.rowChars = 0;
    if (this.maxColumns !== null && row.cells.length > this.maxColumns) {
      throw new CsvFatal({
        line: row.line,
        column: this.maxColumns + 1,
        element: '',
        code: 'too_many_columns',
        args: { count: row.cells.length, expected: this.maxColumns },
      });
    }
    return row;
  }

  *feed(text: string): Generator<RawRow> {
    const n = text.length;
    const delim = this.delim;
    let run = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const charLine = this.line;
      if (c === LF) {
        if (!this.prevCR) this.line++;
        this.prevCR = false;
      } else if (c === CR) {
        this.line++;
        this.prevCR = true;
      } else {
        this.prevCR = false;
      }
      switch (this.state) {
        case St.Quoted:
          if (c === QUOTE) {
            this.grow(i - run);
            this.field += text.slice(run, i);
            this.state = St.QuoteInQuoted;
          }
          break;
        case St.QuoteInQuoted:
          if (c === QUOTE) {
            this.grow(1);
            this.field += '"';
            this.state = St.Quoted;
            run = i + 1;
          } else if (c === delim) {
            this.endField();
            this.state = St.FieldStart;
          } else if (c === CR || c === LF) {
            this.endField();
            this.state = St.FieldStart;
            this.skipLF = c === CR;
            yield this.endRow();
          } else {
            // Text after the closing quote: kept, the rest of the value read as unquoted (see the module comment).
            this.stray.push(this.cells.length + 1);
            this.state = St.Unquoted;
            run = i;
          }
          break;
        case St.Unquoted:
          if (c === delim || c === CR || c === LF) {
            this.grow(i - run);
            this.field += text.slice(run, i);
            this.endField();
            this.state = St.FieldStart;
            if (c !== delim) {
              this.skipLF = c === CR;
              yield this.endRow();
            }
          }
          break;
        case St.FieldStart:
          if (this.skipLF) {
            this.skipLF = false;
            if (c === LF) break;
          }
          if (this.rowLine === 0) this.rowLine = charLine;
          if (c === QUOTE) {
            this.state = St.Quoted;
            run = i + 1;
            this.quoteLine = charLine;
            this.quoteColumn = this.cells.length + 1;
          } else if (c === delim) {
            this.endField();
          } else if (c === CR || c === LF) {
            this.endField();
            this.skipLF = c === CR;
            yield this.endRow();
          } else {
            this.state = St.Unquoted;
            run = i;
          }
          break;
      }
    }
    if (this.state === St.Quoted || this.state === St.Unquoted) {
      this.grow(n - run);
      this.field += text.slice(run);
    }
  }

  /** The last row when the file does not end with a line break; stops the file inside an open quote. */
  finish(): RawRow | null {
    if (this.state === St.Quoted) {
      throw new CsvFatal({ line: this.quoteLine, column: this.quoteColumn, element: '', code: 'malformed_csv', args: { column: this.quoteColumn } });
    }
    if (this.rowLine === 0) return null;
    this.endField();
    this.state = St.FieldStart;
    return this.endRow();
  }
}

const SEPARATORS: readonly CsvDelimiter[] = [';', '\t', ','];
const SEPARATOR_NAME: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** Occurrences of each separator outside quotes. */
function separatorCounts(line: string): Record<CsvDelimiter, number> {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  return counts;
}

/** The separator the header line uses most often (';' before tab before ',' on a tie), or null if none. */
export function detectDelimiter(line: string): CsvDelimiter | null {
  const counts = separatorCounts(line);
  let best: CsvDelimiter | null = null;
  for (const d of SEPARATORS) if (counts[d] > 0 && (best === null || counts[d] > counts[best])) best = d;
  return best;
}

/** The end of the line that starts at `from` (a line break outside quotes), or -1 if the text ends first. */
function lineEnd(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === CR || c === LF)) return i;
  }
  return -1;
}

const SEP_LINE = /^sep=([,;\t])$/i;

/**
 * The header line (the first line with content, after an Excel `sep=` line), or null when `text` does not hold it
 * whole yet (at the end of the file whatever is there is the line).
 */
function findHeaderLine(text: string, atEnd: boolean): { line: string; sep: CsvDelimiter | null } | null {
  let pos = 0;
  let sep: CsvDelimiter | null = null;
  for (;;) {
    let end = lineEnd(text, pos);
    if (end < 0) {
      if (!atEnd) return null;
      end = text.length;
    }
    const line = text.slice(pos, end);
    const m = SEP_LINE.exec(line.trim());
    if (m && sep === null && pos === 0) {
      sep = m[1] as CsvDelimiter;
    } else if (line.trim() !== '' || end === text.length) {
      return { line, sep };
    }
    pos = end + 1;
    if (text.charCodeAt(end) === CR && text.charCodeAt(pos) === LF) pos++;
  }
}

export interface RowReaderOptions {
  /** The mapping's separator; null: detected from the header line. */
  delimiter: CsvDelimiter | null;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number) => void;
  maxRowChars?: number;
}

/**
 * Reads a file into rows: decoding, separator detection, parsing. The first row yielded is the header; blank rows
 * and an Excel `sep=` line are skipped. Throws CsvFatal for a malformed file.
 */
class RowReader {
  delimiter: CsvDelimiter | null = null;
  bytesRead = 0;
  private readonly decoder = new ByteDecoder();

  constructor(
    private readonly input: CsvInput,
    private readonly o: RowReaderOptions,
  ) {}

  get encoding(): CsvEncoding | null {
    return this.decoder.encoding;
  }

  private tokenizer: Tokenizer | null = null;
  /** Text before the header line is complete (the separator is not known until then). */
  private before = '';
  private headerSeen = false;
  private skipSepRow = false;
  private firstText = true;

  /** Rows of one piece of text, without the blank ones; the first is the header and fixes the column count. */
  private *emit(tokenizer: Tokenizer, rows: Iterable<RawRow>): Generator<RawRow> {
    for (const row of rows) {
      if (row.cells.every((c) => c.trim() === '')) continue;
      if (this.skipSepRow) {
        this.skipSepRow = false;
        continue;
      }
      if (!this.headerSeen) {
        this.headerSeen = true;
        tokenizer.maxColumns = row.cells.length;
      }
      yield row;
    }
  }

  /** Decides the separator once the header line is there; null while it is not. */
  private start(text: string, atEnd: boolean): Tokenizer | null {
    const maxRow = this.o.maxRowChars ?? DEFAULT_MAX_ROW;
    const found = findHeaderLine(text, atEnd);
    if (!found) {
      if (text.length > maxRow) throw new CsvFatal({ line: 1, column: 1, element: '', code: 'record_too_large', args: { max: maxRow } });
      return null;
    }
    const given = this.o.delimiter;
    const detected = detectDelimiter(found.line);
    if (given && separatorCounts(found.line)[given] === 0 && detected && detected !== given) {
      throw new CsvFatal({ line: 1, column: 1, element: '', code: 'wrong_delimiter', args: { separator: SEPARATOR_NAME[given], found: SEPARATOR_NAME[detected] } });
    }
    this.delimiter = given ?? found.sep ?? detected ?? ',';
    this.skipSepRow = found.sep !== null;
    return new Tokenizer(this.delimiter.charCodeAt(0), maxRow);
  }

  private *take(text: string, atEnd: boolean): Generator<RawRow> {
    if (!this.tokenizer) {
      this.before += text;
      this.tokenizer = this.start(this.before, atEnd);
      if (!this.tokenizer) return;
      text = this.before;
      this.before = '';
    }
    const t = this.tokenizer;
    yield* this.emit(t, t.feed(text));
    if (atEnd) {
      const last = t.finish();
      if (last) yield* this.emit(t, [last]);
    }
  }

  async *rows(): AsyncGenerator<RawRow, void, undefined> {
    const { signal } = this.o;
    const it = (this.input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
    try {
      for (;;) {
        signal?.throwIfAborted();
        let r: IteratorResult<Uint8Array | string>;
        try {
          r = await it.next();
        } catch (e) {
          throw new CsvFatal({ line: 1, column: 1, element: '', code: 'read_error', args: { message: (e as Error).message } });
        }
        signal?.throwIfAborted();
        if (r.done) break;
        const chunk = r.value;
        let text: string;
        if (typeof chunk === 'string') {
          // Already decoded by the caller (a stream with setEncoding): only a leading mark needs removing.
          this.bytesRead += Buffer.byteLength(chunk);
          text = this.firstText ? chunk.replace(/^\uFEFF/, '') : chunk;
          this.firstText = false;
        } else {
          this.bytesRead += chunk.length;
          text = this.decoder.push(chunk);
        }
        yield* this.take(text, false);
        this.o.onProgress?.(this.bytesRead);
      }
      yield* this.take(this.decoder.end(), true);
      this.o.onProgress?.(this.bytesRead);
    } finally {
      // Stops and releases the input (a file stream is destroyed) when the consumer breaks off or reading failed.
      await it.return?.();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------------------

/** Lower case, without diacritics, spaces, '_', '-' and '.': how spellings are compared. */
function spellingKey(v: string): string {
  return v
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

const SEX: Record<string, 'F' | 'M'> = {};
for (const s of ['f', 'k', 'kvinna', 'kvinne', 'kvinnlig', 'kvinnelig', 'female', 'flicka', 'jente', '2']) SEX[s] = 'F';
for (const s of ['m', 'man', 'mann', 'manlig', 'mannlig', 'male', 'pojke', 'gutt', '1']) SEX[s] = 'M';

type ProtectionSpelling = ProtectionLevel | 'yes';
const PROTECTION: Record<string, ProtectionSpelling> = {};
const spell = (level: ProtectionSpelling, ...words: string[]) => words.forEach((w) => (PROTECTION[spellingKey(w)] = level));
spell('none', 'none', 'n', 'nej', 'nei', 'no', 'false', '0', 'ingen', 'ugradert');
spell('yes', 'j', 'ja', 'y', 'yes', 'true', '1');
spell('se_sekretessmarkering', 'se_sekretessmarkering', 'sekretess', 'sekretessmarkering', 'sekretessmarkerad');
spell('se_skyddad_folkbokforing', 'se_skyddad_folkbokforing', 'skyddad', 'skyddad folkbokföring', 'skyddad identitet', 'skyddade personuppgifter');
spell('no_klientadresse', 'no_klientadresse', 'klientadresse');
spell('no_fortrolig', 'no_fortrolig', 'fortrolig', 'fortrolig adresse', '7', 'spfo');
spell('no_strengt_fortrolig', 'no_strengt_fortrolig', 'strengt fortrolig', 'strengtFortrolig', 'strengt fortrolig adresse', '6', 'spsf');
/** What a bare "yes" means: the basic level of the municipality's register. */
const BASIC_LEVEL: Record<Country, ProtectionLevel> = { SE: 'se_sekretessmarkering', NO: 'no_fortrolig' };

const COUNTRY_NAMES: Record<string, string> = { sverige: 'SE', sweden: 'SE', norge: 'NO', noreg: 'NO', norway: 'NO' };

const MIDNIGHT = '(?:[ T]00:00(?::00(?:\\.0+)?)?)?';
const DATE_RE: Record<CsvDateFormat, { re: RegExp; y: number; m: number; d: number }> = {
  'YYYY-MM-DD': { re: new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${MIDNIGHT}$`), y: 1, m: 2, d: 3 },
  YYYYMMDD: { re: new RegExp(`^(\\d{4})(\\d{2})(\\d{2})${MIDNIGHT}$`), y: 1, m: 2, d: 3 },
  'DD.MM.YYYY': { re: new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${MIDNIGHT}$`), y: 3, m: 2, d: 1 },
  'DD/MM/YYYY': { re: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${MIDNIGHT}$`), y: 3, m: 2, d: 1 },
};

/** ISO date of `v` in `format`, or null when it is not a real calendar day in that form. */
export function parseCsvDate(v: string, format: CsvDateFormat): string | null {
  const f = DATE_RE[format];
  const m = f.re.exec(v);
  if (!m) return null;
  const y = Number(m[f.y]);
  const mo = Number(m[f.m]);
  const d = Number(m[f.d]);
  if (!isCalendarDay(y, mo, d)) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Control characters (other than tab and line breaks) and U+FFFD: what a mixed-up encoding leaves in a value. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const UNREADABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
/**
 * UTF-8 read as Windows-1252 ("Ã¥" for å, "Ã˜" for Ø, "â€“" for –): a two-byte UTF-8 sequence C2/C3 xx shows as
 * Â/Ã followed by the code page's character for xx. Windows-1252 never fails to decode, so without this check a file
 * whose later part is UTF-8 would import garbled names silently; no Nordic name has Ã before such a character.
 */
const MOJIBAKE = /[\u00C2\u00C3][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201A\u201C-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]|\u00E2\u20AC/;

/** Characters as the register's limits count them (code points): only a surrogate pair makes .length differ. */
const charLength = (v: string): number => (v.length > 0 && /[\uD800-\uDFFF]/.test(v) ? [...v].length : v.length);

const MAX_LENGTH: Partial<Record<CsvField, number>> = {
  identityNumber: PERSON_LIMITS.identityNumber,
  guardian1IdentityNumber: PERSON_LIMITS.identityNumber,
  guardian2IdentityNumber: PERSON_LIMITS.identityNumber,
  reserveNumber: 20,
  givenName: PERSON_LIMITS.name,
  middleName: PERSON_LIMITS.name,
  familyName: PERSON_LIMITS.name,
  preferredName: PERSON_LIMITS.name,
  street: PERSON_LIMITS.street,
  careOf: PERSON_LIMITS.careOf,
  postalCode: PERSON_LIMITS.postalCode,
  city: PERSON_LIMITS.city,
  country: 40,
  phone: PERSON_LIMITS.contact,
  mobile: PERSON_LIMITS.contact,
  email: PERSON_LIMITS.contact,
  protection: 40,
  sex: 20,
  birthDate: 40,
};

/** The order parts are listed in a record: ALL_PARTS, then the CSV-only 'contacts'. */
const PART_ORDER: readonly RecordPart[] = [...ALL_PARTS, 'contacts'];

// ---------------------------------------------------------------------------------------------------------
// Rows → records
// ---------------------------------------------------------------------------------------------------------

interface Columns {
  /** Field → 0-based column. */
  index: Partial<Record<CsvField, number>>;
  headings: string[];
}

/** Matches the header row to the mapping; a missing or ambiguous mapped heading stops the file. */
function matchHeader(row: RawRow, mapping: CsvMapping): Columns {
  const headings = row.cells.map((h) => h.replace(/^\uFEFF/, '').trim());
  const byHeading = new Map<string, number[]>();
  headings.forEach((h, i) => {
    const k = normaliseHeading(h);
    const list = byHeading.get(k);
    if (list) list.push(i);
    else byHeading.set(k, [i]);
  });
  const index: Columns['index'] = {};
  const missing: CsvField[] = [];
  for (const f of mappedFields(mapping)) {
    const found = byHeading.get(normaliseHeading(mapping.columns[f]!));
    if (!found || normaliseHeading(mapping.columns[f]!) === '') {
      missing.push(f);
    } else if (found.length > 1) {
      throw new CsvFatal({
        line: row.line,
        column: found[1]! + 1,
        element: headings[found[1]!]!,
        code: 'duplicate_heading',
        args: { heading: headings[found[0]!]!, columns: found.map((i) => i + 1).join(', ') },
      });
    } else {
      index[f] = found[0]!;
    }
  }
  if (missing.length) {
    throw new CsvFatal({
      line: row.line,
      column: 1,
      element: mapping.columns[missing[0]!]!,
      code: 'missing_heading',
      args: { headings: missing.map((f) => `"${mapping.columns[f]}"`).join(', '), fields: missing.join(',') },
    });
  }
  return { index, headings };
}

interface RowResult {
  record: PopulationRecord | null;
  issues: Issue[];
  subject: string | null;
}

/** Maps and checks rows; holds what stays the same for the whole file. */
class RowMapper {
  private readonly idCache = new Map<string, IdParseResult>();
  private readonly fields: CsvField[];

  constructor(
    private readonly cols: Columns,
    private readonly mapping: CsvMapping,
    private readonly opts: CsvReadOptions,
    private readonly today: string,
    /** The file's encoding as decided so far (decided before any non-ASCII text reaches a row). */
    private readonly encoding: () => CsvEncoding | null,
  ) {
    this.fields = mappedFields(mapping);
  }

  /** parseIdentityNumber with a bounded cache: a guardian's number recurs on every child's row. */
  private parseId(v: string, country?: Country): IdParseResult {
    const key = country ? `${country}:${v}` : v;
    let r = this.idCache.get(key);
    if (!r) {
      r = parseIdentityNumber(v, { today: this.today, allowSynthetic: this.opts.allowSynthetic === true, ...(country ? { country } : {}) });
      if (this.idCache.size >= 20_000) this.idCache.clear();
      this.idCache.set(key, r);
    }
    return r;
  }

  /**
   * An identity number, or why it is refused. Spreadsheets are the usual trap: a number column becomes
   * "1,98507E+11", and a leading zero goes (Norwegian numbers of persons born on the 1st–9th, Swedish 10-digit
   * numbers of those born 2000–2009). In a Norwegian municipality 10 plain digits that are a Norwegian number with
   * a zero in front are taken as that trap, even when they also happen to be a valid Swedish number.
   */
  identity(v: string): { ok: IdParseOk } | { why: string } {
    if (/^\d+(?:[.,]\d+)?E\+?\d+$/i.test(v)) return { why: 'scientific_notation' };
    const digits = /^\d+$/.test(v);
    if (digits && v.length === 10 && this.opts.country === 'NO' && this.parseId(`0${v}`, 'NO').ok) return { why: 'leading_zero_lost' };
    const r = this.parseId(v);
    if (r.ok) return { ok: r };
    if (digits && ((v.length === 9 && this.parseId(`0${v}`, 'SE').ok) || (v.length === 10 && this.parseId(`0${v}`, 'NO').ok))) {
      return { why: 'leading_zero_lost' };
    }
    return { why: r.code };
  }

  map(row: RawRow, index: number): RowResult {
    const { cols, mapping } = this;
    const issues: Issue[] = [];
    const at = (f: CsvField) => cols.index[f]!;
    const report = (f: CsvField, code: CsvProblemCode, args: Record<string, string | number> = {}) => {
      issues.push({ line: row.line, column: at(f) + 1, element: cols.headings[at(f)] ?? '', code, args });
    };
    const rowIssue = (column: number, code: CsvProblemCode, args: Record<string, string | number>) => {
      issues.push({ line: row.line, column, element: cols.headings[column - 1] ?? '', code, args });
    };

    const rawId = cols.index.identityNumber !== undefined ? row.cells[cols.index.identityNumber]?.trim() || null : null;
    const rawReserve = cols.index.reserveNumber !== undefined ? row.cells[cols.index.reserveNumber]?.trim() || null : null;
    const subjectOf = (canonical: string | null) => canonical ?? (rawId ? rawId.slice(0, PERSON_LIMITS.identityNumber) : rawReserve ? rawReserve.toUpperCase().slice(0, 20) : null);

    if (row.cells.length < cols.headings.length) {
      rowIssue(row.cells.length + 1, 'too_few_columns', { count: row.cells.length, expected: cols.headings.length });
      return { record: null, issues, subject: subjectOf(null) };
    }
    for (const c of row.strayQuotes) rowIssue(c, 'stray_quote', {});

    // Every mapped cell: readable, within its length; names with their runs of spaces (fixed-width padding) closed.
    const v: Partial<Record<CsvField, string>> = {};
    for (const f of this.fields) {
      let s = row.cells[at(f)]!.trim();
      if (f !== 'street' && f !== 'careOf') s = s.replace(/\s+/g, ' ');
      if (s === '') continue;
      if (UNREADABLE.test(s) || (this.encoding() === 'windows-1252' && MOJIBAKE.test(s))) {
        report(f, 'bad_encoding');
        continue;
      }
      const max = MAX_LENGTH[f];
      const len = charLength(s);
      if (max !== undefined && len > max) {
        report(f, 'too_long', { length: len, max });
        continue;
      }
      v[f] = s;
    }
    const hasIssue = (f: CsvField) => cols.index[f] !== undefined && issues.some((i) => i.column === at(f) + 1);

    for (const f of CSV_REQUIRED) if (cols.index[f] !== undefined && v[f] === undefined && !hasIssue(f)) report(f, 'missing_value', { field: f });

    // Identity: a number, or a reserve number with a birth date.
    let id: IdParseOk | null = null;
    if (v.identityNumber !== undefined) {
      const r = this.identity(v.identityNumber);
      if ('ok' in r) id = r.ok;
      else report('identityNumber', 'bad_identity_number', { value: v.identityNumber, why: r.why });
    }
    let reserve: string | null = null;
    if (v.reserveNumber !== undefined) {
      const r = v.reserveNumber.toUpperCase();
      if (RESERVE_NUMBER_RE.test(r)) reserve = r;
      else report('reserveNumber', 'bad_reserve_number', { value: v.reserveNumber });
    }
    let birthDate: string | null = null;
    if (v.birthDate !== undefined) {
      birthDate = parseCsvDate(v.birthDate, mapping.dateFormat);
      if (birthDate === null) report('birthDate', 'bad_date', { value: v.birthDate, format: mapping.dateFormat });
      else if (birthDate > this.today) {
        report('birthDate', 'date_in_future', { value: birthDate });
        birthDate = null;
      } else if (id && id.birthDate !== birthDate) {
        report('birthDate', 'birth_date_mismatch', { value: birthDate, expected: id.birthDate });
      }
    }
    // Only when nothing more precise was said about these cells.
    if (!id && !(reserve && birthDate) && !hasIssue('identityNumber') && !hasIssue('reserveNumber') && !hasIssue('birthDate')) {
      report(cols.index.identityNumber !== undefined ? 'identityNumber' : 'reserveNumber', 'missing_identity');
    }

    // Sex: the file's, else the number's.
    let sex: 'F' | 'M' | null = null;
    let sexSource: PopulationRecord['sexSource'] = null;
    if (v.sex !== undefined) {
      const s = SEX[spellingKey(v.sex)];
      if (!s) report('sex', 'bad_sex', { value: v.sex });
      else if (id?.sex && id.sex !== s) report('sex', 'sex_mismatch', { value: v.sex, sex: id.sex });
      else {
        sex = s;
        sexSource = 'register';
      }
    }
    if (!sex && id?.sex) {
      sex = id.sex;
      sexSource = 'identity_number';
    }

    // Address.
    let country: string = this.opts.country;
    if (v.country !== undefined) {
      const k = spellingKey(v.country);
      const code = COUNTRY_NAMES[k] ?? (COUNTRY_CODE_RE.test(v.country.toUpperCase()) ? v.country.toUpperCase() : null);
      if (code) country = code;
      else report('country', 'bad_country', { value: v.country });
    }
    let postalCode: string | null = null;
    if (v.postalCode !== undefined) {
      const p = v.postalCode;
      if (country === 'SE') {
        const m = /^(?:SE-?\s?|S-)?([1-9]\d{2})\s?(\d{2})$/i.exec(p);
        if (m) postalCode = `${m[1]} ${m[2]}`;
        else report('postalCode', 'bad_postal_code', { value: p, country: 'SE', pattern: 'NNN NN' });
      } else if (country === 'NO') {
        const m = /^(?:NO-?\s?|N-)?(\d{4})$/i.exec(p);
        if (m) postalCode = m[1]!;
        else if (/^\d{3}$/.test(p)) report('postalCode', 'postal_code_zero_lost', { value: p });
        else report('postalCode', 'bad_postal_code', { value: p, country: 'NO', pattern: 'NNNN' });
      } else {
        postalCode = p;
      }
    }
    const addressMapped = (['street', 'careOf', 'postalCode', 'city'] as const).some((f) => cols.index[f] !== undefined);
    const addresses: Address[] = [];
    if (addressMapped && (v.street !== undefined || v.careOf !== undefined || v.postalCode !== undefined || v.city !== undefined)) {
      for (const f of ['street', 'postalCode', 'city'] as const) {
        if (cols.index[f] !== undefined && v[f] === undefined && !hasIssue(f)) report(f, 'incomplete_address', { field: f });
      }
      // A legacy address field may hold several delivery lines in one quoted value.
      const lines = (v.street ?? '')
        .split(/\r\n|\r|\n/)
        .map((l) => l.trim().replace(/\s+/g, ' '))
        .filter(Boolean);
      addresses.push({
        kind: 'registered',
        careOf: v.careOf?.replace(/\s+/g, ' ') ?? null,
        lines,
        street: lines.join(', '),
        postalCode,
        city: v.city ?? null,
        country,
        countryName: null,
        municipalityCode: null,
        dwelling: null,
        grading: null,
        validFrom: null,
        validTo: null,
        current: true,
      });
    }

    // Contacts.
    const contacts: Contact[] = [];
    for (const kind of CONTACT_KINDS) {
      const value = v[kind];
      if (value === undefined) continue;
      if (kind === 'email' ? !EMAIL_RE.test(value) : !PHONE_RE.test(value)) report(kind, kind === 'email' ? 'bad_email' : 'bad_phone', { value });
      else contacts.push({ kind, value });
    }

    // Protection.
    let protection: PopulationRecord['protection'] | null = null;
    if (v.protection !== undefined) {
      const p = PROTECTION[spellingKey(v.protection)];
      if (!p) report('protection', 'bad_protection', { value: v.protection });
      else {
        const level = p === 'yes' ? BASIC_LEVEL[this.opts.country] : p;
        protection = [{ level, registerCodes: level === 'none' ? [] : [v.protection], from: null, to: null, current: true }];
      }
    }

    // Guardians.
    const relations: Relation[] = [];
    const seenGuardians = new Set<string>();
    for (const f of ['guardian1IdentityNumber', 'guardian2IdentityNumber'] as const) {
      const value = v[f];
      if (value === undefined) continue;
      const r = this.identity(value);
      if (!('ok' in r)) {
        report(f, 'bad_identity_number', { value, why: r.why });
        continue;
      }
      const g = r.ok;
      if (id && g.canonical === id.canonical) report(f, 'guardian_is_self', { value });
      else if (seenGuardians.has(g.canonical)) report(f, 'duplicate_guardian', { value });
      else {
        seenGuardians.add(g.canonical);
        relations.push({
          kind: 'custodian',
          registerCode: f === 'guardian1IdentityNumber' ? 'csv:guardian1' : 'csv:guardian2',
          custody: null,
          other: { identity: { canonical: g.canonical, kind: g.kind, country: g.country }, birthDate: null, name: null, organisationNumber: null, deregistration: null },
          validFrom: null,
          validTo: null,
          registerStatus: null,
          current: true,
        });
      }
    }

    const subject = subjectOf(id?.canonical ?? null);
    // In file order: left to right along the row.
    if (issues.length) return { record: null, issues: issues.sort((a, b) => a.column - b.column), subject };

    const parts = new Set<RecordPart>(['identity', 'name', 'birth']);
    if (cols.index.sex !== undefined || sex) parts.add('sex');
    if (addressMapped) parts.add('address.registered');
    if (CONTACT_KINDS.some((k) => cols.index[k] !== undefined)) parts.add('contacts');
    if (protection) parts.add('protection');
    if (cols.index.guardian1IdentityNumber !== undefined || cols.index.guardian2IdentityNumber !== undefined) parts.add('relations');
    const identity: PersonIdentity | null = id ? { canonical: id.canonical, kind: id.kind, country: id.country, status: 'in_use', validFrom: null, validTo: null } : null;
    const record: PopulationRecord = {
      format: 'csv',
      source: { line: row.line, column: 1, index },
      completeness: 'partial',
      partialMode: 'replace_parts',
      parts: PART_ORDER.filter((p) => parts.has(p)),
      identity,
      reserveNumber: reserve,
      previousIdentities: [],
      replacedBy: null,
      falseIdentity: false,
      names: [
        {
          given: v.givenName!,
          middle: v.middleName ?? null,
          family: v.familyName!,
          preferred: v.preferredName ?? null,
          preferredMarker: null,
          short: null,
          validFrom: null,
          validTo: null,
          current: true,
        },
      ],
      birthDate: birthDate ?? id?.birthDate ?? null,
      sex,
      sexSource,
      statuses: [],
      registrations: [],
      addresses,
      sharedResidences: [],
      protection: protection ?? [],
      relations,
      citizenships: [],
      immigrationDate: null,
      contacts,
      event: null,
    };
    return { record, issues, subject };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The readers
// ---------------------------------------------------------------------------------------------------------

/** Counts a read and turns file-level failures into PopulationFileError (as ReadSession does for XML). */
class CsvSession {
  records = 0;
  skippedRecords = 0;
  problems = 0;
  maxBufferedItems = 0;
  private readonly t0 = performance.now();
  private readonly maxProblems: number;

  constructor(
    opts: Pick<ReadOptions, 'maxProblems'>,
    private readonly bytes: () => number,
  ) {
    this.maxProblems = opts.maxProblems ?? 1000;
  }

  summary(): ReadSummary {
    return {
      records: this.records,
      skippedRecords: this.skippedRecords,
      problems: this.problems,
      bytesRead: this.bytes(),
      ms: Math.round(performance.now() - this.t0),
      maxBufferedItems: this.maxBufferedItems,
    };
  }

  problem(i: Issue, recordIndex: number, subject: string | null): ReadProblem {
    this.problems++;
    if (this.problems > this.maxProblems) {
      throw new CsvFatal({ line: i.line, column: i.column, element: i.element, code: 'too_many_problems', args: { max: this.maxProblems } });
    }
    return toProblem(i, 'record', recordIndex, subject);
  }

  fatal(i: Issue): PopulationFileError {
    this.problems++;
    return new PopulationFileError(toProblem(i, 'file', null, null), this.summary());
  }
}

/**
 * Reads a legacy CSV with a mapping. Yields the header first, then records and problems in file order, and a
 * summary last. Throws PopulationFileError for a malformed file (nothing of it may be applied), the signal's
 * reason when cancelled, and a validation DomainError for a mapping that is not valid.
 */
export async function* readCsv(input: CsvInput, opts: CsvReadOptions & { mapping: CsvMapping }): AsyncGenerator<PopulationReadItem, void, undefined> {
  const mapping = validateMapping(opts.mapping);
  const today = opts.today ?? localToday();
  const reader = new RowReader(input, { delimiter: mapping.delimiter, signal: opts.signal, onProgress: opts.onProgress, maxRowChars: opts.maxRowChars });
  const session = new CsvSession(opts, () => reader.bytesRead);
  let mapper: RowMapper | null = null;
  let headings: string[] | null = null;
  let index = 0;
  try {
    for await (const row of reader.rows()) {
      if (!mapper) {
        headings = row.cells.map((h) => h.replace(/^\uFEFF/, '').trim());
        const cols = matchHeader(row, mapping);
        mapper = new RowMapper(cols, mapping, opts, today, () => reader.encoding);
        const header: PopulationFileHeader = {
          format: 'csv',
          country: opts.country,
          kind: 'delta',
          kindBasis: 'a legacy CSV never states who has left: read as a delta',
          createdAt: null,
          ordering: null,
          producer: mapping.name,
          recipient: null,
          fileName: opts.fileName ?? null,
          declaredRecords: null,
        };
        yield { type: 'header', header };
        continue;
      }
      opts.signal?.throwIfAborted();
      index++;
      const { record, issues, subject } = mapper.map(row, index);
      // One row's items are all the reader holds before handing them out.
      const items: PopulationReadItem[] = record ? [{ type: 'record', record }] : issues.map((i) => ({ type: 'problem', problem: session.problem(i, index, subject) }));
      if (items.length > session.maxBufferedItems) session.maxBufferedItems = items.length;
      if (record) session.records++;
      else session.skippedRecords++;
      yield* items;
    }
    if (!mapper) throw new CsvFatal({ line: 1, column: 1, element: '', code: 'no_header', args: {} });
  } catch (e) {
    if (!(e instanceof CsvFatal)) throw e;
    // The tokenizer knows columns, not headings: name the heading where there is one.
    const heading = headings?.[e.issue.column - 1];
    throw session.fatal(e.issue.element === '' && heading ? { ...e.issue, element: heading } : e.issue);
  }
  yield { type: 'end', summary: session.summary() };
}

export interface CsvHeadings {
  headings: string[];
  delimiter: CsvDelimiter;
  /** The first data rows' cells, for the mapping screen to show what each column holds. */
  sample: string[][];
  /** How the part read was decoded; null when it held only ASCII (which every encoding reads alike). */
  encoding: CsvEncoding | null;
}

/**
 * The header line, the separator and the first `sampleRows` data rows (default 5), for the mapping screen. Reads
 * only as far as that (and releases the input then); a malformed start throws PopulationFileError.
 */
export async function csvHeadings(input: CsvInput, opts: { delimiter?: CsvDelimiter | null; signal?: AbortSignal; sampleRows?: number; maxRowChars?: number } = {}): Promise<CsvHeadings> {
  const reader = new RowReader(input, { delimiter: opts.delimiter ?? null, signal: opts.signal, maxRowChars: opts.maxRowChars });
  const want = opts.sampleRows ?? 5;
  let headings: string[] | null = null;
  const sample: string[][] = [];
  const t0 = performance.now();
  try {
    for await (const row of reader.rows()) {
      if (!headings) headings = row.cells.map((h) => h.replace(/^\uFEFF/, '').trim());
      else sample.push(row.cells);
      if (sample.length >= want) break;
    }
  } catch (e) {
    if (!(e instanceof CsvFatal)) throw e;
    const summary: ReadSummary = { records: 0, skippedRecords: 0, problems: 1, bytesRead: reader.bytesRead, ms: Math.round(performance.now() - t0), maxBufferedItems: 0 };
    throw new PopulationFileError(toProblem(e.issue, 'file', null, null), summary);
  }
  if (!headings) {
    const summary: ReadSummary = { records: 0, skippedRecords: 0, problems: 1, bytesRead: reader.bytesRead, ms: Math.round(performance.now() - t0), maxBufferedItems: 0 };
    throw new PopulationFileError(toProblem({ line: 1, column: 1, element: '', code: 'no_header', args: {} }, 'file', null, null), summary);
  }
  return { headings, delimiter: reader.delimiter ?? ',', sample, encoding: reader.encoding };
}

/** Every CSV field, for callers that list them (the mapping screen). */
export { CSV_FIELDS };
