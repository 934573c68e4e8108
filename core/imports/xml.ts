/**
 * Streaming XML for the population-register readers, on saxes (a non-validating SAX parser).
 *
 * `readXml` pulls the input chunk by chunk, decodes it, feeds saxes in slices of at most SLICE characters and
 * hands out what the slice completed: containers being entered and left (root, Folkbokforingsposter …) and
 * whole *captured* elements (one Folkbokforingspost, one folkeregisterperson) as small trees. The next chunk is
 * read only when everything of the previous slice was consumed, so memory holds one slice's records at most,
 * whatever the file size, and a slow consumer slows the file read (backpressure through the async iterator).
 * A captured element is capped (MAX_NODES elements, MAX_TEXT characters per value) so that one absurd record
 * cannot exhaust memory either; it is then marked `overflow` and its content dropped.
 *
 * Well-formedness errors are fatal (the first one is reported with saxes' line and column and reading stops):
 * after a broken tag nothing that follows can be trusted. Validation against the register's schema happens
 * per captured element in the format readers, with `RecordContext` below: each complex type is declared as
 * its XSD sequence (`seq('Fornamn?', 'Efternamn?', '(PersonNr|FodelsetidNr)')`), and unknown, misplaced,
 * repeated or missing elements, stray text, unknown attributes and bad values are collected as problems with
 * the line and column of the offending start tag.
 */
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { parseIdentityNumber, type IdParseResult } from '../../shared/identity';
import { PopulationFileError, type ProblemCode, type ReadOptions, type ReadProblem, type ReadSummary } from './model';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
/** Characters per parser write: bounds how many records one step can complete (a few dozen). */
const SLICE = 64 * 1024;
/** Per captured element: far above any real person record (a Navet post has ~60 elements). */
const MAX_NODES = 20_000;
const MAX_TEXT = 64 * 1024;
const NON_SPACE = /\S/;

export interface XmlNode {
  /** Local name. */
  name: string;
  /** Namespace URI ('' for none). */
  ns: string;
  /** Attributes other than xmlns declarations and xsi:*, by local name ('{uri}local' when namespaced). */
  attrs: Record<string, string>;
  /** xsi:nil="true". */
  nil: boolean;
  /** Character content (only meaningful for leaf elements). */
  text: string;
  children: XmlNode[];
  line: number;
  column: number;
  /** Set on the captured root when the element exceeded MAX_NODES or a value MAX_TEXT. */
  overflow?: boolean;
}

export interface ElementStart {
  name: string;
  ns: string;
  attrs: Record<string, string>;
  line: number;
  column: number;
}

export interface XmlIssue {
  line: number;
  column: number;
  element: string;
  reason: string;
  code: ProblemCode;
}

/** What to do with an element that opens outside any captured element. */
export type Disposition = 'container' | 'capture' | { unexpected: string; fatal?: ProblemCode };

export type XmlItem =
  | { type: 'enter'; el: ElementStart; depth: number }
  | { type: 'leave'; name: string; depth: number }
  | { type: 'node'; node: XmlNode; depth: number }
  | { type: 'issue'; issue: XmlIssue };

/** A file-level failure: the reader stops. */
export class XmlFatal extends Error {
  constructor(readonly issue: XmlIssue) {
    super(issue.reason);
  }
}

export interface XmlStats {
  bytesRead: number;
  maxBufferedItems: number;
}

export type XmlInput = Readable | AsyncIterable<Uint8Array | string>;

/**
 * Encoding from the byte-order mark or the XML declaration. Navet files have been delivered both as UTF-8 and
 * as ISO-8859-1; anything else is refused rather than guessed (a wrong guess silently garbles å, ä, ö, ø).
 * WHATWG decoders map the label iso-8859-1 to windows-1252, identical for every printable Latin-1 character.
 */
function sniffEncoding(head: Uint8Array): { label: string; bomLength: number } | { error: string } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { label: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { label: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { label: 'utf-16be', bomLength: 2 };
  const ascii = Buffer.from(head.subarray(0, Math.min(head.length, 512))).toString('latin1');
  const decl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(ascii);
  if (!decl) return { label: 'utf-8', bomLength: 0 };
  const enc = decl[1]!.toLowerCase();
  if (enc === 'utf-8' || enc === 'utf8') return { label: 'utf-8', bomLength: 0 };
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii'].includes(enc)) {
    return { label: 'windows-1252', bomLength: 0 };
  }
  return { error: `The file declares encoding "${decl[1]}"; only UTF-8, UTF-16 (with byte-order mark) and ISO-8859-1 are read` };
}

interface Frame {
  name: string;
  mode: 'container' | 'capture' | 'skip';
  node?: XmlNode;
}

const NO_ATTRS = Object.freeze({ attrs: Object.freeze({}) as Record<string, string>, nil: false });

function attrsOf(attributes: Record<string, SaxesAttributeNS>): { attrs: Record<string, string>; nil: boolean } {
  let any = false;
  for (const _ in attributes) {
    any = true;
    break;
  }
  // Most register elements have no attributes: share one frozen empty result instead of allocating.
  if (!any) return NO_ATTRS;
  const attrs: Record<string, string> = {};
  let nil = false;
  for (const a of Object.values(attributes)) {
    if (a.uri === XMLNS || a.name === 'xmlns') continue;
    if (a.uri === XSI) {
      if (a.local === 'nil') nil = a.value.trim() === 'true' || a.value.trim() === '1';
      continue;
    }
    attrs[a.uri ? `{${a.uri}}${a.local}` : a.local] = a.value;
  }
  return { attrs, nil };
}

/**
 * Reads `input` and yields containers, captured elements and structural issues. `classify` decides for every
 * element outside a captured one: descend into it ('container'), capture it whole ('capture'), or report and
 * skip it. Throws XmlFatal on malformed XML, an unsupported encoding or an input error; rethrows the signal's
 * reason when aborted. `stats` is updated as reading goes.
 */
export async function* readXml(
  input: XmlInput,
  classify: (path: readonly ElementStart[], el: ElementStart) => Disposition,
  opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void; stats: XmlStats },
): AsyncGenerator<XmlItem, void, undefined> {
  const { signal, onProgress, stats } = opts;
  const queue: XmlItem[] = [];
  const stack: Frame[] = [];
  const path: ElementStart[] = [];
  let fatal: XmlIssue | null = null;
  let startLine = 1;
  let startColumn = 1;
  let capture: { root: XmlNode; nodes: number; depth: number } | null = null;

  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('opentagstart', (tag) => {
    startLine = parser.line;
    // saxes has consumed the name and the character ending it; the column of '<' (1-based) is what remains.
    startColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const { attrs, nil } = attrsOf(tag.attributes);
    const parent = stack[stack.length - 1];
    if (parent && (parent.mode === 'capture' || parent.mode === 'skip')) {
      if (parent.mode === 'skip' || !capture || capture.root.overflow) {
        stack.push({ name: tag.name, mode: 'skip' });
        return;
      }
      if (++capture.nodes > MAX_NODES) {
        capture.root.overflow = true;
        capture.root.children = [];
        stack.push({ name: tag.name, mode: 'skip' });
        return;
      }
      const node: XmlNode = { name: tag.local, ns: tag.uri, attrs, nil, text: '', children: [], line: startLine, column: startColumn };
      parent.node!.children.push(node);
      stack.push({ name: tag.name, mode: 'capture', node });
      return;
    }
    const el: ElementStart = { name: tag.local, ns: tag.uri, attrs, line: startLine, column: startColumn };
    const d = classify(path, el);
    if (d === 'container') {
      queue.push({ type: 'enter', el, depth: path.length });
      path.push(el);
      stack.push({ name: tag.name, mode: 'container' });
    } else if (d === 'capture') {
      const node: XmlNode = { ...el, nil, text: '', children: [] };
      capture = { root: node, nodes: 1, depth: stack.length };
      stack.push({ name: tag.name, mode: 'capture', node });
    } else if (d.fatal) {
      fatal ??= { line: el.line, column: el.column, element: el.name, reason: d.unexpected, code: d.fatal };
      stack.push({ name: tag.name, mode: 'skip' });
    } else {
      queue.push({ type: 'issue', issue: { line: el.line, column: el.column, element: el.name, reason: d.unexpected, code: 'unknown_element' } });
      stack.push({ name: tag.name, mode: 'skip' });
    }
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (!top) return; // saxes itself rejects text outside the root
    if (top.mode === 'capture' && top.node && capture && !capture.root.overflow) {
      // Indentation between child elements is dropped at once: only a leaf's text, or stray text in a
      // complex element (reported later), is kept.
      if (top.node.children.length && !NON_SPACE.test(t)) return;
      if (top.node.text.length + t.length > MAX_TEXT) {
        capture.root.overflow = true;
        capture.root.children = [];
        return;
      }
      top.node.text += t;
    } else if (top.mode === 'container' && t.trim() !== '') {
      queue.push({
        type: 'issue',
        issue: { line: parser.line, column: parser.column + 1, element: path[path.length - 1]?.name ?? '', reason: `Text "${t.trim().slice(0, 40)}" is not allowed here`, code: 'unexpected_text' },
      });
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const frame = stack.pop();
    if (!frame) return;
    if (frame.mode === 'container') {
      path.pop();
      queue.push({ type: 'leave', name: frame.name, depth: path.length });
    } else if (frame.mode === 'capture' && capture && stack.length === capture.depth) {
      queue.push({ type: 'node', node: capture.root, depth: path.length });
      capture = null;
    }
  });
  parser.on('error', (err) => {
    fatal ??= {
      line: parser.line,
      column: parser.column + 1,
      element: stack[stack.length - 1]?.name ?? '',
      reason: `Malformed XML: ${err.message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, '')}`,
      code: 'malformed_xml',
    };
  });

  const feed = (text: string) => {
    for (let i = 0; i < text.length && !fatal; i += SLICE) parser.write(text.slice(i, i + SLICE));
  };

  const it = (input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const dec: { d: TextDecoder | null } = { d: null };
  let head: Uint8Array[] = [];
  let headLength = 0;

  function* drain(): Generator<XmlItem> {
    if (fatal) throw new XmlFatal(fatal);
    if (queue.length > stats.maxBufferedItems) stats.maxBufferedItems = queue.length;
    const items = queue.splice(0);
    for (const item of items) yield item;
  }
  const startDecoding = (bytes: Uint8Array) => {
    const sniff = sniffEncoding(bytes);
    if ('error' in sniff) throw new XmlFatal({ line: 1, column: 1, element: '', reason: sniff.error, code: 'unsupported_encoding' });
    // Non-fatal decoding: an invalid byte becomes U+FFFD, which the value checks report with the element's
    // line (a fatal decoder would only say "somewhere in this 64 KB chunk").
    dec.d = new TextDecoder(sniff.label, { fatal: false, ignoreBOM: false });
  };

  try {
    for (;;) {
      signal?.throwIfAborted();
      let r: IteratorResult<Uint8Array | string>;
      try {
        r = await it.next();
      } catch (e) {
        throw new XmlFatal({ line: parser.line, column: parser.column + 1, element: '', reason: `The file could not be read: ${(e as Error).message}`, code: 'read_error' });
      }
      signal?.throwIfAborted();
      if (r.done) break;
      const chunk = r.value;
      if (typeof chunk === 'string') {
        // Already decoded by the caller (a stream with setEncoding): no sniffing possible or needed.
        stats.bytesRead += Buffer.byteLength(chunk);
        feed(chunk);
      } else {
        stats.bytesRead += chunk.length;
        if (!dec.d) {
          head.push(chunk);
          headLength += chunk.length;
          if (headLength < 512) continue;
          const all = Buffer.concat(head);
          head = [];
          startDecoding(all);
          feed(dec.d!.decode(all, { stream: true }));
        } else {
          feed(dec.d.decode(chunk, { stream: true }));
        }
      }
      yield* drain();
      onProgress?.(stats.bytesRead);
    }
    if (!dec.d && headLength > 0) {
      const all = Buffer.concat(head);
      startDecoding(all);
      feed(dec.d!.decode(all, { stream: true }));
    }
    if (dec.d) feed(dec.d.decode());
    if (!fatal) parser.close();
    yield* drain();
    onProgress?.(stats.bytesRead);
  } finally {
    // Stops and releases the input (a file stream is destroyed) when the consumer breaks off or we failed.
    await it.return?.();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Per-record validation
// ---------------------------------------------------------------------------------------------------------

type Occurrence = '1' | '?' | '*' | '+';

interface Rule {
  names: string[];
  occ: Occurrence;
  /** Position in the XSD sequence (for the order check). */
  slot: number;
  /** Position among the rules (for counting). */
  index: number;
}

/** An XSD sequence of child elements, compiled once: 'Name', 'Name?', 'Name*', 'Name+', '(A|B)' (choice), '*' (xs:any). */
export interface Seq {
  rules: Rule[];
  byName: Map<string, Rule>;
  wildcardSlot: number | null;
  attrs: readonly string[];
}

export function seq(...entries: string[]): Seq {
  const rules: Rule[] = [];
  const byName = new Map<string, Rule>();
  let wildcardSlot: number | null = null;
  entries.forEach((e, slot) => {
    if (e === '*') {
      wildcardSlot = slot;
      return;
    }
    const m = /^(\(([^)]+)\)|[A-Za-z0-9_]+)([?*+]?)$/.exec(e);
    if (!m) throw new Error(`Bad sequence entry ${e}`);
    const names = m[2] ? m[2].split('|') : [m[1]!];
    const rule: Rule = { names, occ: (m[3] || '1') as Occurrence, slot, index: rules.length };
    rules.push(rule);
    for (const n of names) byName.set(n, rule);
  });
  return { rules, byName, wildcardSlot, attrs: [] };
}

/** The same sequence, allowing these attributes (by local name). */
export function withAttrs(s: Seq, ...attrs: string[]): Seq {
  return { ...s, attrs };
}

export class Children {
  constructor(private readonly map: Map<string, XmlNode[]>) {}
  one(name: string): XmlNode | undefined {
    return this.map.get(name)?.[0];
  }
  all(name: string): XmlNode[] {
    return this.map.get(name) ?? [];
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
}

const MAX_OF: Record<Occurrence, number> = { '1': 1, '?': 1, '*': Infinity, '+': Infinity };

export interface ValueOpts {
  /** Maximum length in characters (XSD maxLength). */
  max?: number;
  /** Exact length. */
  length?: number;
  pattern?: RegExp;
  /** Description of `pattern` for the message. */
  patternText?: string;
  attrs?: readonly string[];
}

/**
 * Collects the problems of one captured record. Every check reports where the element stands; none throws, so
 * one record yields all its problems at once and the clerk sees them together.
 */
export class RecordContext {
  readonly issues: XmlIssue[] = [];

  constructor(
    /** The namespace the record's elements must be in. */
    readonly ns: string,
    /** Navet declares most elements nillable; Folkeregisteret none. */
    readonly nilAllowed: boolean,
  ) {}

  report(node: { line: number; column: number; name: string }, code: ProblemCode, reason: string): void {
    this.issues.push({ line: node.line, column: node.column, element: node.name, reason, code });
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  private checkAttrs(node: XmlNode, allowed: readonly string[]): void {
    for (const a in node.attrs) {
      if (!allowed.includes(a)) this.report(node, 'unknown_attribute', `Attribute ${a} is not allowed on <${node.name}>`);
    }
  }

  private checkNil(node: XmlNode): boolean {
    if (!node.nil) return false;
    if (!this.nilAllowed) this.report(node, 'bad_value', `<${node.name}> may not be nil`);
    else if (node.children.length || node.text.trim()) this.report(node, 'bad_value', `<${node.name}> is nil but has content`);
    return true;
  }

  /** Checks `node`'s children against its XSD sequence and groups them by name. */
  children(node: XmlNode, s: Seq): Children {
    const map = new Map<string, XmlNode[]>();
    this.checkAttrs(node, s.attrs);
    if (this.checkNil(node)) return new Children(map);
    if (NON_SPACE.test(node.text)) {
      this.report(node, 'unexpected_text', `<${node.name}> holds elements, not text ("${node.text.trim().slice(0, 40)}")`);
    }
    const counts: number[] = new Array<number>(s.rules.length + 1).fill(0);
    let lastSlot = -1;
    let lastName = '';
    for (const child of node.children) {
      const rule = child.ns === this.ns ? s.byName.get(child.name) : undefined;
      if (!rule) {
        if (s.wildcardSlot !== null && s.wildcardSlot >= lastSlot) {
          lastSlot = s.wildcardSlot;
          continue;
        }
        const where = child.ns !== this.ns && s.byName.has(child.name) ? ` (it is in namespace "${child.ns}", expected "${this.ns}")` : '';
        this.report(child, 'unknown_element', `<${child.name}> is not allowed in <${node.name}>${where}`);
        continue;
      }
      if (rule.slot < lastSlot) {
        this.report(child, 'element_order', `<${child.name}> must come before <${lastName}> in <${node.name}>`);
      }
      if (rule.slot > lastSlot) {
        lastSlot = rule.slot;
        lastName = child.name;
      }
      const n = ++counts[rule.index]!;
      if (n > MAX_OF[rule.occ]) {
        const what = rule.names.length > 1 ? `only one of ${rule.names.map((x) => `<${x}>`).join(', ')}` : `<${child.name}> only once`;
        this.report(child, 'repeated_element', `<${node.name}> may hold ${what}`);
        continue;
      }
      const list = map.get(child.name);
      if (list) list.push(child);
      else map.set(child.name, [child]);
    }
    for (const rule of s.rules) {
      if ((rule.occ === '1' || rule.occ === '+') && !counts[rule.index]) {
        const what = rule.names.length > 1 ? `one of ${rule.names.map((x) => `<${x}>`).join(', ')}` : `<${rule.names[0]}>`;
        this.report(node, 'missing_element', `<${node.name}> lacks ${what}`);
      }
    }
    return new Children(map);
  }

  /** A leaf's trimmed text; null when absent, nil or empty. Checks length and pattern. */
  str(node: XmlNode | undefined, o: ValueOpts = {}): string | null {
    if (!node) return null;
    this.checkAttrs(node, o.attrs ?? []);
    if (this.checkNil(node)) return null;
    if (node.children.length) {
      this.report(node.children[0]!, 'unknown_element', `<${node.name}> takes a value, not elements`);
      return null;
    }
    const v = node.text.trim();
    if (v.includes('\uFFFD')) {
      this.report(node, 'bad_value', `<${node.name}> holds bytes that are not valid in the file's encoding`);
      return null;
    }
    if (v === '') return null;
    // XSD lengths count characters (code points); UTF-16 length is never smaller, so count only when it matters.
    if (o.max !== undefined && v.length > o.max) {
      const len = [...v].length;
      if (len > o.max) this.report(node, 'bad_value', `<${node.name}> is ${len} characters long; at most ${o.max} are allowed`);
    }
    if (o.length !== undefined && v.length !== o.length) {
      const len = [...v].length;
      if (len !== o.length) this.report(node, 'bad_value', `<${node.name}> must be exactly ${o.length} characters, got ${len} ("${v}")`);
    }
    if (o.pattern && !o.pattern.test(v)) this.report(node, 'bad_value', `<${node.name}> "${v.slice(0, 40)}" is not ${o.patternText ?? `of the form ${o.pattern.source}`}`);
    return v;
  }

  /** A required leaf (the sequence check has already reported it missing; this only avoids nulls downstream). */
  req(node: XmlNode | undefined, o: ValueOpts = {}): string {
    return this.str(node, o) ?? '';
  }

  /** xs:integer (optionally bounded). */
  int(node: XmlNode | undefined, min?: number, max?: number): number | null {
    const v = this.str(node);
    if (v === null) return null;
    if (!/^[+-]?\d+$/.test(v)) {
      this.report(node!, 'bad_value', `<${node!.name}> must be a whole number, got "${v.slice(0, 40)}"`);
      return null;
    }
    const n = Number(v);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      this.report(node!, 'bad_value', `<${node!.name}> must be between ${min ?? '−∞'} and ${max ?? '∞'}, got ${v}`);
      return null;
    }
    return n;
  }

  /** A value from a closed code list (an XSD enumeration or the register's documented codes). */
  code<T extends string>(node: XmlNode | undefined, allowed: readonly T[], o: ValueOpts = {}): T | null {
    const v = this.str(node, o);
    if (v === null) return null;
    if (!(allowed as readonly string[]).includes(v)) {
      this.report(node!, 'unknown_code', `<${node!.name}> "${v.slice(0, 40)}" is not one of ${allowed.join(', ')}`);
      return null;
    }
    return v as T;
  }

  /** xs:boolean. */
  bool(node: XmlNode | undefined): boolean | null {
    const v = this.str(node);
    if (v === null) return null;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.report(node!, 'bad_value', `<${node!.name}> must be true or false, got "${v.slice(0, 40)}"`);
    return null;
  }

  /**
   * Navet OfullstandigtDatumTYPE: YYYYMMDD where the register may not know the day or month (00). Keeps the
   * known precision (YYYY-MM, YYYY); 0 means nothing is known.
   */
  navetDate(node: XmlNode | undefined): string | null {
    const v = this.str(node);
    if (v === null) return null;
    if (!/^\d{1,8}$/.test(v)) {
      this.report(node!, 'bad_date', `<${node!.name}> must be a date YYYYMMDD, got "${v.slice(0, 40)}"`);
      return null;
    }
    if (Number(v) === 0) return null;
    if (v.length !== 8) {
      this.report(node!, 'bad_date', `<${node!.name}> must be a date YYYYMMDD, got "${v}"`);
      return null;
    }
    const y = Number(v.slice(0, 4));
    const m = Number(v.slice(4, 6));
    const d = Number(v.slice(6, 8));
    if (y === 0 || m > 12 || (m === 0 && d !== 0) || (d !== 0 && !isCalendarDay(y, m, d))) {
      this.report(node!, 'bad_date', `<${node!.name}> ${v} is not a date`);
      return null;
    }
    if (m === 0) return v.slice(0, 4);
    if (d === 0) return `${v.slice(0, 4)}-${v.slice(4, 6)}`;
    return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
  }

  /** xs:date (an optional time zone is allowed and ignored: the date is the Norwegian calendar date). */
  xsDate(node: XmlNode | undefined): string | null {
    const v = this.str(node);
    if (v === null) return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(v);
    if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
      this.report(node!, 'bad_date', `<${node!.name}> must be a date YYYY-MM-DD, got "${v.slice(0, 40)}"`);
      return null;
    }
    return `${m[1]}-${m[2]}-${m[3]}`;
  }

  /** xs:dateTime → the calendar date in Norway, plus the value as delivered. */
  xsDateTime(node: XmlNode | undefined): { date: string; raw: string } | null {
    const v = this.str(node);
    if (v === null) return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(v);
    if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > 24 || Number(m[5]) > 59 || Number(m[6]) > 60) {
      this.report(node!, 'bad_date', `<${node!.name}> must be a date-time YYYY-MM-DDThh:mm:ss, got "${v.slice(0, 40)}"`);
      return null;
    }
    if (m[8] === 'Z') return { date: osloDate(v), raw: v };
    return { date: `${m[1]}-${m[2]}-${m[3]}`, raw: v };
  }
}

export function isCalendarDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= dim;
}

let osloFormat: Intl.DateTimeFormat | null = null;
/** A UTC instant's calendar date in Norway (Folkeregisteret's dates are Norwegian dates). */
function osloDate(isoUtc: string): string {
  osloFormat ??= new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
  return osloFormat.format(new Date(isoUtc));
}

// ---------------------------------------------------------------------------------------------------------
// Reader plumbing shared by navet.ts and freg.ts
// ---------------------------------------------------------------------------------------------------------

/** Counts records and problems of one read and turns file-level failures into PopulationFileError. */
export class ReadSession {
  readonly stats: XmlStats = { bytesRead: 0, maxBufferedItems: 0 };
  records = 0;
  skippedRecords = 0;
  problems = 0;
  private readonly t0 = performance.now();
  private readonly maxProblems: number;

  private idCache = new Map<string, IdParseResult>();

  constructor(readonly opts: ReadOptions) {
    this.maxProblems = opts.maxProblems ?? 1000;
  }

  /**
   * parseIdentityNumber with a cache: a guardian's number recurs in every child's relations. Bounded (cleared
   * when full) so that memory stays flat over a file of millions of numbers.
   */
  parseId(value: string, country: 'SE' | 'NO', today: string): IdParseResult {
    let r = this.idCache.get(value);
    if (!r) {
      r = parseIdentityNumber(value, { country, today, allowSynthetic: this.opts.allowSynthetic === true });
      if (this.idCache.size >= 20_000) this.idCache.clear();
      this.idCache.set(value, r);
    }
    return r;
  }

  summary(): ReadSummary {
    return {
      records: this.records,
      skippedRecords: this.skippedRecords,
      problems: this.problems,
      bytesRead: this.stats.bytesRead,
      ms: Math.round(performance.now() - this.t0),
      maxBufferedItems: this.stats.maxBufferedItems,
    };
  }

  /** A problem that skips a record (or a stray element); stops the file once there are too many. */
  problem(issue: XmlIssue, recordIndex: number | null, subject: string | null): ReadProblem {
    this.problems++;
    const p: ReadProblem = { ...issue, severity: 'record', recordIndex, subject };
    if (this.problems > this.maxProblems) {
      throw this.fatal({
        line: issue.line,
        column: issue.column,
        element: issue.element,
        reason: `More than ${this.maxProblems} problems: this is probably not the expected file, so none of it is applied`,
        code: 'too_many_problems',
      });
    }
    return p;
  }

  fatal(issue: XmlIssue): PopulationFileError {
    this.problems++;
    return new PopulationFileError({ ...issue, severity: 'file', recordIndex: null, subject: null }, this.summary());
  }

  /** Maps a thrown XmlFatal to PopulationFileError; anything else (an AbortError) passes unchanged. */
  rethrow(e: unknown): never {
    if (e instanceof XmlFatal) throw this.fatal(e.issue);
    throw e;
  }
}

/** Today's local calendar date, the default for identity-number checks. */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
