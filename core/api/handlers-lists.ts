/** Handlers of the lists part of the care contract (shared/api/care.ts): class/placement lists and the year rollover. */
import type { PersonScope } from '../access/scope';
import type { CoreContext } from '../context';
import { listCsv } from '../lists/csv';
import { ListReader, listFilename } from '../lists/lists';
import { listPdfSync } from '../lists/pdf-legacy';
import { Rollover } from '../placements/rollover';
import type { CoreHandlers } from './handlers';

export type ListsMethods = 'list.get' | 'list.export' | 'rollover.preview' | 'rollover.commit';

export function createListsHandlers(ctx: CoreContext, _scope: PersonScope): Pick<CoreHandlers, ListsMethods> {
  const lists = new ListReader(ctx);
  const rollover = new Rollover(ctx);
  return {
    'list.get': (i, { actor, audit }) => {
      const { result, personIds } = lists.get(actor, i);
      audit.persons(personIds).detail('list', { unitId: i.unitId, groupId: i.groupId ?? null, date: i.date, kind: i.kind, withContacts: i.withContacts });
      return result;
    },

    'list.export': (i, { actor, audit }) => {
      const { format, lang, ...query } = i;
      const { result, personIds } = lists.get(actor, query);
      audit
        .persons(personIds)
        .detail('list', { unitId: i.unitId, groupId: i.groupId ?? null, date: i.date, kind: i.kind, withContacts: i.withContacts })
        .detail('export', format);
      const bytes = format === 'pdf' ? listPdfSync(result, { lang, withContacts: i.withContacts, now: ctx.clock.now() }) : Buffer.from(listCsv(result, lang, i.withContacts), 'utf8');
      return {
        filename: listFilename(result, lang, format),
        mime: format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
        base64: Buffer.from(bytes).toString('base64'),
        rows: result.rows.length,
        hiddenProtected: result.hiddenProtected,
      };
    },

    'rollover.preview': (i, { actor, audit }) => {
      const { output, personIds } = rollover.preview(actor, i);
      audit.persons(personIds).detail('rollover', { date: i.date, unitIds: i.unitIds ?? null, totals: output.totals });
      return output;
    },

    'rollover.commit': (i, { actor, audit }) => {
      const { output, personIds, units } = rollover.commit(actor, i);
      audit
        .persons(personIds)
        .detail('rollover', { date: i.date, unitIds: i.unitIds ?? null, ...output })
        .detail('units', units.map(({ unitId, unitName, promoted, leavers, groupsCreated }) => ({ unitId, unitName, promoted, leavers, groupsCreated })));
      return output;
    },
  };
}
