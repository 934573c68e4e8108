/**
 * The UBL writer: one document per recipient with the right kind, numbers and signs, amounts reconciling
 * to the run to the öre, the withheld address kept out, every text escaped, and every document written
 * from realistic Swedish and Norwegian runs valid against the UBL 2.1 XSDs (xmllint) and the EN 16931
 * Schematron (SaxonJS, schematron.ts) with no fatal assertion.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareEn16931, ublSchemaDir, validateEn16931, type Assert } from './schematron';
import type { FeeExportInput, FeeExportLine, FeeExportRecipient } from './types';
import { CUSTOMIZATION_ID, PROFILE_ID, addDays, itemName, writeUblDocuments, xmlEscape, type UblDocument } from './ubl';

const NS = {
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

// ---------------------------------------------------------------------------------------------------------
// Fixtures: a Swedish and a Norwegian run with everything the writer must handle

const RUN_SE = 'run-2026-03-lund';
const secretStreet = 'Hemliga vägen 7';

function line(id: string, recipientId: string | null, amount: number, over: Partial<FeeExportLine> = {}): FeeExportLine {
  return {
    id,
    month: '2026-03',
    kind: 'charge',
    correctsLineId: null,
    childId: `child-${id}`,
    childName: 'Alva Åkesson',
    unitName: 'Förskolan Solrosen',
    schoolForm: 'FS',
    recipientId,
    shareBp: 10_000,
    amount,
    explanation: 'Maxtaxa 2026: 3 % av inkomst 48 000 kr (tak 58 800 kr), barn 1, hela månaden.',
    ...over,
  };
}

function recipient(personId: string, name: string, over: Partial<FeeExportRecipient> = {}): FeeExportRecipient {
  return {
    personId,
    name,
    customerNumber: `K-${personId}`,
    address: { street: `${name}s gata 1`, postalCode: '222 21', city: 'Lund', country: 'SE' },
    addressWithheld: false,
    ...over,
  };
}

function withTotal(input: Omit<FeeExportInput, 'run'> & { run: Omit<FeeExportInput['run'], 'total'> }): FeeExportInput {
  return { ...input, run: { ...input.run, total: input.lines.reduce((s, l) => s + l.amount, 0) } };
}

/** Lund: several recipients, a child's fee split between two households, corrections (one making a credit note), a withheld address, å ä ö, & and <. */
function swedishRun(): FeeExportInput {
  return withTotal({
    run: { id: RUN_SE, month: '2026-03', kind: 'regular', lockedAt: '2026-03-25T14:03:11.123Z', currency: 'SEK', paymentTermsDays: 30 },
    seller: {
      name: 'Lunds kommun',
      orgNumber: '2120001173',
      vatNumber: 'SE212000117301',
      address: { street: 'Kristinebergsvägen 1', postalCode: '221 00', city: 'Lund', country: 'SE' },
      paymentAccount: '5050-1055',
      iban: null,
      contactEmail: 'barnomsorgsavgifter@lund.se',
    },
    recipients: [
      recipient('p1', 'Anna Åkesson'),
      recipient('p2', 'Björn Öström'),
      recipient('p3', 'Cecilia Ärlig'),
      // Protected identity: withheld, and the address field left filled on purpose (the writer must not trust it).
      recipient('p4', 'Dana Berg', { addressWithheld: true, address: { street: secretStreet, postalCode: '999 99', city: 'Hemlingby', country: 'SE' } }),
      recipient('p5', 'Märta Ångström & Jöns <Lund>'),
      recipient('p6', 'Eva Nollsson'),
      recipient('p7', 'Frida Okänd', { address: null }),
    ],
    lines: [
      // p1: two children, and a negative correction inside a positive invoice.
      line('l1', 'p1', 125_000),
      line('l2', 'p1', 61_725, { childName: 'Bo Åkesson', schoolForm: 'FTH', unitName: 'Fritidshemmet Eken', explanation: 'Maxtaxa 2026: 2 % av inkomst, barn 2 & fritidshem < 15 h.' }),
      line('l3', 'p1', -20_050, { kind: 'correction', month: '2026-01', correctsLineId: 'l0-jan', explanation: 'Rättelse januari: ny inkomst 42 000 kr från 1 januari.' }),
      // p2 and p3 share one child's fee (växelvis boende), half each.
      line('l4', 'p2', 61_725, { childId: 'child-shared', childName: 'Cleo Öström-Ärlig', shareBp: 5_000 }),
      line('l5', 'p3', 61_725, { childId: 'child-shared', childName: 'Cleo Öström-Ärlig', shareBp: 5_000 }),
      line('l6', 'p3', 33_333, { childName: 'Dag Ärlig', schoolForm: 'PO', unitName: 'Dagbarnvårdare Lindén', shareBp: 3_333 }),
      // p4: withheld address.
      line('l7', 'p4', 98_000, { childName: 'Ebba' }),
      // p5: corrections larger than the month's charge: a credit note.
      line('l8', 'p5', 50_000, { childName: 'Fia <Lill> & Co' }),
      line('l9', 'p5', -150_000, { kind: 'correction', month: '2025-12', correctsLineId: 'l0-dec', explanation: 'Rättelse december 2025: placeringen upphörde 1 december; "avgift" återbetalas.' }),
      line('l10', 'p5', -1, { kind: 'correction', month: '2026-02', correctsLineId: 'l0-feb', explanation: 'Öresavrundning.' }),
      // p6: a charge and a correction that cancel out: no document.
      line('l11', 'p6', 80_000),
      line('l12', 'p6', -80_000, { kind: 'correction', month: '2026-02', correctsLineId: 'l0-feb6' }),
      // p7: address unknown.
      line('l13', 'p7', 1, { explanation: 'Minsta avgift.' }),
    ],
  });
}

/** Oslo: Norwegian letters, IBAN, sibling discount and a credit note. */
function norwegianRun(): FeeExportInput {
  const no = (personId: string, name: string, over: Partial<FeeExportRecipient> = {}) =>
    recipient(personId, name, { address: { street: 'Storgata 12 B', postalCode: '0155', city: 'Oslo', country: 'NO' }, ...over });
  return withTotal({
    run: { id: 'run-2026-03-oslo', month: '2026-03', kind: 'regular', lockedAt: '2026-03-31T23:59:59+02:00', currency: 'NOK', paymentTermsDays: 14 },
    seller: {
      name: 'Oslo kommune, Bydel Grünerløkka',
      orgNumber: '974 778 742',
      vatNumber: null,
      address: { street: 'Postboks 2128 Grünerløkka', postalCode: '0505', city: 'Oslo', country: 'NO' },
      paymentAccount: '6000.05.12345',
      iban: 'NO93 8601 1117 947',
      contactEmail: null,
    },
    recipients: [no('n1', 'Bjørn Æsøy'), no('n2', 'Kåre Ødegård', { addressWithheld: true, address: null }), no('n3', 'Øyvind Ås')],
    lines: [
      line('m1', 'n1', 315_000, { childName: 'Åse Ærø', schoolForm: 'BHG', unitName: 'Sagene barnehage', explanation: 'Maksimalpris 3 150 kr; søskenmoderasjon 0 %.' }),
      line('m2', 'n1', 94_500, { childName: 'Pål Ærø', schoolForm: 'BHG', unitName: 'Sagene barnehage', explanation: 'Søskenmoderasjon 70 % (barn 2).' }),
      line('m3', 'n2', 197_500, { childName: 'Siri Ødegård', schoolForm: 'SFO', unitName: 'Grünerløkka skole SFO' }),
      line('m4', 'n3', -315_000, { kind: 'correction', month: '2026-02', correctsLineId: 'm0', childName: 'Tor Ås', schoolForm: 'BHG', unitName: 'Sagene barnehage', explanation: 'Redusert foreldrebetaling: inntekt under grensen fra februar.' }),
    ],
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reading the XML back

const parser = new new JSDOM('').window.DOMParser();
function parse(xml: string): Document {
  const doc = parser.parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) throw new Error(`not well formed:\n${xml.slice(0, 500)}`);
  return doc;
}
function all(node: Document | Element, ns: keyof typeof NS, local: string): Element[] {
  return Array.from(node.getElementsByTagNameNS(NS[ns], local));
}
/** Direct children of an element with a name. */
function kids(node: Element, ns: keyof typeof NS, local: string): Element[] {
  return Array.from(node.children).filter((c) => c.namespaceURI === NS[ns] && c.localName === local);
}
function kid(node: Element, ns: keyof typeof NS, local: string): Element {
  const k = kids(node, ns, local)[0];
  if (!k) throw new Error(`${node.localName} has no ${local}`);
  return k;
}
/** The text of a path of direct children (cbc:/cac: by name). */
function at(node: Element, ...path: string[]): string {
  let n = node;
  for (const p of path) {
    const [ns, local] = p.split(':') as [keyof typeof NS, string];
    n = kid(n, ns, local);
  }
  return n.textContent ?? '';
}
/** "123.45" / "-0.05" → öre, by string handling only (no floating point). */
function ore(s: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an amount with two decimals: ${s}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

const docOf = (docs: UblDocument[], recipientId: string) => {
  const d = docs.find((x) => x.recipientId === recipientId);
  if (!d) throw new Error(`no document for ${recipientId}`);
  return d;
};

// ---------------------------------------------------------------------------------------------------------

describe('writeUblDocuments', () => {
  const input = swedishRun();
  const { documents, skipped } = writeUblDocuments(input);

  it('writes one document per recipient: an invoice for a positive net, a credit note for a negative one, none for zero', () => {
    expect(documents.map((d) => [d.recipientId, d.kind, d.id, d.total])).toEqual([
      ['p1', 'Invoice', `${RUN_SE}-0001`, 125_000 + 61_725 - 20_050],
      ['p2', 'Invoice', `${RUN_SE}-0002`, 61_725],
      ['p3', 'Invoice', `${RUN_SE}-0003`, 61_725 + 33_333],
      ['p4', 'Invoice', `${RUN_SE}-0004`, 98_000],
      ['p5', 'CreditNote', `${RUN_SE}-0005`, 50_000 - 150_000 - 1],
      ['p7', 'Invoice', `${RUN_SE}-0006`, 1],
    ]);
    expect(skipped).toEqual([{ recipientId: 'p6', reason: 'zero_net', total: 0, lineIds: ['l11', 'l12'] }]);
    for (const d of documents) expect(parse(d.xml).documentElement.localName).toBe(d.kind);
  });

  it("reconciles to the run's total to the öre: documents' signed totals plus what was skipped", () => {
    const sum = documents.reduce((s, d) => s + d.total, 0) + skipped.reduce((s, k) => s + k.total, 0);
    expect(sum).toBe(input.run.total);
    // And the XML says the same: payable = |total|, the lines add up to it, the totals agree with each other.
    let signed = 0;
    for (const d of documents) {
      const root = parse(d.xml).documentElement;
      const totals = kid(root, 'cac', 'LegalMonetaryTotal');
      const payable = ore(at(totals, 'cbc:PayableAmount'));
      expect(payable).toBe(Math.abs(d.total));
      for (const name of ['LineExtensionAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount']) expect(ore(at(totals, `cbc:${name}`))).toBe(payable);
      const lines = kids(root, 'cac', d.kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine');
      expect(lines.reduce((s, l) => s + ore(at(l, 'cbc:LineExtensionAmount')), 0)).toBe(payable);
      expect(ore(at(root, 'cac:TaxTotal', 'cac:TaxSubtotal', 'cbc:TaxableAmount'))).toBe(payable);
      signed += d.kind === 'Invoice' ? payable : -payable;
    }
    expect(signed).toBe(input.run.total);
  });

  it('writes the PEPPOL BIS 3 header: ids, dates, currency, buyer reference and the run month as the period', () => {
    const inv = parse(docOf(documents, 'p1').xml).documentElement;
    expect(at(inv, 'cbc:CustomizationID')).toBe(CUSTOMIZATION_ID);
    expect(at(inv, 'cbc:ProfileID')).toBe(PROFILE_ID);
    expect(at(inv, 'cbc:ID')).toBe(`${RUN_SE}-0001`);
    expect(at(inv, 'cbc:IssueDate')).toBe('2026-03-25');
    expect(at(inv, 'cbc:DueDate')).toBe('2026-04-24');
    expect(at(inv, 'cbc:InvoiceTypeCode')).toBe('380');
    expect(at(inv, 'cbc:DocumentCurrencyCode')).toBe('SEK');
    expect(at(inv, 'cbc:BuyerReference')).toBe('K-p1');
    expect(at(inv, 'cbc:Note')).toBe('Barnomsorgsavgift mars 2026');
    expect([at(inv, 'cac:InvoicePeriod', 'cbc:StartDate'), at(inv, 'cac:InvoicePeriod', 'cbc:EndDate')]).toEqual(['2026-03-01', '2026-03-31']);

    const cn = parse(docOf(documents, 'p5').xml).documentElement;
    expect(at(cn, 'cbc:CreditNoteTypeCode')).toBe('381');
    expect(kids(cn, 'cbc', 'DueDate')).toHaveLength(0); // a UBL 2.1 credit note has none
    expect(kids(cn, 'cac', 'PaymentMeans')).toHaveLength(0); // the seller's account is not where a credit is paid
    expect(at(cn, 'cbc:Note')).toBe('Kreditering av barnomsorgsavgift mars 2026');
  });

  it('names the seller by its organisation number and never writes its VAT number (BR-O-02)', () => {
    const d = docOf(documents, 'p1');
    const party = kid(kid(parse(d.xml).documentElement, 'cac', 'AccountingSupplierParty'), 'cac', 'Party');
    expect(at(party, 'cac:PartyLegalEntity', 'cbc:RegistrationName')).toBe('Lunds kommun');
    expect(at(party, 'cac:PartyLegalEntity', 'cbc:CompanyID')).toBe('2120001173');
    expect(kid(kid(party, 'cac', 'PartyLegalEntity'), 'cbc', 'CompanyID').getAttribute('schemeID')).toBe('0007');
    expect(kid(party, 'cbc', 'EndpointID').getAttribute('schemeID')).toBe('0007');
    expect(at(party, 'cac:PostalAddress', 'cbc:CityName')).toBe('Lund');
    expect(at(party, 'cac:Contact', 'cbc:ElectronicMail')).toBe('barnomsorgsavgifter@lund.se');
    expect(kids(party, 'cac', 'PartyTaxScheme')).toHaveLength(0);
    for (const doc of documents) expect(doc.xml).not.toContain('SE212000117301');
  });

  it('asks for a credit transfer to the bankgiro with the document number as the reference', () => {
    const d = docOf(documents, 'p2');
    const pm = kid(parse(d.xml).documentElement, 'cac', 'PaymentMeans');
    expect(at(pm, 'cbc:PaymentMeansCode')).toBe('30');
    expect(at(pm, 'cbc:PaymentID')).toBe(d.id);
    expect(at(pm, 'cac:PayeeFinancialAccount', 'cbc:ID')).toBe('50501055');
    expect(at(pm, 'cac:PayeeFinancialAccount', 'cac:FinancialInstitutionBranch', 'cbc:ID')).toBe('SE:BANKGIRO');
  });

  it('writes only the country for a withheld or unknown address, and nothing of the withheld one', () => {
    const withheld = docOf(documents, 'p4');
    const address = (d: UblDocument) => kid(kid(kid(parse(d.xml).documentElement, 'cac', 'AccountingCustomerParty'), 'cac', 'Party'), 'cac', 'PostalAddress');
    for (const d of [withheld, docOf(documents, 'p7')]) {
      const a = address(d);
      expect(Array.from(a.children).map((c) => c.localName)).toEqual(['Country']);
      expect(at(a, 'cac:Country', 'cbc:IdentificationCode')).toBe('SE');
    }
    for (const secret of [secretStreet, '999 99', 'Hemlingby']) for (const d of documents) expect(d.xml).not.toContain(secret);
    expect(withheld.xml.toLowerCase()).not.toMatch(/skydd|withheld|protected|hemlig/);
    // The name and customer number are still there: the finance system bills the person.
    const party = kid(kid(parse(withheld.xml).documentElement, 'cac', 'AccountingCustomerParty'), 'cac', 'Party');
    expect(at(party, 'cac:PartyLegalEntity', 'cbc:RegistrationName')).toBe('Dana Berg');
    // A visible address is written whole.
    const open = address(docOf(documents, 'p2'));
    expect(Array.from(open.children).map((c) => c.localName)).toEqual(['StreetName', 'CityName', 'PostalZone', 'Country']);
    expect(at(open, 'cbc:StreetName')).toBe('Björn Öströms gata 1');
  });

  it('writes a negative line inside an invoice with quantity -1 and a positive price (BR-27)', () => {
    const l3 = all(parse(docOf(documents, 'p1').xml), 'cac', 'InvoiceLine').find((l) => at(l, 'cbc:ID') === 'l3');
    if (!l3) throw new Error('line l3 missing');
    expect(at(l3, 'cbc:InvoicedQuantity')).toBe('-1');
    expect(at(l3, 'cbc:LineExtensionAmount')).toBe('-200.50');
    expect(at(l3, 'cac:Price', 'cbc:PriceAmount')).toBe('200.50');
    expect(at(l3, 'cac:Item', 'cbc:Name')).toBe('Rättelse: Förskola, Alva Åkesson, januari 2026');
    expect(at(l3, 'cbc:Note')).toBe('Rättelse januari: ny inkomst 42 000 kr från 1 januari.');
  });

  it("flips every line's sign inside a credit note, so its amounts are positive", () => {
    const cn = parse(docOf(documents, 'p5').xml);
    const lines = all(cn, 'cac', 'CreditNoteLine').map((l) => [at(l, 'cbc:ID'), at(l, 'cbc:CreditedQuantity'), at(l, 'cbc:LineExtensionAmount'), at(l, 'cac:Price', 'cbc:PriceAmount')]);
    expect(lines).toEqual([
      ['l8', '-1', '-500.00', '500.00'],
      ['l9', '1', '1500.00', '1500.00'],
      ['l10', '1', '0.01', '0.01'],
    ]);
    expect(at(cn.documentElement, 'cac:LegalMonetaryTotal', 'cbc:PayableAmount')).toBe('1000.01');
  });

  it('names each line by school form, child and month, with the share of a split fee, outside VAT', () => {
    const names = (d: UblDocument) => all(parse(d.xml), 'cac', 'Item').map((i) => at(i, 'cbc:Name'));
    expect(names(docOf(documents, 'p1'))).toEqual(['Förskola, Alva Åkesson, mars 2026', 'Fritidshem, Bo Åkesson, mars 2026', 'Rättelse: Förskola, Alva Åkesson, januari 2026']);
    expect(names(docOf(documents, 'p3'))).toEqual(['Förskola, Cleo Öström-Ärlig, mars 2026, andel 50 %', 'Pedagogisk omsorg, Dag Ärlig, mars 2026, andel 33,33 %']);
    const item = all(parse(docOf(documents, 'p3').xml), 'cac', 'Item')[1];
    if (!item) throw new Error('item missing');
    expect(at(item, 'cbc:Description')).toBe('Dagbarnvårdare Lindén');
    expect(at(item, 'cac:SellersItemIdentification', 'cbc:ID')).toBe('PO');
    expect(at(item, 'cac:ClassifiedTaxCategory', 'cbc:ID')).toBe('O');
    expect(kids(kid(item, 'cac', 'ClassifiedTaxCategory'), 'cbc', 'Percent')).toHaveLength(0); // BR-O-05
    const cat = kid(kid(kid(parse(docOf(documents, 'p3').xml).documentElement, 'cac', 'TaxTotal'), 'cac', 'TaxSubtotal'), 'cac', 'TaxCategory');
    expect([at(cat, 'cbc:ID'), at(cat, 'cbc:TaxExemptionReasonCode'), at(cat, 'cac:TaxScheme', 'cbc:ID')]).toEqual(['O', 'VATEX-EU-O', 'VAT']);
    expect(at(parse(docOf(documents, 'p3').xml).documentElement, 'cac:TaxTotal', 'cbc:TaxAmount')).toBe('0.00');
  });

  it('escapes every text: & < > and quotes come back exactly as they were', () => {
    const d = docOf(documents, 'p5');
    expect(d.xml).toContain('Märta Ångström &amp; Jöns &lt;Lund&gt;');
    const doc = parse(d.xml);
    const party = kid(kid(doc.documentElement, 'cac', 'AccountingCustomerParty'), 'cac', 'Party');
    expect(at(party, 'cac:PartyLegalEntity', 'cbc:RegistrationName')).toBe('Märta Ångström & Jöns <Lund>');
    const items = all(doc, 'cac', 'Item').map((i) => at(i, 'cbc:Name'));
    expect(items[0]).toBe('Förskola, Fia <Lill> & Co, mars 2026');
    expect(all(doc, 'cac', 'CreditNoteLine').map((l) => at(l, 'cbc:Note'))[1]).toBe('Rättelse december 2025: placeringen upphörde 1 december; "avgift" återbetalas.');
  });

  it('replaces characters XML cannot carry and keeps a carriage return', () => {
    expect(xmlEscape('a\u0001b\u001Fc\uFFFEd\uD800e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(xmlEscape(`"x' & y\r\n<z>`)).toBe('&quot;x&apos; &amp; y&#13;\n&lt;z&gt;');
    expect(xmlEscape('😀 ÅÄÖ æøå')).toBe('😀 ÅÄÖ æøå'); // a surrogate pair is one character
    const odd = swedishRun();
    odd.recipients[0] = { ...odd.recipients[0]!, name: 'Anna\u0007 Åkesson' };
    const xml = writeUblDocuments(odd).documents[0]!.xml;
    expect(at(kid(kid(parse(xml).documentElement, 'cac', 'AccountingCustomerParty'), 'cac', 'Party'), 'cac:PartyName', 'cbc:Name')).toBe('Anna\uFFFD Åkesson');
  });

  it('writes Norwegian documents: IBAN, organisation number scheme 0192, Norwegian texts', () => {
    const no = norwegianRun();
    const r = writeUblDocuments(no);
    expect(r.documents.map((d) => [d.recipientId, d.kind, d.total])).toEqual([
      ['n1', 'Invoice', 409_500],
      ['n2', 'Invoice', 197_500],
      ['n3', 'CreditNote', -315_000],
    ]);
    const inv = parse(r.documents[0]!.xml).documentElement;
    expect(at(inv, 'cbc:IssueDate')).toBe('2026-03-31');
    expect(at(inv, 'cbc:DueDate')).toBe('2026-04-14');
    expect(at(inv, 'cbc:Note')).toBe('Foreldrebetaling mars 2026');
    expect(at(inv, 'cac:PaymentMeans', 'cac:PayeeFinancialAccount', 'cbc:ID')).toBe('NO9386011117947');
    const party = kid(kid(inv, 'cac', 'AccountingSupplierParty'), 'cac', 'Party');
    expect(at(party, 'cac:PartyLegalEntity', 'cbc:CompanyID')).toBe('974778742');
    expect(kid(party, 'cbc', 'EndpointID').getAttribute('schemeID')).toBe('0192');
    expect(all(inv.ownerDocument, 'cac', 'Item').map((i) => at(i, 'cbc:Name'))).toEqual(['Barnehage, Åse Ærø, mars 2026', 'Barnehage, Pål Ærø, mars 2026']);
    const cn = parse(r.documents[2]!.xml);
    expect(all(cn, 'cac', 'Item').map((i) => at(i, 'cbc:Name'))).toEqual(['Korrigering: Barnehage, Tor Ås, februar 2026']);
  });

  it('pays to the account number when there is no IBAN, and leaves payment means out when there is no account', () => {
    const a = swedishRun();
    a.seller = { ...a.seller, paymentAccount: '1234 56-7890123', iban: null };
    const pm = kid(parse(writeUblDocuments(a).documents[0]!.xml).documentElement, 'cac', 'PaymentMeans');
    expect(at(pm, 'cac:PayeeFinancialAccount', 'cbc:ID')).toBe('123456-7890123');
    expect(kids(kid(pm, 'cac', 'PayeeFinancialAccount'), 'cac', 'FinancialInstitutionBranch')).toHaveLength(0);
    const b = swedishRun();
    b.seller = { ...b.seller, paymentAccount: null, iban: null };
    expect(writeUblDocuments(b).documents[0]!.xml).not.toContain('PaymentMeans');
  });

  it('lists lines without a recipient as skipped, so the run still reconciles', () => {
    const base = swedishRun();
    const orphan = line('l99', null, 12_345);
    const input2 = { ...base, lines: [...base.lines, orphan], run: { ...base.run, total: base.run.total + 12_345 } };
    const r = writeUblDocuments(input2);
    expect(r.skipped).toContainEqual({ recipientId: null, reason: 'no_recipient', total: 12_345, lineIds: ['l99'] });
    expect(r.documents.reduce((s, d) => s + d.total, 0) + r.skipped.reduce((s, k) => s + k.total, 0)).toBe(input2.run.total);
  });

  it('refuses an input that does not reconcile or names an unknown recipient', () => {
    const a = swedishRun();
    expect(() => writeUblDocuments({ ...a, run: { ...a.run, total: a.run.total + 1 } })).toThrow(/sum to/);
    expect(() => writeUblDocuments({ ...a, lines: [...a.lines, line('x', 'nobody', 0)] })).toThrow(/not among/);
    expect(() => writeUblDocuments({ ...a, run: { ...a.run, lockedAt: 'yesterday' } })).toThrow(/no date/);
    expect(() => writeUblDocuments({ ...a, run: { ...a.run, lockedAt: '2026-02-30T10:00:00Z' } })).toThrow(/no date/);
    expect(() => writeUblDocuments({ ...a, run: { ...a.run, lockedAt: '2026-13-45T10:00:00Z' } })).toThrow(/no date/);
    expect(() => writeUblDocuments({ ...a, lines: [line('f', 'p1', 10.5)], run: { ...a.run, total: 10.5 } })).toThrow(/whole number/);
  });

  it('refuses a recipient without a customer number or name (BR-07 and PEPPOL-EN16931-R003 need them)', () => {
    const a = swedishRun();
    a.recipients[1] = { ...a.recipients[1]!, customerNumber: '  ' };
    expect(() => writeUblDocuments(a)).toThrow(/customer number/);
    const b = swedishRun();
    b.recipients[1] = { ...b.recipients[1]!, name: '' };
    expect(() => writeUblDocuments(b)).toThrow(/p2 name/);
  });

  it('writes nothing for an empty run', () => {
    const a = swedishRun();
    expect(writeUblDocuments({ ...a, lines: [], run: { ...a.run, total: 0 } })).toEqual({ documents: [], skipped: [] });
  });

  it('computes due dates across month and year ends without time zone shifts', () => {
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30'); // the night clocks go forward in Sweden
    expect(addDays('2026-03-25', 0)).toBe('2026-03-25');
  });

  it('builds item names in both languages', () => {
    expect(itemName(line('a', 'p', 1, { schoolForm: 'OPPFTH', childName: '', month: '2026-07' }), 'sv')).toBe('Öppen fritidsverksamhet, juli 2026');
    expect(itemName(line('a', 'p', 1, { schoolForm: 'constructor', childName: 'Ola' }), 'sv')).toBe('constructor, Ola, mars 2026');
    expect(itemName(line('a', 'p', 1, { schoolForm: 'XYZ', childName: 'Ola', month: '2026-05', shareBp: 2_500, kind: 'correction' }), 'nb')).toBe('Korrigering: XYZ, Ola, mai 2026, andel 25 %');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Validation: the UBL 2.1 XSDs and the EN 16931 Schematron

/** Runs xmllint; throws (failing the test) when xmllint is missing or the file is invalid. */
function xmllint(schema: string, file: string): void {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new Error('xmllint is not installed (Debian: apt-get install libxml2-utils); the XSD checks cannot run', { cause: e });
    throw new Error(`${file} is not valid against ${schema}:\n${(err.stderr ?? '').slice(0, 2000)}`, { cause: e });
  }
}

describe('the documents are valid UBL 2.1 and EN 16931', () => {
  let dir: string;
  const written = [...writeUblDocuments(swedishRun()).documents, ...writeUblDocuments(norwegianRun()).documents];
  // And the variants: no payment account, account number instead of IBAN.
  const noAccount = swedishRun();
  noAccount.seller = { ...noAccount.seller, paymentAccount: null, iban: null };
  written.push({ ...writeUblDocuments(noAccount).documents[0]!, id: 'variant-no-account' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-ubl-'));
    const t0 = performance.now();
    await prepareEn16931();
    console.info(`EN 16931 Schematron ready (compiled or from cache, parsed) in ${Math.round(performance.now() - t0)} ms`);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('covers invoices and credit notes', () => {
    expect(new Set(written.map((d) => d.kind))).toEqual(new Set(['Invoice', 'CreditNote']));
  });

  it('validates every document against the UBL 2.1 XSD of its kind', () => {
    const xsd = (kind: string) => join(ublSchemaDir(), 'xsdrt', 'maindoc', `UBL-${kind}-2.1.xsd`);
    for (const d of written) {
      const file = join(dir, `${d.id}.xml`);
      writeFileSync(file, d.xml);
      xmllint(xsd(d.kind), file);
    }
  });

  it('passes the EN 16931 Schematron with no fatal assertion', async () => {
    const warnings: (Assert & { doc: string })[] = [];
    const times: number[] = [];
    for (const d of written) {
      const t0 = performance.now();
      const r = await validateEn16931(d.xml);
      times.push(performance.now() - t0);
      expect(r.fatal.map((a) => `${d.id}: ${a.id} ${a.text} @ ${a.location}`)).toEqual([]);
      warnings.push(...r.warnings.map((w) => ({ ...w, doc: d.id })));
    }
    console.info(`EN 16931: ${written.length} documents, ${Math.round(times.reduce((a, b) => a + b, 0) / times.length)} ms each on average (max ${Math.round(Math.max(...times))} ms)`);
    if (warnings.length > 0) console.info(`EN 16931 warnings:\n${warnings.map((w) => `${w.doc}: ${w.id} ${w.text}`).join('\n')}`);
    // None are expected; a new one is to be looked at (and listed here with the reason it is acceptable).
    expect(warnings.map((w) => w.id)).toEqual([]);
  }, 120_000);

  it('reports a tampered document as fatal (the check can fail)', async () => {
    const d = written.find((x) => x.kind === 'Invoice')!;
    const tampered = d.xml.replace(/(<cbc:PayableAmount currencyID="SEK">)[^<]*/, '$11.00');
    expect(tampered).not.toBe(d.xml);
    const r = await validateEn16931(tampered);
    expect(r.fatal.map((a) => a.id)).toContain('BR-CO-16');
    // A VAT rate on a line outside VAT breaks BR-O-05.
    const withRate = d.xml.replace(/(<cac:ClassifiedTaxCategory>\s*<cbc:ID>O<\/cbc:ID>)/, '$1<cbc:Percent>0</cbc:Percent>');
    expect(withRate).not.toBe(d.xml);
    expect((await validateEn16931(withRate)).fatal.map((a) => a.id)).toContain('BR-O-05');
  }, 60_000);
});
