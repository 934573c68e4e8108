/**
 * What a fee run's exports are written from (docs/fees.md "Exports"): a locked run, its lines, the
 * municipality as seller and each invoice recipient as buyer. The run code (core/fees/run.ts) gathers
 * these, with every protection already applied: a recipient whose address the user may not see has
 * `address: null` and `addressWithheld: true`; a shielded guardian is never a recipient at all.
 * The writers (csv.ts, ubl.ts, payment.ts) are pure functions of these values.
 */

/** Money is in öre/øre (integers); a negative amount is a credit. */
export interface FeeExportRun {
  id: string;
  /** The month the run invoices (YYYY-MM). */
  month: string;
  /** A regular monthly run (charges and corrections) or a separate credit-note run. */
  kind: 'regular' | 'credit_note';
  /** When it was locked (ISO timestamp); the invoices' issue date is its date part. */
  lockedAt: string;
  currency: 'SEK' | 'NOK';
  /** The sum of all lines (öre). */
  total: number;
  /** Days from the issue date to the due date (the municipality's setting). */
  paymentTermsDays: number;
}

export interface FeeExportAddress {
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface FeeExportSeller {
  name: string;
  /** Organisationsnummer / organisasjonsnummer (digits only, 10 SE / 9 NO). */
  orgNumber: string;
  /** VAT identifier if any (municipal childcare fees are outside VAT: tax category O). */
  vatNumber: string | null;
  address: FeeExportAddress;
  /** Where payments go: a bankgiro / account number, and the IBAN if the municipality has one. */
  paymentAccount: string | null;
  iban: string | null;
  contactEmail: string | null;
}

export interface FeeExportRecipient {
  personId: string;
  name: string;
  /** The customer number the finance system knows the payer by (the identity number where allowed). */
  customerNumber: string;
  /** Null when withheld (protected identity and the user may not see it) or unknown. */
  address: FeeExportAddress | null;
  addressWithheld: boolean;
}

export interface FeeExportLine {
  id: string;
  /** The month the line charges (a correction names an earlier month). */
  month: string;
  kind: 'charge' | 'correction';
  /** The original line a correction refers to (null for a charge or when the month had no line). */
  correctsLineId: string | null;
  childId: string;
  childName: string;
  unitName: string;
  /** School form code: FS, PO, FTH (SE); SFO, AKS, BHG (NO). */
  schoolForm: string;
  recipientId: string | null;
  /** The recipient's part of the child's fee in basis points (10 000 = all). */
  shareBp: number;
  /** öre; negative for a credit. */
  amount: number;
  /** One sentence: how the amount was computed (rule set, income used, rank, percentage, cap, days). */
  explanation: string;
}

export interface FeeExportInput {
  run: FeeExportRun;
  seller: FeeExportSeller;
  recipients: FeeExportRecipient[];
  lines: FeeExportLine[];
}
