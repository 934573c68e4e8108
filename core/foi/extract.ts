/**
 * The redacted extract (issue 13, step 6; docs/foi.md "The extract"): a PDF written anew from the reviewed
 * items, never edited from a richer document.
 *
 * - Each person concerned under their name, or "Person n" when their identity is masked or withheld; each
 *   item as its fields. A masked field is a box as long as its value with its ground's citation: the value
 *   is never handed to the PDF kit (no glyph, no width, no text), so it is in no content stream, font subset,
 *   annotation, bookmark or metadata. A withheld item is one line naming its ground.
 * - A disclosed or partly masked document is rendered page by page (core/documents/render.ts) with its masked
 *   regions burnt into the pixels; a withheld document is one line.
 * - The redaction log at the end: every masked or withheld part, its ground and reason.
 * - The metadata names the kind and the day only (no person, no value).
 *
 * What the extract discloses was decided in the review; producing it is reading all of it, so an extract
 * that discloses a protected person's whereabouts needs protected.reveal for them, like the review did.
 */
import type { PersonScope } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { type FoiItemCategory, type FoiLanguage } from '../../shared/domain/foi';
import { PdfKit, type FieldRow } from '../pdf/kit';
import { catalogs } from '../../shared/i18n';
import { formatIdentityNumber } from '../../shared/identity';
import { countryName, languageName } from '../../shared/i18n/names';
import { readRecord } from '../sync/records';
import { documentBytes } from '../documents/handlers';
import { renderDocumentPages } from '../documents/render';
import { itemsPage, SHOWN, type ListedItem } from './gather';
import { EXTRACT_WORDS, fieldLabel, GDPR_TEXT } from './extract-text';
import { foiGrounds, parseParts, Reviewer, reviewGaps } from './review';
import { unnamedLast, type RequestRow } from './requests';
import type { DocumentMime } from '../../shared/domain/documents';

export interface ExtractResult {
  bytes: Uint8Array;
  pages: number;
  masked: number;
  withheld: number;
  persons: string[];
  /** The redaction log as printed (the decision letter states the same parts). */
  log: LogLine[];
  /** Items shown in the extract, wholly or in part (0: the request is refused outright). */
  shown: number;
}

export interface LogLine {
  person: string;
  part: string;
  action: 'masked' | 'withheld';
  citation: string;
  reason: string;
}

/** Checks the request may be extracted now (and by this actor); returns its live items in order. */
export function extractableItems(ctx: CoreContext, scope: PersonScope, actor: Actor, r: Pick<RequestRow, 'id' | 'status'>): ListedItem[] {
  if (r.status !== 'review' && r.status !== 'decision' && r.status !== 'decided') {
    throw ruleViolation('foi_move', `foi_move: the extract is made once the request is in review (it is ${r.status})`, 'requestId');
  }
  const gaps = reviewGaps(ctx, r.id);
  if (gaps.unreviewed || gaps.stale) throw ruleViolation('foi_review_incomplete', `foi_review_incomplete: ${gaps.unreviewed} item(s) not reviewed, ${gaps.stale} changed since their review`, 'requestId', gaps);
  const items = itemsPage(ctx, r.id, {}, 0, Number.MAX_SAFE_INTEGER).rows.filter((i) => i.gone_at === null);
  const reviewer = new Reviewer(ctx, scope, actor);
  for (const i of items) {
    const parts = parseParts(i.field_review);
    const shown = SHOWN[i.entity] ?? [];
    const discloses = i.outcome === 'disclose' || (i.outcome === 'mask' && (parts.regions.length > 0 || (Object.keys(parts.fields).length > 0 && Object.keys(parts.fields).length < shown.length)));
    if (discloses && reviewer.guarded(i) && !scope.allows(actor, 'protected.reveal', i.person_id)) {
      throw new DomainError('forbidden', 'The extract discloses a protected person\'s whereabouts: making it needs protected.reveal for them', 'requestId');
    }
  }
  return items;
}

export async function buildExtract(
  ctx: CoreContext,
  r: Pick<RequestRow, 'id' | 'kind' | 'language' | 'received_on' | 'registry_number' | 'asked_for'>,
  items: readonly ListedItem[],
  actor: Pick<Actor, 'name'>,
): Promise<ExtractResult> {
  const lang: FoiLanguage = r.language;
  const words = EXTRACT_WORDS[lang];
  const grounds = new Map(foiGrounds(ctx).grounds.map((g) => [g.code, g]));
  const citation = (code: string | null | undefined) => (code ? (grounds.get(code)?.citation ?? code) : '');
  const municipality = (ctx.sqlite.prepare('SELECT name FROM municipality LIMIT 1').pluck().get() as string | undefined) ?? null;
  const now = ctx.clock.now();
  const kit = await PdfKit.create({
    title: `${words.title[r.kind]} ${r.received_on}`,
    createdAt: now,
    lang,
    header: { municipality, lines: [`${words.received}: ${r.received_on}${r.registry_number ? ` · ${words.registryNumber}: ${r.registry_number}` : ''}`] },
    footer: { printed: words.made(now.slice(0, 10), actor.name), pageLabel: words.page },
  });
  kit.text(`${words.asked}: ${r.asked_for}`, { muted: true });
  kit.gap(6);
  if (r.kind === 'gdpr_access') gdprSection(ctx, kit, lang, items);

  const log: LogLine[] = [];
  let masked = 0;
  let withheld = 0;
  let documents = 0;
  let shown = 0;
  const byPerson = new Map<string, ListedItem[]>();
  for (const i of items) {
    const list = byPerson.get(i.person_id);
    if (list) list.push(i);
    else byPerson.set(i.person_id, [i]);
  }
  // Each person concerned as the extract names them ("Person n" when their identity is not disclosed),
  // settled before any record is printed: a record that refers to one of them names them the same way.
  // Those whose identity is withheld come after the named ones, numbered in an order that says nothing
  // about them: in their alphabetical place, "Person 6" between Lundqvist and Olofsson would tell a class's
  // reader who it is (requests.ts unnamedLast).
  const refs: Refs = { names: new Map(), households: new Map(), words };
  const read = [...byPerson].map(([personId, list]) => {
    const identity = list.find((i) => i.category === 'identity');
    const person = readRecord(ctx.sqlite, 'person', personId);
    const hidden = !identity || identity.outcome !== 'disclose' || !person;
    return { personId, list, identity, person, hidden };
  });
  let hiddenNo = 0;
  const shownPersons = unnamedLast(read, r.id, (x) => x.personId, (x) => !x.hidden).map(({ personId, list, identity, person, hidden }) => {
    const personNo = hidden ? ++hiddenNo : 0;
    const shownName = hidden || !person ? words.person(personNo) : `${String(person.family_name)}, ${String(person.given_name)}`;
    refs.names.set(personId, shownName);
    const born = !hidden && person?.birth_date ? ` (${String(person.birth_date)})` : '';
    return { list, personNo, identity, hidden, shownName, born };
  });
  for (const { list, personNo, identity, hidden, shownName, born } of shownPersons) {
    kit.heading(hidden ? words.personHidden(personNo, citation(identity?.ground ?? firstGround(identity))) : `${shownName}${born}`, 12, { sub: 9.5 });
    for (const item of list) {
      const what = words.category[item.category as FoiItemCategory];
      const row = readRecord(ctx.sqlite, item.entity, item.record_id);
      if (!row) continue;
      if (item.outcome === 'withhold') {
        withheld++;
        kit.text(words.withheldItem(what, citation(item.ground)));
        log.push({ person: shownName, part: `${what}: ${words.whole}`, action: 'withheld', citation: citation(item.ground), reason: item.reason ?? '' });
        continue;
      }
      const parts = parseParts(item.field_review);
      const maskAll = item.outcome === 'mask' && Object.keys(parts.fields).length === 0 && parts.regions.length === 0;
      shown++;
      kit.heading(what, 9.5);
      const rows: FieldRow[] = [];
      for (const col of SHOWN[item.entity] ?? []) {
        const raw = row[col];
        if (raw === null || raw === undefined || raw === '') continue;
        const label = fieldLabel(lang, col);
        const fieldMask = maskAll ? { ground: item.ground } : parts.fields[col];
        if (fieldMask) {
          const value = format(ctx, lang, item.entity, col, raw, refs);
          masked++;
          const c = citation(fieldMask.ground ?? item.ground);
          // Only the length of the value is used: its characters go nowhere.
          rows.push({ label, masked: [...value].length, citation: c });
          log.push({ person: shownName, part: `${what}: ${label}`, action: 'masked', citation: c, reason: item.reason ?? '' });
          continue;
        }
        rows.push({ label, value: format(ctx, lang, item.entity, col, raw, refs) });
      }
      kit.fieldRows(rows);
      if (item.category === 'document') {
        documents++;
        const title = parts.fields.title || maskAll ? words.document(documents) : String(row.title);
        if (maskAll) {
          withheld++;
          kit.text(words.documentWithheld(title, citation(item.ground)));
          log.push({ person: shownName, part: `${what}: ${title}`, action: 'withheld', citation: citation(item.ground), reason: item.reason ?? '' });
          continue;
        }
        const bytes = documentBytes(ctx, String(row.content_sha256));
        if (!bytes) throw new DomainError('unavailable', 'This workstation does not hold a document\'s content', 'requestId');
        const pages = await renderDocumentPages(
          bytes,
          row.mime as DocumentMime,
          parts.regions.map((g) => ({ ...g, label: citation(g.ground ?? item.ground) })),
        );
        for (const [n, page] of pages.entries()) await kit.imagePage({ jpg: page.jpg }, words.documentPage(title, n + 1, pages.length), { below: n === 0 });
        for (const g of parts.regions) {
          masked++;
          log.push({ person: shownName, part: `${title}: ${words.region(g.page)}`, action: 'masked', citation: citation(g.ground ?? item.ground), reason: item.reason ?? '' });
        }
      }
    }
    kit.gap(6);
  }

  kit.heading(words.log, 12);
  kit.text(words.logIntro, { muted: true });
  kit.text(words.summary(masked, withheld), { muted: true });
  kit.table(
    [
      { heading: words.logColumns.n, width: 5, align: 'right', cell: (l: LogLine & { n: number }) => String(l.n) },
      { heading: words.logColumns.person, width: 20, cell: (l) => l.person },
      { heading: words.logColumns.part, width: 28, cell: (l) => l.part },
      { heading: words.logColumns.action, width: 12, cell: (l) => (l.action === 'masked' ? words.masked : words.withheld) },
      { heading: words.logColumns.ground, width: 15, cell: (l) => l.citation },
      { heading: words.logColumns.reason, width: 20, cell: (l) => l.reason },
    ],
    log.map((l, n) => ({ ...l, n: n + 1 })),
    { empty: words.nothing },
  );
  const out = await kit.save();
  return { bytes: out.bytes, pages: out.pages, masked, withheld, persons: [...byPerson.keys()], log, shown };
}

/**
 * GDPR art. 15(1)(a)–(h) in plain language: why the data is kept, what kinds, to whom it goes, for how long,
 * where it comes from, the data subject's rights; and (art. 15(1)(c)) the disclosures of it Kansli logged,
 * by category of recipient (never another requester's name).
 */
function gdprSection(ctx: CoreContext, kit: PdfKit, lang: FoiLanguage, items: readonly ListedItem[]): void {
  const country = ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NO' : 'SE';
  const g = GDPR_TEXT[lang];
  kit.heading(g.heading, 11);
  for (const [title, body] of g.parts(country)) {
    kit.heading(title, 9.5);
    kit.text(body);
  }
  const subjects = [...new Set(items.filter((i) => i.category === 'identity').map((i) => i.person_id))];
  const rows = subjects.length
    ? (ctx.sqlite
        .prepare(
          `SELECT d.disclosed_on, d.recipient_kind, r.kind FROM foi_disclosure d JOIN foi_request r ON r.id = d.request_id
           WHERE EXISTS (SELECT 1 FROM json_each(d.persons) p WHERE p.value IN (SELECT value FROM json_each(?))) ORDER BY d.disclosed_on DESC, d.id`,
        )
        .all(JSON.stringify(subjects)) as { disclosed_on: string; recipient_kind: string; kind: string }[])
    : [];
  kit.heading(g.disclosures, 9.5);
  if (!rows.length) kit.text(g.noDisclosures);
  for (const d of rows) kit.text(`${d.disclosed_on}: ${g.recipient(d.kind, d.recipient_kind)}`);
  kit.gap(6);
}

function firstGround(i: ListedItem | undefined): string | null {
  if (!i) return null;
  const parts = parseParts(i.field_review);
  return i.ground ?? Object.values(parts.fields)[0]?.ground ?? null;
}

const MONEY_COLUMNS = new Set(['amount', 'monthly_income']);

/** Coded values the catalogs name (a value without a name there prints as stored). */
const CODE_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  person: { sex: 'sex', status: 'status' },
  person_address: { kind: 'addressKind' },
  person_contact: { kind: 'contactKind' },
  guardianship: { kind: 'guardianship' },
  placement: { school_form: 'schoolForm', state: 'care.placementStatus' },
  enrolment: { school_form: 'schoolForm' },
  application: { school_form: 'schoolForm', status: 'care.applicationStatus' },
  fee_line: { school_form: 'schoolForm', kind: 'fees.lineKind' },
  person_document: { kind: 'documents.kind', classification: 'documents.classification' },
  household_member: { role: 'care.household.role' },
  income_declaration: { source: 'fees.income.source' },
};

/** How the extract refers to persons and households: a person concerned by the name it shows them by, a household by its number here. */
interface Refs {
  names: Map<string, string>;
  households: Map<string, number>;
  words: (typeof EXTRACT_WORDS)[FoiLanguage];
}

/** A stored value as the extract prints it: names for references, money in kronor, shares in per cent. */
function format(ctx: CoreContext, lang: FoiLanguage, entity: string, col: string, raw: unknown, refs: Refs): string {
  const words = EXTRACT_WORDS[lang];
  const code = CODE_KEYS[entity]?.[col];
  if (code) {
    const named = (catalogs[lang] as Record<string, string>)[`${code}.${String(raw)}`];
    if (named) return named;
  }
  if (col === 'id_canonical') return formatIdentityNumber(String(raw), { today: ctx.clock.today() });
  // Citizenship and mother tongue are stored as ISO codes (SE, ti): named in the requester's language.
  if (col === 'nationality') return countryName(String(raw), lang);
  if (col === 'mother_tongue') return languageName(String(raw), lang);
  if (col === 'unit_id' || col === 'group_id') {
    return (ctx.sqlite.prepare(`SELECT name FROM ${col === 'unit_id' ? 'org_unit' : 'school_group'} WHERE id = ?`).pluck().get(raw) as string | undefined) ?? String(raw);
  }
  if (col === 'child_id' || col === 'guardian_id' || col === 'recipient_id') {
    const concerned = refs.names.get(String(raw));
    if (concerned) return concerned;
    const p = ctx.sqlite.prepare('SELECT given_name, family_name FROM person WHERE id = ?').get(raw) as { given_name: string; family_name: string } | undefined;
    return p ? `${p.family_name}, ${p.given_name}` : String(raw);
  }
  if (col === 'household_id') {
    let n = refs.households.get(String(raw));
    if (n === undefined) refs.households.set(String(raw), (n = refs.households.size + 1));
    return refs.words.household(n);
  }
  if (MONEY_COLUMNS.has(col)) return `${(Number(raw) / 100).toFixed(2)} ${ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NOK' : 'SEK'}`;
  if (col === 'share_bp') return `${(Number(raw) / 100).toFixed(2)} %`;
  if (col === 'lives_with' || col === 'shared') return Number(raw) ? words.yes : words.no;
  if (col === 'invoice_share') return `${String(raw)} %`;
  return String(raw);
}

