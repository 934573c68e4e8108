/**
 * A locked fee run's exports to finance (docs/fees.md "Exports"): gathers the run, its lines and recipients
 * from the records, with the protections applied here and nowhere else, and hands them to the pure writers
 * in export/: the CSV in one of the municipality's saved layouts, the UBL 2.1 invoices and credit notes (one
 * per recipient, as one ZIP), the payment basis. Every figure comes from the stored lines, so the files
 * reconcile with the run to the öre.
 *
 * Protections: a shielded guardian is never a recipient (the run never made a line for one). A recipient
 * with a protected identity, or linked to one (person.shielded), has the address withheld unless the user
 * may see protected details for the unit of the child's place; the finance system then sends through the
 * population register's forwarding, and the file says the address was withheld, never what it is.
 */
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { isNoExplanation, type FeeExplanationView, type LineExplanationView, type NoFeeExplanationView } from '../../shared/api/fees';
import { canSeeProtected } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { feeConfig } from './facts';
import { writeFeeCsv } from './export/csv';
import { writePaymentBasis } from './export/payment';
import type { FeeExportInput, FeeExportLine, FeeExportRecipient } from './export/types';
import { writeUblDocuments } from './export/ubl';
import { writeZip } from '../files/zip';

type Lang = 'sv' | 'nb';

const kr = (ore: number) => `${(ore / 100).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} kr`;
const FAMILY: Record<Lang, Record<'preschool' | 'afterschool', string>> = {
  sv: { preschool: 'förskola', afterschool: 'fritidshem' },
  nb: { preschool: 'barnehage', afterschool: 'SFO' },
};

/**
 * One sentence (Swedish or Norwegian) saying how a line's amount was computed, for the export's lines: a
 * maxtaxa line's figures, or a Norwegian line's place, income in G and steps (`noSentence`).
 */
export function explanationSentence(e: LineExplanationView, lang: Lang): string {
  return withCorrection(e, lang, isNoExplanation(e) ? noSentence(e, lang) : seSentence(e, lang));
}

/** The shared-residence and split parts of a line, Swedish or Norwegian alike. */
function sharedSplitParts(e: Pick<LineExplanationView, 'shared' | 'split'>, sv: boolean): string[] {
  const parts: string[] = [];
  if (e.shared) parts.push(`${sv ? 'växelvis boende' : 'delt bosted'}: ${e.shared.shareBp / 100} % ${sv ? 'av' : 'av'} ${kr(e.shared.before)}`);
  if (e.split) parts.push(`${sv ? 'fakturaandel' : 'fakturaandel'} ${e.split.invoiceShare} ${sv ? 'av' : 'av'} ${e.split.sharesTotal} (${kr(e.split.before)})`);
  return parts;
}

/** A correction line's sentence opens with what it corrects. */
function withCorrection(e: Pick<LineExplanationView, 'correction'>, lang: Lang, out: string): string {
  const sv = lang === 'sv';
  if (!e.correction) return out;
  const c = e.correction;
  return `${sv ? 'Rättelse av' : 'Korrigering av'} ${c.month}: ${sv ? 'debiterat' : 'fakturert'} ${kr(c.was)}, ${sv ? 'ska vara' : 'skal være'} ${kr(c.now)}. ${out}`;
}

function seSentence(e: FeeExplanationView, lang: Lang): string {
  const sv = lang === 'sv';
  const income =
    e.income.monthly === null
      ? sv
        ? 'inkomst ej anmäld (maxavgift)'
        : 'inntekt ikke oppgitt (maksimalpris)'
      : e.income.check
        ? sv
          ? `inkomst ${kr(e.income.monthly)} enligt inkomstkontroll ${e.income.check.year} (taxerad ${kr(e.income.check.taxed)} / 12; redovisad ${kr(e.income.check.declared)})`
          : `inntekt ${kr(e.income.monthly)} etter inntektskontroll ${e.income.check.year} (skattet ${kr(e.income.check.taxed)} / 12; oppgitt ${kr(e.income.check.declared)})`
        : `${sv ? 'inkomst' : 'inntekt'} ${kr(e.income.monthly)}${e.income.from ? ` ${sv ? 'från' : 'fra'} ${e.income.from}` : ''}`;
  const parts = [
    `${e.ruleSet.name} (${e.ruleSet.validFrom}–${e.ruleSet.validTo ?? ''})`,
    income,
    `${sv ? 'avgiftsgrund' : 'beregningsgrunnlag'} ${kr(e.feeBase)}`,
    `${sv ? 'barn' : 'barn'} ${e.rank} ${sv ? 'av' : 'av'} ${e.ranked.length}, ${FAMILY[lang][e.family]} ${e.percentBp / 100} %, ${sv ? 'tak' : 'tak'} ${kr(e.cap)}`,
    ...e.local.map((l) => `${l.label}: ${kr(l.before)} → ${kr(l.after)}`),
    `${e.days.charged} ${sv ? 'av' : 'av'} ${e.days.ofMonth} ${sv ? 'dagar' : 'dager'}`,
    ...sharedSplitParts(e, sv),
  ];
  return `${parts.join('; ')}: ${kr(e.amount)}`;
}

/** Thousandths of G with a decimal comma and no trailing zeros: 3250 → "3,25", 4000 → "4". */
const gText = (thousandths: number) => {
  const frac = String(thousandths % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${Math.floor(thousandths / 1000)}${frac ? `,${frac}` : ''}`;
};
const pctText = (bp: number) => `${String(bp / 100).replace('.', ',')} %`;

/**
 * A Norwegian line: the rule set; the place (SFO heltid/deltid and the grade, or barnehage and the child's
 * rank) and the income in G with the yearly income; each step with the fee after it; the days charged and
 * the days of documented illness not charged; shared residence and the split; the amount. nb: "SFO heltid,
 * 2. trinn, inntekt 3,25 G (423 020,00 kr/år): sats 1 650,00 kr (opptil 4 G); 12 gratis timer: 0,00 kr;
 * 30 av 30 dager: 0,00 kr".
 */
function noSentence(e: NoFeeExplanationView, lang: Lang): string {
  const sv = lang === 'sv';
  const band = e.steps.find((s) => s.band)?.band;
  const place =
    e.family === 'afterschool'
      ? `SFO${band ? ` ${band.part ? 'deltid' : 'heltid'}` : ''}${e.grade !== null ? (sv ? `, årskurs ${e.grade}` : `, ${e.grade}. trinn`) : ''}`
      : `barnehage, barn ${e.rank} ${sv ? 'av' : 'av'} ${e.ranked.length}`;
  const i = e.income;
  let income: string;
  if (i.monthly === null || i.yearly === null || i.inGThousandths === null) income = sv ? 'inkomst ej anmäld (högsta avgift)' : 'inntekt ikke oppgitt (høyeste sats)';
  else {
    income = `${sv ? 'inkomst' : 'inntekt'} ${gText(i.inGThousandths)} G (${kr(i.yearly)}/år)`;
    if (i.check) {
      income += sv
        ? ` enligt inkomstkontroll ${i.check.year} (taxerad ${kr(i.check.taxed)} / 12; redovisad ${kr(i.check.declared)})`
        : ` etter inntektskontroll ${i.check.year} (skattet ${kr(i.check.taxed)} / 12; oppgitt ${kr(i.check.declared)})`;
    } else if (i.from) income += ` ${sv ? 'från' : 'fra'} ${i.from}`;
  }
  const steps = e.steps.map((s) => {
    const after = kr(s.amount);
    switch (s.rule) {
      case 'free_month':
        return sv ? 'avgiftsfri månad' : 'betalingsfri måned';
      case 'special_needs':
        return sv ? 'avgiftsfri plats vid särskilda behov' : 'gratis plass ved særskilte behov';
      case 'band': {
        const top = s.band?.upToGThousandths ?? null;
        const where = top === null ? (sv ? 'högsta gruppen' : 'høyeste gruppe') : `${sv ? 'upp till' : 'opptil'} ${gText(top)} G`;
        return `${sv ? 'avgift' : 'sats'} ${after} (${where})`;
      }
      case 'free_hours':
        return `${s.hours ?? ''} ${sv ? 'avgiftsfria timmar' : 'gratis timer'}: ${after}`;
      case 'national_cap':
        return `${sv ? 'nationell ordning max' : 'nasjonal ordning maks'} ${pctText(s.bp ?? 0)}: ${after}`;
      case 'max_price':
        return `${sv ? 'maxpris' : 'maksimalpris'} ${after}`;
      case 'sibling':
        return `${sv ? 'syskonrabatt' : 'søskenmoderasjon'} ${pctText(s.bp ?? 0)}: ${after}`;
      case 'income_cap':
        return `${sv ? 'inkomsttak' : 'inntektstak'} ${pctText(s.bp ?? 0)}: ${after}`;
      case 'free_core_hours':
        return `${s.hours ?? ''} ${sv ? 'avgiftsfria kärntimmar' : 'gratis kjernetimer'}: ${after}`;
    }
  });
  const days = `${e.days.charged} ${sv ? 'av' : 'av'} ${e.days.ofMonth} ${sv ? 'dagar' : 'dager'}`;
  const parts = [
    `${e.ruleSet.name} (${e.ruleSet.validFrom}–${e.ruleSet.validTo ?? ''})`,
    `${place}, ${income}: ${steps.join('; ')}`,
    e.days.illness > 0 ? `${days} (${e.days.illness} ${sv ? 'sjukdagar ej debiterade' : 'sykedager ikke fakturert'})` : days,
    ...sharedSplitParts(e, sv),
  ];
  return `${parts.join('; ')}: ${kr(e.amount)}`;
}

interface LineRow {
  id: string;
  month: string;
  kind: 'charge' | 'correction';
  corrects_line_id: string | null;
  child_id: string;
  unit_id: string;
  school_form: string;
  recipient_id: string | null;
  share_bp: number;
  amount: number;
  explanation: string;
  child_name: string;
  unit_name: string;
}

export interface ExportGathered {
  input: FeeExportInput;
  /** Recipients whose address was withheld from this user. */
  withheld: number;
  persons: string[];
}

const NAME = `trim(coalesce(nullif(pe.preferred_name, ''), pe.given_name) || ' ' || pe.family_name)`;

/** The export's input for a locked run, as `actor` may see it. */
export function gatherExport(ctx: CoreContext, actor: Actor, runId: string): ExportGathered {
  const s = ctx.sqlite;
  const run = s.prepare('SELECT id, month, kind, state, currency, total, locked_at FROM fee_run WHERE id = ? AND deleted_at IS NULL').get(runId) as
    | { id: string; month: string; kind: 'regular' | 'credit_note'; state: string; currency: 'SEK' | 'NOK'; total: number; locked_at: string }
    | undefined;
  if (!run) {
    if (s.prepare('SELECT 1 FROM fee_preview WHERE id = ?').get(runId)) throw ruleViolation('fee_run_state', 'fee_run_state: only a locked run can be exported; lock the preview first', 'id');
    throw new DomainError('not_found', 'No such fee run', 'id');
  }
  const { settings } = feeConfig(ctx);
  const lang: Lang = run.currency === 'NOK' ? 'nb' : 'sv';
  const muni = s.prepare('SELECT name, org_number, country FROM municipality LIMIT 1').get() as { name: string; org_number: string | null; country: 'SE' | 'NO' };
  const rows = s
    .prepare(
      `SELECT l.id, l.month, l.kind, l.corrects_line_id, l.child_id, l.unit_id, l.school_form, l.recipient_id, l.share_bp, l.amount, l.explanation,
         coalesce((SELECT ${NAME} FROM person pe WHERE pe.id = l.child_id), '') AS child_name,
         coalesce((SELECT name FROM org_unit u WHERE u.id = l.unit_id), '') AS unit_name
       FROM fee_line l WHERE l.run_id = ? AND l.deleted_at IS NULL ORDER BY l.rowid`,
    )
    .all(runId) as LineRow[];
  // Recipients: name, customer number, the address the invoice goes to (postal before registered), and
  // whether this user may see it: every unit of the recipient's lines must allow protected details.
  const unitsOf = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.recipient_id) continue;
    let u = unitsOf.get(r.recipient_id);
    if (!u) unitsOf.set(r.recipient_id, (u = new Set()));
    u.add(r.unit_id);
  }
  const person = s.prepare(`SELECT pe.id, ${NAME} AS name, pe.id_canonical, pe.shielded FROM person pe WHERE pe.id = ?`);
  const address = s.prepare(
    `SELECT street, postal_code, city, country FROM person_address WHERE person_id = ? AND kind IN ('postal', 'registered') AND valid_from <= @on AND (valid_to IS NULL OR valid_to >= @on)
     ORDER BY CASE kind WHEN 'postal' THEN 0 ELSE 1 END, valid_from DESC LIMIT 1`,
  );
  const on = ctx.clock.today();
  let withheld = 0;
  const recipients: FeeExportRecipient[] = [];
  for (const [id, units] of unitsOf) {
    const p = person.get(id) as { id: string; name: string; id_canonical: string | null; shielded: number } | undefined;
    if (!p) continue;
    const hide = p.shielded === 1 && ![...units].every((u) => canSeeProtected(actor, u));
    if (hide) withheld++;
    const a = hide ? undefined : (address.get(id, { on }) as { street: string; postal_code: string; city: string; country: string } | undefined);
    recipients.push({
      personId: id,
      name: p.name,
      customerNumber: p.id_canonical ?? id,
      address: a ? { street: a.street, postalCode: a.postal_code, city: a.city, country: a.country.length === 2 ? a.country : muni.country } : null,
      addressWithheld: hide,
    });
  }
  const lines: FeeExportLine[] = rows.map((r) => ({
    id: r.id,
    month: r.month,
    kind: r.kind,
    correctsLineId: r.corrects_line_id,
    childId: r.child_id,
    childName: r.child_name,
    unitName: r.unit_name,
    schoolForm: r.school_form,
    recipientId: r.recipient_id,
    shareBp: r.share_bp,
    amount: r.amount,
    explanation: explanationSentence(JSON.parse(r.explanation) as LineExplanationView, lang),
  }));
  const inv = settings.invoicing;
  const input: FeeExportInput = {
    run: { id: run.id, month: run.month, kind: run.kind, lockedAt: run.locked_at, currency: run.currency, total: run.total, paymentTermsDays: settings.paymentTermsDays },
    seller: {
      name: muni.name,
      orgNumber: (muni.org_number ?? '').replace(/\D/g, ''),
      vatNumber: null,
      address: { street: inv?.street ?? '', postalCode: inv?.postalCode ?? '', city: inv?.city ?? '', country: muni.country },
      paymentAccount: inv?.paymentAccount ?? null,
      iban: inv?.iban ?? null,
      contactEmail: inv?.contactEmail ?? null,
    },
    recipients,
    lines,
  };
  const persons = new Set<string>([...rows.map((r) => r.child_id), ...unitsOf.keys()]);
  return { input, withheld, persons: [...persons] };
}

export type ExportFormat = 'csv' | 'ubl' | 'payment';

export interface ExportFile {
  name: string;
  mime: string;
  data: Buffer | string;
  documents: number;
  skipped: number;
}

/** Writes one format of a gathered run. */
export function writeExport(ctx: CoreContext, g: ExportGathered, format: ExportFormat, layoutId: string | undefined): ExportFile {
  const { input } = g;
  const base = `avgifter-${input.run.month}-${input.run.kind === 'credit_note' ? 'kredit-' : ''}${input.run.id.slice(0, 8)}`;
  if (format === 'csv') {
    const layouts = feeConfig(ctx).settings.csvLayouts;
    const layout = layoutId ? layouts.find((l) => l.id === layoutId) : layouts[0];
    if (!layout) throw new DomainError('validation', `No saved CSV layout ${layoutId}`, 'layout');
    return { name: `${base}.csv`, mime: 'text/csv', data: writeFeeCsv(input, layout), documents: 0, skipped: 0 };
  }
  if (format === 'payment') {
    const p = writePaymentBasis(input);
    return { name: `${base}-betalunderlag.csv`, mime: 'text/csv', data: p.csv, documents: p.rows.length, skipped: p.skipped.length };
  }
  const u = writeUblDocuments(input);
  const zip = writeZip(
    u.documents.map((d) => ({ name: `${d.id}.xml`, data: d.xml })),
    input.run.lockedAt,
  );
  return { name: `${base}-ubl.zip`, mime: 'application/zip', data: zip, documents: u.documents.length, skipped: u.skipped.length };
}
