/**
 * Reading the audit log for the auditor: filtered pages for the audit screen and a CSV export.
 * Output shapes are the contract's `audit.query` and `audit.export` (shared/api/contract.ts).
 */
import { sortByText } from '../../shared/collation';
import { collationCountry } from '../register/persons';
import type Database from 'better-sqlite3';
import type { MethodOutput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { parseIdentityNumber } from '../../shared/identity';
import { csvCell } from '../text/csv';
import { EXPORT_HEAD_MARK } from './anchor';
import { GENESIS_HASH, personIndexMark } from './chain';

export interface AuditFilter {
  userId?: string;
  /** A person id, an identity number in any accepted format, or a reserve number. */
  person?: string;
  /** ISO dates, inclusive, compared with the date of the UTC timestamp `at`. */
  from?: string;
  to?: string;
  action?: string;
}

export interface AuditQueryOptions {
  /** Fixes the century of 10-digit Swedish numbers typed into the person filter. */
  today: string;
  /** Demo databases accept synthetic Norwegian test numbers, as elsewhere in the core. */
  demo: boolean;
  /** The export's time, written on its head line (default: the real clock). */
  now?: string;
}

export type AuditQueryResult = MethodOutput<'audit.query'>;
export type AuditExportResult = MethodOutput<'audit.export'>;
type AuditItem = AuditQueryResult['items'][number];

/** Larger exports would not open in Excel comfortably, and a filter that wide is rarely what an auditor meant. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The person id a person filter means, or null when no person matches. Unknown persons give an empty
 * result rather than an error, so the audit screen cannot be used to probe who is registered.
 * Soft-deleted persons are found too (their audit trail outlives them); when several rows carry the same
 * number, the live one wins, then the most recently deleted.
 */
export function resolvePersonFilter(sqlite: Database.Database, person: string, opts: AuditQueryOptions): string | null {
  const input = person.trim();
  if (!input) return null;
  if (UUID.test(input)) return input.toLowerCase();
  const parsed = parseIdentityNumber(input, { today: opts.today, allowSynthetic: opts.demo });
  if (parsed.ok) {
    const row = sqlite
      .prepare<[string], { id: string }>('SELECT id FROM person WHERE id_canonical = ? ORDER BY deleted_at IS NOT NULL, deleted_at DESC LIMIT 1')
      .get(parsed.canonical);
    if (row) return row.id;
  }
  const reserve = sqlite
    .prepare<[string], { id: string }>('SELECT id FROM person WHERE reserve_number = ? ORDER BY deleted_at IS NOT NULL, deleted_at DESC LIMIT 1')
    .get(input.toUpperCase());
  return reserve ? reserve.id : null;
}

/** The day after an ISO date, so `to` can be an exclusive bound that still uses the index on `at`. */
function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

interface Where {
  sql: string;
  params: (string | number)[];
  /** The person filter named nobody: the answer is empty whatever else the filter says. */
  empty: boolean;
}

function buildWhere(sqlite: Database.Database, filter: AuditFilter, opts: AuditQueryOptions): Where {
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new DomainError('validation', 'The end date is before the start date', 'to', [
      { field: 'to', code: 'date_range', message: 'The end date is before the start date' },
    ]);
  }
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.userId) {
    clauses.push('actor_id = ?');
    params.push(filter.userId);
  }
  if (filter.person?.trim()) {
    const id = resolvePersonFilter(sqlite, filter.person, opts);
    if (id === null) return { sql: '', params: [], empty: true };
    // The indexed part through audit_person, the short tail not indexed yet by its person_ids (chain.ts,
    // "The person index is built behind the log"), matched as the JSON string the column holds.
    clauses.push('seq IN (SELECT seq FROM audit_person WHERE person_id = ? UNION ALL SELECT seq FROM audit_log WHERE seq > ? AND instr(person_ids, ?) > 0)');
    params.push(id, personIndexMark(sqlite), JSON.stringify(id));
  }
  // `at` is an ISO UTC timestamp, so plain string comparison against dates orders correctly.
  if (filter.from) {
    clauses.push('at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    clauses.push('at < ?');
    params.push(nextDay(filter.to));
  }
  if (filter.action) {
    clauses.push('action = ?');
    params.push(filter.action);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, empty: false };
}

interface LogRow {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  workstation: string;
  method: string;
  action: string;
  outcome: string;
  person_ids: string;
  details: string;
  reason: string | null;
  hash: string;
}

const COLUMNS = 'seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, hash';

// A tampered row must not make the whole log unreadable for the auditor; verify reports the tampering.
function parseIds(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { unparseable: text };
  } catch {
    return { unparseable: text };
  }
}

function toItem(r: LogRow): AuditItem {
  return {
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    workstation: r.workstation,
    method: r.method,
    action: r.action,
    outcome: r.outcome,
    personIds: parseIds(r.person_ids),
    details: parseDetails(r.details),
    reason: r.reason,
  };
}

/** "Family, Given" of the given person ids (deleted persons included); names only, never addresses. */
function personNames(sqlite: Database.Database, ids: Iterable<string>): Map<string, string> {
  const list = [...new Set(ids)];
  const out = new Map<string, string>();
  if (!list.length) return out;
  // One bound JSON array instead of a variable-length IN list: a page may name thousands of persons.
  const rows = sqlite
    .prepare<[string], { id: string; family_name: string; given_name: string }>(
      'SELECT id, family_name, given_name FROM person WHERE id IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(list));
  for (const r of rows) out.set(r.id, `${r.family_name}, ${r.given_name}`);
  return out;
}

/**
 * Every actor in the log with the name of their latest entry. Walks the (actor_id, seq) index one actor
 * at a time, so the cost grows with the number of users rather than with the length of the log.
 */
function auditUsers(sqlite: Database.Database): { id: string; name: string }[] {
  const rows = sqlite
    .prepare<[], { id: string; name: string }>(
      `WITH RECURSIVE a(id) AS (
         SELECT min(actor_id) FROM audit_log
         UNION ALL
         SELECT (SELECT min(actor_id) FROM audit_log WHERE actor_id > a.id) FROM a WHERE a.id IS NOT NULL
       )
       SELECT id, (SELECT actor_name FROM audit_log l WHERE l.actor_id = a.id ORDER BY seq DESC LIMIT 1) AS name
       FROM a WHERE id IS NOT NULL`,
    )
    .all();
  // In the country's alphabetical order; the id breaks ties between users of the same name.
  return sortByText(rows, (r) => `${r.name}\u0001${r.id}`, collationCountry(sqlite));
}

/** One page of the filtered log, newest first. */
export function queryAudit(sqlite: Database.Database, filter: AuditFilter, offset: number, limit: number, opts: AuditQueryOptions): AuditQueryResult {
  // One read snapshot, so the total agrees with the page while other workstations keep appending.
  return sqlite.transaction(() => queryInSnapshot(sqlite, filter, offset, limit, opts))();
}

function queryInSnapshot(sqlite: Database.Database, filter: AuditFilter, offset: number, limit: number, opts: AuditQueryOptions): AuditQueryResult {
  const users = auditUsers(sqlite);
  const where = buildWhere(sqlite, filter, opts);
  if (where.empty) return { items: [], total: 0, persons: {}, users };
  const total = (sqlite.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM audit_log ${where.sql}`).get(...where.params) as { n: number }).n;
  const rows = sqlite
    .prepare<unknown[], LogRow>(`SELECT ${COLUMNS} FROM audit_log ${where.sql} ORDER BY seq DESC LIMIT ? OFFSET ?`)
    .all(...where.params, limit, offset);
  const items = rows.map(toItem);
  const names = personNames(sqlite, items.flatMap((i) => i.personIds));
  return { items, total, persons: Object.fromEntries(names), users };
}


const CSV_HEADER = ['seq', 'at', 'actor_id', 'actor_name', 'workstation', 'method', 'action', 'outcome', 'person_ids', 'person_names', 'reason', 'details', 'hash'];

/**
 * The filtered log as CSV, oldest first: RFC 4180 (CRLF, doubled quotes) with a UTF-8 byte order mark,
 * without which Excel reads the file as ANSI and garbles å, ä, ö and ø. person_ids are separated by
 * spaces and person_names, in the same order, by "; " (names themselves contain a comma); details is the
 * stored JSON text. A filter matching more than AUDIT_EXPORT_MAX_ROWS entries is refused, not cut short,
 * since a silently partial export would mislead whoever reads it.
 *
 * The last line is the head of the whole chain when the export was made, whatever the filter, so every
 * export is also an anchor (anchor.ts; `kansli audit verify --anchor FILE`):
 *
 *   #audit-head,seq=<seq>,hash=<hash>,exported=<ISO time>,,,,,,,,,
 *
 * padded to the 13 columns of the header (seq=0 and the genesis hash for an empty log). Its first cell
 * is not a number, so it cannot be mistaken for an entry. It names the head before the export's own
 * audit entry, which is appended after the export is made.
 */
export function exportAuditCsv(sqlite: Database.Database, filter: AuditFilter, opts: AuditQueryOptions): AuditExportResult {
  // One read snapshot, so the row count checked against the cap is the count exported.
  return sqlite.transaction(() => exportInSnapshot(sqlite, filter, opts))();
}

function exportHeadLine(sqlite: Database.Database, now: string): string {
  const head = sqlite.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get();
  const cells = [EXPORT_HEAD_MARK, `seq=${head?.seq ?? 0}`, `hash=${head?.hash ?? GENESIS_HASH}`, `exported=${now}`];
  while (cells.length < CSV_HEADER.length) cells.push('');
  return cells.map(csvCell).join(',');
}

function exportInSnapshot(sqlite: Database.Database, filter: AuditFilter, opts: AuditQueryOptions): AuditExportResult {
  const filename = `kansli-audit-${opts.today}.csv`;
  const lines: string[] = [CSV_HEADER.join(',')];
  const headLine = exportHeadLine(sqlite, opts.now ?? new Date().toISOString());
  const where = buildWhere(sqlite, filter, opts);
  if (where.empty) return { filename, csv: `\uFEFF${[...lines, headLine].join('\r\n')}\r\n`, rows: 0 };
  const total = (sqlite.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM audit_log ${where.sql}`).get(...where.params) as { n: number }).n;
  if (total > AUDIT_EXPORT_MAX_ROWS) {
    throw new DomainError(
      'validation',
      `The filter matches ${total} entries; an export holds at most ${AUDIT_EXPORT_MAX_ROWS}. Narrow the filter (dates, user, person or action).`,
    );
  }
  const names = new Map<string, string>();
  const nameOf = sqlite.prepare<[string], { family_name: string; given_name: string }>('SELECT family_name, given_name FROM person WHERE id = ?');
  const lookup = (id: string): string => {
    let n = names.get(id);
    if (n === undefined) {
      const r = nameOf.get(id);
      n = r ? `${r.family_name}, ${r.given_name}` : '';
      names.set(id, n);
    }
    return n;
  };
  let rows = 0;
  for (const r of sqlite.prepare<unknown[], LogRow>(`SELECT ${COLUMNS} FROM audit_log ${where.sql} ORDER BY seq`).iterate(...where.params)) {
    const ids = parseIds(r.person_ids);
    lines.push(
      [
        r.seq,
        r.at,
        r.actor_id,
        r.actor_name,
        r.workstation,
        r.method,
        r.action,
        r.outcome,
        ids.join(' '),
        ids.map(lookup).join('; '),
        r.reason,
        r.details,
        r.hash,
      ]
        .map(csvCell)
        .join(','),
    );
    rows++;
  }
  lines.push(headLine);
  return { filename, csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows };
}
