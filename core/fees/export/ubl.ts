/**
 * A fee run as UBL 2.1 invoices and credit notes (docs/fees.md "Exports"), one document per recipient,
 * shaped for PEPPOL BIS Billing 3.0 on EN 16931 and validated against the UBL XSDs and the EN 16931
 * Schematron in the tests (ubl.test.ts, schematron.ts). Pure: strings in, strings out.
 *
 * Why it looks the way it does:
 * - A recipient's lines netting above zero make an Invoice (380); below zero a CreditNote (381), whose
 *   amounts are positive with every line's sign flipped; a net of zero makes no document and is listed in
 *   `skipped` with its lines, so documents plus skipped always add up to the run's total.
 * - Childcare fees are outside VAT: every line and the one VAT breakdown are category O with exemption
 *   code VATEX-EU-O, no rate, tax 0. BR-O-02 forbids the seller's VAT identifier on such an invoice, so the
 *   seller's vatNumber is deliberately not written; the seller is identified by its organisation number
 *   (PartyLegalEntity CompanyID, ICD 0007 Sweden / 0192 Norway, also its electronic address).
 * - A negative line inside an invoice (a correction smaller than the month's charge) is allowed: its
 *   quantity is -1 and its LineExtensionAmount negative, while the price stays positive (BR-27: an item
 *   net price shall not be negative).
 * - A withheld address still satisfies BR-10/BR-11 (a buyer postal address with a country code): only the
 *   country is written, never a street, postal code or city, nor any word saying it was withheld. The
 *   country is the seller's (the recipient's own is not known when the address is withheld).
 * - No empty elements (PEPPOL-EN16931-R008): an optional value that is blank is left out whole.
 * - Amounts are written from öre by integer arithmetic (formatMinor), never through floating point.
 * - The buyer has no electronic address (EndpointID): a private payer has none. PEPPOL-EN16931-R010
 *   requires one for sending over the PEPPOL network; these documents go to the municipality's finance
 *   system, which EN 16931 alone (validated here) does not restrict.
 */
import { checkFeeExportInput, formatMinor, visibleAddress } from './csv';
import type { FeeExportAddress, FeeExportInput, FeeExportLine, FeeExportRecipient, FeeExportRun, FeeExportSeller } from './types';

export const CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

export type UblKind = 'Invoice' | 'CreditNote';

/** One recipient's document as planned from the lines (what payment.ts needs, without the XML). */
export interface PlannedDocument {
  recipientId: string;
  kind: UblKind;
  /** The document number: the run's id and a sequence number over the run's documents ("<run>-0001"). */
  id: string;
  /** The recipient's net in öre as in the run: positive for an invoice, negative for a credit note. */
  total: number;
  issueDate: string;
  /** Issue date plus the payment terms (for a credit note: when the credit is due; not written in its XML). */
  dueDate: string;
  lines: FeeExportLine[];
}

export interface UblDocument {
  recipientId: string;
  kind: UblKind;
  id: string;
  xml: string;
  /** Signed öre as in the run (negative for a credit note); the XML holds its absolute value. */
  total: number;
}

/** Lines that make no document: a recipient's lines netting to zero, or lines with no recipient. */
export interface UblSkipped {
  recipientId: string | null;
  reason: 'zero_net' | 'no_recipient';
  /** Their sum in öre (0 for zero_net). */
  total: number;
  lineIds: string[];
}

export interface FeeDocumentPlan {
  documents: PlannedDocument[];
  skipped: UblSkipped[];
}

export interface UblResult {
  documents: UblDocument[];
  skipped: UblSkipped[];
}

/** The issue date: the date part of the run's lock time (types.ts), checked to be a real date. */
export function issueDateOf(run: FeeExportRun): string {
  const d = run.lockedAt.slice(0, 10);
  const t = Date.parse(`${d}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== d) throw new Error(`fee run ${run.id}: lockedAt ${run.lockedAt} has no date`);
  return d;
}

/** A calendar date plus whole days (UTC arithmetic: no daylight-saving shifts). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** First and last day of a month YYYY-MM. */
function monthBounds(month: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${month}-01`, end: `${month}-${String(last).padStart(2, '0')}` };
}

/**
 * Groups the lines by recipient into documents and skipped nets (recipients in their input order, lines in
 * theirs; document numbers run over the documents only, so the series has no gaps). Checks the input first.
 */
export function planFeeDocuments(input: FeeExportInput): FeeDocumentPlan {
  checkFeeExportInput(input);
  const { run } = input;
  const issueDate = issueDateOf(run);
  const dueDate = addDays(issueDate, run.paymentTermsDays);
  const byRecipient = new Map<string, FeeExportLine[]>(input.recipients.map((r) => [r.personId, []]));
  const orphans: FeeExportLine[] = [];
  for (const line of input.lines) {
    if (line.recipientId === null) orphans.push(line);
    else byRecipient.get(line.recipientId)?.push(line);
  }
  const documents: PlannedDocument[] = [];
  const skipped: UblSkipped[] = [];
  for (const [recipientId, lines] of byRecipient) {
    if (lines.length === 0) continue;
    const total = lines.reduce((s, l) => s + l.amount, 0);
    if (total === 0) {
      skipped.push({ recipientId, reason: 'zero_net', total: 0, lineIds: lines.map((l) => l.id) });
      continue;
    }
    const id = `${run.id}-${String(documents.length + 1).padStart(4, '0')}`;
    documents.push({ recipientId, kind: total > 0 ? 'Invoice' : 'CreditNote', id, total, issueDate, dueDate, lines });
  }
  if (orphans.length > 0) skipped.push({ recipientId: null, reason: 'no_recipient', total: orphans.reduce((s, l) => s + l.amount, 0), lineIds: orphans.map((l) => l.id) });
  return { documents, skipped };
}

/** The run's documents as UBL XML (see the module comment for the choices), and what made none. */
export function writeUblDocuments(input: FeeExportInput): UblResult {
  const plan = planFeeDocuments(input);
  const recipients = new Map(input.recipients.map((r) => [r.personId, r]));
  return {
    documents: plan.documents.map((doc) => {
      const recipient = recipients.get(doc.recipientId);
      if (!recipient) throw new Error(`recipient ${doc.recipientId} missing`); // checkFeeExportInput rules this out
      return { recipientId: doc.recipientId, kind: doc.kind, id: doc.id, total: doc.total, xml: documentXml(input, doc, recipient) };
    }),
    skipped: plan.skipped,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Texts (the run's currency says the language: SEK Swedish, NOK Norwegian bokmål)

type Lang = 'sv' | 'nb';
const MONTHS: Record<Lang, readonly string[]> = {
  sv: ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'],
  nb: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
};
/** School forms by code (SS 12000 codes and Norway's own); an unknown code is written as it is. */
const SCHOOL_FORMS: ReadonlyMap<string, string> = new Map([
  ['FS', 'Förskola'],
  ['PO', 'Pedagogisk omsorg'],
  ['FTH', 'Fritidshem'],
  ['OPPFTH', 'Öppen fritidsverksamhet'],
  ['BHG', 'Barnehage'],
  ['SFO', 'SFO'],
  ['AKS', 'AKS'],
]);
const TEXT: Record<Lang, { correction: string; share: string; invoiceNote: string; creditNote: string }> = {
  sv: { correction: 'Rättelse', share: 'andel', invoiceNote: 'Barnomsorgsavgift', creditNote: 'Kreditering av barnomsorgsavgift' },
  nb: { correction: 'Korrigering', share: 'andel', invoiceNote: 'Foreldrebetaling', creditNote: 'Kreditering av foreldrebetaling' },
};

function monthName(month: string, lang: Lang): string {
  const [y, m] = month.split('-');
  return `${MONTHS[lang][Number(m) - 1] ?? month} ${y}`;
}

/** "Förskola, Alva Ek, mars 2026" (", andel 50 %" for a shared fee; "Rättelse: " before a correction). */
export function itemName(line: FeeExportLine, lang: Lang): string {
  const parts = [SCHOOL_FORMS.get(line.schoolForm) ?? line.schoolForm, line.childName.trim(), monthName(line.month, lang)].filter((p) => p !== '');
  let name = parts.join(', ');
  if (line.shareBp < 10_000) name += `, ${TEXT[lang].share} ${formatMinor(line.shareBp, ',').replace(/,00$/, '')} %`;
  return line.kind === 'correction' ? `${TEXT[lang].correction}: ${name}` : name;
}

// ---------------------------------------------------------------------------------------------------------
// XML

interface XNode {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XNode[];
}
type Maybe = XNode | null;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced (not allowed in XML 1.0)
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an element or attribute: characters XML 1.0 cannot carry replaced, markup escaped, CR kept as a reference. */
export function xmlEscape(s: string): string {
  return s
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** A text element, or nothing when the value is blank (no empty elements). */
function t(name: string, value: string | null | undefined, attrs?: Record<string, string>): Maybe {
  const v = value?.trim();
  return v ? { name, text: v, ...(attrs ? { attrs } : {}) } : null;
}
/** An element of elements, or nothing when none of them is there. */
function e(name: string, ...children: Maybe[]): Maybe {
  const c = children.filter((x): x is XNode => x !== null);
  return c.length > 0 ? { name, children: c } : null;
}
/** An element that must be there (its absence would be a bug in this file, caught here rather than by the XSD). */
function must(node: Maybe, what: string): XNode {
  if (!node) throw new Error(`UBL: ${what} is empty`);
  return node;
}

function render(node: XNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs ?? {})
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('');
  if (node.children) {
    out.push(`${pad}<${node.name}${attrs}>`);
    for (const c of node.children) render(c, depth + 1, out);
    out.push(`${pad}</${node.name}>`);
  } else out.push(`${pad}<${node.name}${attrs}>${xmlEscape(node.text ?? '')}</${node.name}>`);
}

/**
 * ISO 6523 ICD of an organisation number by the seller's country (0007 Swedish, 10 digits; 0192 Norwegian,
 * 9 digits). A number of another shape gets no scheme (and so no electronic address): a wrong scheme would
 * make PEPPOL refuse the document, a missing one only leaves the identifier unqualified.
 */
function orgScheme(country: string, digits: string): string | null {
  if (country === 'SE' && digits.length === 10) return '0007';
  if (country === 'NO' && digits.length === 9) return '0192';
  return null;
}

function address(name: string, a: Pick<FeeExportAddress, 'country'> & Partial<FeeExportAddress>): XNode {
  return must(e(name, t('cbc:StreetName', a.street), t('cbc:CityName', a.city), t('cbc:PostalZone', a.postalCode), e('cac:Country', t('cbc:IdentificationCode', a.country.toUpperCase()))), name);
}

function supplierParty(seller: FeeExportSeller): XNode {
  const org = seller.orgNumber.replace(/\D/g, '');
  const scheme = orgScheme(seller.address.country.toUpperCase(), org);
  return must(
    e(
      'cac:AccountingSupplierParty',
      e(
        'cac:Party',
        scheme ? t('cbc:EndpointID', org, { schemeID: scheme }) : null,
        e('cac:PartyName', t('cbc:Name', seller.name)),
        address('cac:PostalAddress', seller.address),
        // No PartyTaxScheme: BR-O-02 forbids the seller's VAT identifier on an invoice outside VAT.
        e('cac:PartyLegalEntity', must(t('cbc:RegistrationName', seller.name), 'seller name'), t('cbc:CompanyID', org, scheme ? { schemeID: scheme } : undefined)),
        e('cac:Contact', t('cbc:ElectronicMail', seller.contactEmail)),
      ),
    ),
    'seller',
  );
}

function customerParty(recipient: FeeExportRecipient, fallbackCountry: string): XNode {
  const visible = visibleAddress(recipient);
  return must(
    e(
      'cac:AccountingCustomerParty',
      e(
        'cac:Party',
        e('cac:PartyName', t('cbc:Name', recipient.name)),
        // Withheld or unknown: the country only (BR-10/BR-11), nothing that tells where, nor that it was withheld.
        address('cac:PostalAddress', visible ?? { country: fallbackCountry }),
        e('cac:PartyLegalEntity', must(t('cbc:RegistrationName', recipient.name), `recipient ${recipient.personId} name`)),
      ),
    ),
    'recipient',
  );
}

/**
 * Where to pay (invoices only: in a credit note the account would be where the buyer is paid, which the
 * export does not know). The IBAN when there is one, else the payment account: a Swedish bankgiro
 * ("5050-1055") as digits with branch SE:BANKGIRO (the Swedish PEPPOL convention), other numbers without
 * spaces or dots. Without any account no PaymentMeans (BR-61 requires the account with code 30).
 */
function paymentMeans(seller: FeeExportSeller, currency: string, paymentId: string): Maybe {
  let account: XNode | null = null;
  const iban = seller.iban?.replace(/\s/g, '').toUpperCase();
  const other = seller.paymentAccount?.trim();
  if (iban) account = e('cac:PayeeFinancialAccount', t('cbc:ID', iban));
  else if (other && currency === 'SEK' && /^\d{3,4}-?\d{4}$/.test(other)) {
    account = e('cac:PayeeFinancialAccount', t('cbc:ID', other.replace('-', '')), e('cac:FinancialInstitutionBranch', t('cbc:ID', 'SE:BANKGIRO')));
  } else if (other) account = e('cac:PayeeFinancialAccount', t('cbc:ID', other.replace(/[\s.]/g, '')));
  if (!account) return null;
  return e('cac:PaymentMeans', t('cbc:PaymentMeansCode', '30'), t('cbc:PaymentID', paymentId), account);
}

function taxCategory(name: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory', withReason: boolean): XNode {
  return must(e(name, t('cbc:ID', 'O'), withReason ? t('cbc:TaxExemptionReasonCode', 'VATEX-EU-O') : null, e('cac:TaxScheme', t('cbc:ID', 'VAT'))), name);
}

function documentXml(input: FeeExportInput, doc: PlannedDocument, recipient: FeeExportRecipient): string {
  const { run, seller } = input;
  const lang: Lang = run.currency === 'NOK' ? 'nb' : 'sv';
  const invoice = doc.kind === 'Invoice';
  /** Amounts inside the document: as in the run for an invoice, sign flipped in a credit note. */
  const sign = invoice ? 1 : -1;
  const cur = { currencyID: run.currency };
  const amount = (name: string, ore: number) => must(t(name, formatMinor(ore, '.'), cur), name);
  const net = doc.total * sign;
  const period = monthBounds(run.month);

  const lines = doc.lines.map((line) => {
    const value = line.amount * sign;
    return must(
      e(
        invoice ? 'cac:InvoiceLine' : 'cac:CreditNoteLine',
        must(t('cbc:ID', line.id), 'line id'),
        t('cbc:Note', line.explanation),
        must(t(invoice ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity', value < 0 ? '-1' : '1', { unitCode: 'C62' }), 'quantity'),
        amount('cbc:LineExtensionAmount', value),
        e(
          'cac:Item',
          t('cbc:Description', line.unitName),
          must(t('cbc:Name', itemName(line, lang)), 'item name'),
          e('cac:SellersItemIdentification', t('cbc:ID', line.schoolForm)),
          taxCategory('cac:ClassifiedTaxCategory', false),
        ),
        e('cac:Price', amount('cbc:PriceAmount', Math.abs(value))),
      ),
      'line',
    );
  });

  const root = must(
    e(
      doc.kind,
      t('cbc:CustomizationID', CUSTOMIZATION_ID),
      t('cbc:ProfileID', PROFILE_ID),
      t('cbc:ID', doc.id),
      t('cbc:IssueDate', doc.issueDate),
      // A UBL 2.1 credit note has no DueDate (and its payment means are left out, see paymentMeans).
      invoice ? t('cbc:DueDate', doc.dueDate) : null,
      t(invoice ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode', invoice ? '380' : '381'),
      t('cbc:Note', `${invoice ? TEXT[lang].invoiceNote : TEXT[lang].creditNote} ${monthName(run.month, lang)}`),
      t('cbc:DocumentCurrencyCode', run.currency),
      must(t('cbc:BuyerReference', recipient.customerNumber), `recipient ${recipient.personId} customer number`),
      e('cac:InvoicePeriod', t('cbc:StartDate', period.start), t('cbc:EndDate', period.end)),
      supplierParty(seller),
      customerParty(recipient, seller.address.country),
      invoice ? paymentMeans(seller, run.currency, doc.id) : null,
      e(
        'cac:TaxTotal',
        amount('cbc:TaxAmount', 0),
        e('cac:TaxSubtotal', amount('cbc:TaxableAmount', net), amount('cbc:TaxAmount', 0), taxCategory('cac:TaxCategory', true)),
      ),
      e(
        'cac:LegalMonetaryTotal',
        amount('cbc:LineExtensionAmount', net),
        amount('cbc:TaxExclusiveAmount', net),
        amount('cbc:TaxInclusiveAmount', net),
        amount('cbc:PayableAmount', net),
      ),
      ...lines,
    ),
    doc.kind,
  );
  root.attrs = { xmlns: NS[doc.kind], 'xmlns:cac': NS.cac, 'xmlns:cbc': NS.cbc };
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}
