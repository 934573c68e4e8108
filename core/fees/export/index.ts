/**
 * The fee run's export writers (docs/fees.md "Exports"), pure functions of a FeeExportInput (types.ts):
 * CSV in a chosen layout, UBL 2.1 invoices and credit notes, and the payment basis. The EN 16931
 * Schematron runner (schematron.ts) is not re-exported: it loads SaxonJS and reads files, so only what
 * validates documents imports it.
 */
export type { FeeExportAddress, FeeExportInput, FeeExportLine, FeeExportRecipient, FeeExportRun, FeeExportSeller } from './types';
export { CSV_COLUMNS, DEFAULT_CSV_LAYOUTS, checkFeeExportInput, csvField, csvLayout, formatMinor, writeFeeCsv, type CsvColumn, type CsvLabels, type CsvLayout, type CsvLayoutInput } from './csv';
export {
  CUSTOMIZATION_ID,
  PROFILE_ID,
  planFeeDocuments,
  writeUblDocuments,
  type FeeDocumentPlan,
  type PlannedDocument,
  type UblDocument,
  type UblKind,
  type UblResult,
  type UblSkipped,
} from './ubl';
export { writePaymentBasis, type PaymentBasis, type PaymentBasisRow } from './payment';
