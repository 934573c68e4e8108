/**
 * A data table that shows persons logs every CSV or print in the core's audit log before the file or
 * print is made (`audit.exportShown`); when the log refuses, nothing leaves the screen.
 */
import { useCallback } from 'react';
import { useApi } from '../lib/api';

export function useExportLog<T>(view: string, personIdsOf: (row: T) => readonly (string | null | undefined)[]): (rows: readonly T[], format: 'csv' | 'print') => Promise<boolean> {
  const api = useApi();
  return useCallback(
    async (rows: readonly T[], format: 'csv' | 'print') => {
      const ids = new Set<string>();
      for (const r of rows) for (const id of personIdsOf(r)) if (id) ids.add(id);
      const r = await api.tryCall('audit.exportShown', { view, format, rows: rows.length, personIds: [...ids] });
      return r.ok;
    },
    [api, view, personIdsOf],
  );
}
