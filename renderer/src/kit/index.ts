/** The form kit and the data table: every form and list in Kansli is built from these. */
export { mapApiError, issueMessage, ruleMessage, nearestField, type FieldError, type FieldErrors, type MappedError } from './errors';
export { useFieldMessage } from './messages';
export { useForm, focusFirstError, type Form, type FormOptions } from './useForm';
export { FormActions, FormBanner, DiscardModal, type FormActionsProps } from './FormParts';
export { FormDialog, type FormDialogProps } from './FormDialog';
export { FormPage, useLeaveGuard, releaseLeaveGuard, type FormPageProps } from './FormPage';
export { rememberFocus } from './focus';
export { DataTable, RowAction, type DataTableProps, type VirtualRows } from './DataTable';
export { sortRows, nextSort, tableCsv, csvField, compareCells, visibleColumns, type Column, type SortState, type ColumnKind } from './table';
export { useExportLog } from './exportLog';
