/** The lists domain's handlers (contract: shared/api/lists.ts): class and group lists on screen and as CSV or PDF files. */
import type { CoreContext } from '../context';
import { listCsv } from '../lists/csv';
import { ListReader, listFilename } from '../lists/lists';
import { defaultListColumns, listPdf } from '../lists/pdf';
import type { DomainHandlers } from '../api/types';

export function createListsHandlers(ctx: CoreContext): DomainHandlers<'lists'> {
  const lists = new ListReader(ctx);
  return {
    'list.get': (i, { actor, audit }) => {
      const { result, personIds } = lists.get(actor, i);
      audit.persons(personIds).detail('list', { unitId: i.unitId, groupId: i.groupId ?? null, date: i.date, kind: i.kind, withContacts: i.withContacts });
      return result;
    },

    'list.export': async (i, { actor, audit, services }) => {
      const { format, lang, columns: chosen, withContacts: asked, ...rest } = i;
      // `columns` decides when given ('contacts' reads the contacts); without it the old switch does.
      const columns = chosen ?? defaultListColumns(asked ?? false);
      const withContacts = columns.includes('contacts');
      const query = { ...rest, withContacts };
      const { result, personIds } = lists.get(actor, query);
      audit
        .persons(personIds)
        .detail('list', { unitId: i.unitId, groupId: i.groupId ?? null, date: i.date, kind: i.kind, withContacts })
        .detail('export', format)
        .detail('columns', columns);
      const municipality = format === 'pdf' ? lists.municipalityName(result.unit.id) : null;
      const bytes =
        format === 'pdf'
          ? await listPdf(result, { lang, withContacts, columns, now: ctx.clock.now(), municipality, printedBy: actor.name })
          : Buffer.from(listCsv(result, lang, withContacts, chosen), 'utf8');
      const file = await services.files.writeExport(actor.id, listFilename(result, lang, format), format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8', bytes);
      return { file, rows: result.rows.length, hiddenProtected: result.hiddenProtected };
    },
  };
}
