/**
 * Search as you type over hundreds of thousands of persons, plus units and groups.
 *
 * Design (measured in test/bench): every query is an index range scan that stops at LIMIT, never a sort of
 * all matches.
 *  - Identity numbers (full or partial, any accepted format): range scans on id_canonical (12/11 digits)
 *    and id_short (SE without century), then trigram infix for fragments such as the last four digits.
 *  - Names, prefix: person_name_token(token, sort_key) range scan on the most selective (longest) word,
 *    the other words checked against the folded name; results come in name order.
 *  - Names, fragment ("sson", "ndr"): FTS5 trigram over person.search_text fills up when prefixes run short.
 * Addresses are never indexed, so a protected person can be found by name and number but never by address.
 */
import type Database from 'better-sqlite3';
import type { SearchHit } from '../../shared/api/schemas';
import { identityDigitsForSearch, parseIdentityNumber } from '../../shared/identity';
import { foldText, foldWords } from '../../shared/text';
import type { CoreContext } from '../context';
import { schoolYearOf } from '../dates';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary';

type HitType = SearchHit['type'];

/** The smallest string greater than every string with prefix `p` (for `>= p AND < next` range scans). */
export function prefixUpperBound(p: string): string {
  return p + '\uffff';
}

/**
 * Whether every query word starts a different name word ("ali ali" needs two names starting with "ali";
 * "anna k" needs an Anna and a K…). Longest query words claim their name word first.
 */
export function prefixesDistinct(query: string[], names: string[]): boolean {
  const free = [...names];
  for (const w of [...query].sort((a, b) => b.length - a.length)) {
    const i = free.findIndex((x) => x.startsWith(w));
    if (i < 0) return false;
    free.splice(i, 1);
  }
  return true;
}

/** Index entries a prefix scan with extra initials reads at most before the trigram phase takes over. */
const SCAN_CAP = 2000;
/** Candidates read from the trigram index for a several-word query, ranked in memory. */
const MULTI_CAP = 300;

export class PersonSearch {
  private readonly byCanonical: Database.Statement;
  private readonly byShort: Database.Statement;
  private readonly byExact: Database.Statement;
  private readonly byTrigram: Database.Statement;
  private readonly byReserve: Database.Statement;
  private readonly tokenStmts = new Map<number, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {
    this.byReserve = sqlite.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM person p WHERE p.reserve_number >= ? AND p.reserve_number < ? AND p.deleted_at IS NULL
       ORDER BY p.reserve_number LIMIT ?`,
    );
    this.byExact = sqlite.prepare(`SELECT ${SUMMARY_COLUMNS} FROM person p WHERE p.id_canonical = ? AND p.deleted_at IS NULL`);
    this.byCanonical = sqlite.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM person p WHERE p.id_canonical >= ? AND p.id_canonical < ? AND p.deleted_at IS NULL
       ORDER BY p.id_canonical LIMIT ?`,
    );
    this.byShort = sqlite.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM person p WHERE p.id_short >= ? AND p.id_short < ? AND p.deleted_at IS NULL
       ORDER BY p.id_short LIMIT ?`,
    );
    this.byTrigram = sqlite.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM person_fts f JOIN person p ON p.rowid = f.rowid
       WHERE person_fts MATCH ? AND p.deleted_at IS NULL LIMIT ?`,
    );
  }

  /**
   * Prefix scan on the driver word; `others` must each occur in the folded name (LIKE on search_text).
   * With other words the scan is capped at SCAN_CAP index entries, so a common driver with a rare
   * combination ("nils lind") costs a bounded amount; the trigram phase then fills up.
   */
  private tokenStmt(others: number): Database.Statement {
    let s = this.tokenStmts.get(others);
    if (!s) {
      const filters = Array.from({ length: others }, () => ` AND p.search_text LIKE ? ESCAPE '\\'`).join('');
      const source =
        others === 0
          ? 'person_name_token t'
          : `(SELECT token, sort_key, person_id FROM person_name_token WHERE token >= ? AND token < ? ORDER BY token, sort_key LIMIT ${SCAN_CAP}) t`;
      s = this.sqlite.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM ${source} JOIN person p ON p.id = t.person_id
         WHERE t.token >= ? AND t.token < ? AND p.deleted_at IS NULL${filters}
         ORDER BY t.token, t.sort_key LIMIT ?`,
      );
      this.tokenStmts.set(others, s);
    }
    return s;
  }

  /** Returns up to `limit` rows, in relevance order, and whether there are more. */
  search(q: string, limit: number, ctx: { today: string; demo: boolean }): { rows: SummaryRow[]; more: boolean } {
    const seen = new Set<string>();
    const out: SummaryRow[] = [];
    const want = limit + 1;
    const add = (rows: unknown[]) => {
      for (const r of rows as SummaryRow[]) {
        if (out.length >= want) return;
        if (!seen.has(r.id)) {
          seen.add(r.id);
          out.push(r);
        }
      }
    };

    // Reserve numbers ("R-1001"): one word with a digit, matched as a prefix, upper case as stored.
    const word = q.trim().toUpperCase();
    if (word.length >= 3 && /\d/.test(word) && /^[A-Z0-9-]+$/.test(word)) add(this.byReserve.all(word, prefixUpperBound(word), want));

    const digits = identityDigitsForSearch(q);
    if (digits) {
      const parsed = parseIdentityNumber(q, { today: ctx.today, allowSynthetic: ctx.demo });
      if (parsed.ok) {
        // A complete, valid number names one person: no need to look further.
        add(this.byExact.all(parsed.canonical));
        if (out.length > 0) return { rows: out, more: false };
      }
      if (out.length < want) add(this.byCanonical.all(digits, prefixUpperBound(digits), want));
      if (out.length < want) add(this.byShort.all(digits, prefixUpperBound(digits), want));
      if (out.length < want && digits.length >= 3) add(this.byTrigram.all(`"${digits}"`, want - out.length + seen.size));
      return { rows: out.slice(0, limit), more: out.length > limit };
    }

    const words = foldWords(q);
    if (words.length === 0) return { rows: [], more: false };
    const long = words.filter((w) => w.length >= 3);
    const nameWords = (r: SummaryRow) => foldWords(`${r.given_name} ${r.middle_name ?? ''} ${r.family_name} ${r.preferred_name ?? ''}`);
    const startsEvery = (r: SummaryRow, ws: string[]) => prefixesDistinct(ws, nameWords(r));

    if (long.length >= 2) {
      // Several real words ("nils lind"): the trigram index intersects their posting lists in well under a
      // millisecond, where a prefix scan on one word must wade through every "Nils" to find the few "Lind".
      // Candidates come unordered, so they are ranked here: every word a name prefix first, then by name.
      const rows = this.byTrigram.all(long.map((w) => `"${w}"`).join(' AND '), MULTI_CAP) as SummaryRow[];
      const short = words.filter((w) => w.length < 3);
      const ranked: { r: SummaryRow; k: string }[] = [];
      for (const r of rows) {
        const nw = nameWords(r);
        if (!prefixesDistinct(short, nw)) continue;
        const allPrefix = prefixesDistinct(words, nw);
        ranked.push({ r, k: `${allPrefix ? 0 : 1}${foldText(r.family_name)}\u0001${foldText(r.given_name)}` });
      }
      add(ranked.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.r));
      return { rows: out.slice(0, limit), more: out.length > limit || rows.length >= MULTI_CAP };
    }

    // One word (or one word and initials, "anna k"): names starting with it, in name order, from the index.
    const driverIdx = words.reduce((best, w, i) => (w.length > words[best]!.length ? i : best), 0);
    const driver = words[driverIdx]!;
    const others = words.filter((_, i) => i !== driverIdx);
    const likeArgs = others.map((w) => `%${w.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    const range = [driver, prefixUpperBound(driver)];
    add(
      (this.tokenStmt(others.length).all(...(others.length ? [...range, ...range] : range), ...likeArgs, want * 2) as SummaryRow[]).filter(
        // The driver and each initial must start different name words ("anna a" is not just "Anna").
        (r) => others.length === 0 || startsEvery(r, words),
      ),
    );
    if (out.length < want && driver.length >= 3) {
      // Fragments inside names ("sson", "ndr"): the trigram index fills up after the prefix matches.
      add((this.byTrigram.all(`"${driver}"`, want + seen.size) as SummaryRow[]).filter((r) => others.length === 0 || startsEvery(r, others)));
    }
    return { rows: out.slice(0, limit), more: out.length > limit };
  }
}

/**
 * The same search over a unit-scoped user's persons (a few thousand at most, already in name order): the
 * same matching rules as PersonSearch, evaluated in memory — nothing outside the set can appear.
 */
export type ScopedRow = SummaryRow & { search_text: string; name_words: string[] };

export function searchWithin(rows: readonly ScopedRow[], q: string, limit: number): { rows: SummaryRow[]; more: boolean } {
  const want = limit + 1;
  const out: SummaryRow[] = [];
  const word = q.trim().toUpperCase();
  if (word.length >= 3 && /\d/.test(word) && /^[A-Z0-9-]+$/.test(word)) {
    for (const r of rows) if (r.reserve_number?.startsWith(word) && out.push(r) >= want) break;
  }
  const digits = identityDigitsForSearch(q);
  if (digits) {
    // search_text carries the canonical and short numbers: a prefix of either, or (from 3 digits) any part.
    const hits = rows.filter((r) => r.id_canonical?.startsWith(digits) || (digits.length >= 3 && r.search_text.includes(digits)));
    for (const r of hits) if (!out.includes(r) && out.push(r) >= want) break;
    return { rows: out.slice(0, limit), more: out.length > limit };
  }
  const words = foldWords(q);
  if (words.length === 0) return { rows: out, more: false };
  const fragments: SummaryRow[] = [];
  const longWords = words.filter((w) => w.length >= 3);
  const shortWords = words.filter((w) => w.length < 3);
  for (const r of rows) {
    if (out.length >= want) break;
    const nw = r.name_words;
    if (prefixesDistinct(words, nw)) out.push(r);
    else if (fragments.length < want && longWords.length > 0 && longWords.every((w) => r.search_text.includes(w)) && prefixesDistinct(shortWords, nw))
      fragments.push(r);
  }
  for (const r of fragments) if (out.length < want) out.push(r);
  return { rows: out.slice(0, limit), more: out.length > limit };
}

export class OrgSearch {
  private readonly units: Database.Statement;
  private readonly groups: Database.Statement;
  constructor(sqlite: Database.Database) {
    this.units = sqlite.prepare(
      `SELECT id, name, school_unit_code, gsi_code, school_forms FROM org_unit
       WHERE deleted_at IS NULL AND kind = 'school_unit'
         AND (name_norm LIKE ? ESCAPE '\\' OR school_unit_code LIKE ? ESCAPE '\\' OR gsi_code LIKE ? ESCAPE '\\' OR org_number LIKE ? ESCAPE '\\')
       ORDER BY (name_norm LIKE ? ESCAPE '\\') DESC, sort_key, id LIMIT ?`,
    );
    // Groups by name prefix ("3a", "blåb") in this and last school year: an index range scan on
    // school_group_name; a contains-scan over every group joined to its unit measured 15 ms at 18 000 groups.
    this.groups = sqlite.prepare(
      `SELECT g.id, g.name, g.unit_id, u.name AS unit_name, g.school_year FROM school_group g JOIN org_unit u ON u.id = g.unit_id
       WHERE g.name_norm >= ? AND g.name_norm < ? AND g.school_year >= ? AND g.deleted_at IS NULL
       ORDER BY g.school_year DESC, u.sort_key, g.sort_key, g.id LIMIT ?`,
    );
  }

  search(q: string, limit: number, schoolYear: number): SearchHit[] {
    const folded = foldWords(q).join(' ');
    if (!folded) return [];
    const esc = folded.replace(/[\\%_]/g, (c) => '\\' + c);
    const contains = `%${esc}%`;
    const code = `${q.trim().replace(/[\\%_\s-]/g, '')}%`;
    const units = this.units.all(contains, code, code, code, `${esc}%`, limit) as {
      id: string;
      name: string;
      school_unit_code: string | null;
      gsi_code: string | null;
      school_forms: string;
    }[];
    const hits: SearchHit[] = units.map((u) => ({
      type: 'unit',
      id: u.id,
      name: u.name,
      code: u.school_unit_code ?? u.gsi_code,
      schoolForms: JSON.parse(u.school_forms) as never,
    }));
    if (folded.length >= 2) {
      const groups = this.groups.all(folded, prefixUpperBound(folded), schoolYear - 1, limit) as {
        id: string;
        name: string;
        unit_id: string;
        unit_name: string;
        school_year: number;
      }[];
      for (const g of groups) hits.push({ type: 'group', id: g.id, name: g.name, unitId: g.unit_id, unitName: g.unit_name, schoolYear: g.school_year });
    }
    return hits;
  }
}

export function searchAll(
  ctx: CoreContext,
  people: PersonSearch,
  org: OrgSearch,
  input: { q: string; limit: number; types?: HitType[] },
  /** A unit-scoped user's persons; undefined for a municipality-wide user. */
  within?: readonly ScopedRow[],
): { items: SearchHit[]; more: boolean } {
  const types = new Set<HitType>(input.types ?? ['person', 'unit', 'group']);
  const today = ctx.clock.today();
  const items: SearchHit[] = [];
  let more = false;
  const wantPersons = types.has('person');
  if (types.has('unit') || types.has('group')) {
    // Units and groups are few; next to persons they take at most a quarter of the list so persons stay
    // visible. Digit-only queries search them too: skolenhetskod (8 digits) and GSI numbers are digits.
    const quota = wantPersons ? Math.max(1, Math.floor(input.limit / 4)) : input.limit;
    const orgHits = org.search(input.q, quota + 1, schoolYearOf(today)).filter((h) => types.has(h.type));
    items.push(...orgHits.slice(0, quota));
    if (orgHits.length > quota) more = true;
  }
  if (wantPersons) {
    // With the list already full this still asks for zero rows, which tells whether persons would follow.
    const r = within
      ? searchWithin(within, input.q, input.limit - items.length)
      : people.search(input.q, input.limit - items.length, { today, demo: ctx.demo });
    for (const row of r.rows) items.push({ type: 'person', ...toSummary(row, today) });
    more = more || r.more;
  }
  return { items, more };
}
