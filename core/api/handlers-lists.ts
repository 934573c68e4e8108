/** Handlers of the lists part of the care contract (shared/api/care.ts): class/placement lists and the year rollover. */
import type { PersonScope } from '../access/scope';
import type { CoreContext } from '../context';
import { listCsv } from '../lists/csv';
import { ListReader, listFilename } from '../lists/lists';
import { listPdf } from '../lists/pdf';
import { Rollover } from '../placements/rollover';
import type { CoreHandlers } from './types';

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

    'list.export': async (i, { actor, audit, services }) => {
      const { format, lang, ...query } = i;
      const { result, personIds } = lists.get(actor, query);
      audit
        .persons(personIds)
        .detail('list', { unitId: i.unitId, groupId: i.groupId ?? null, date: i.date, kind: i.kind, withContacts: i.withContacts })
        .detail('export', format);
      const municipality = format === 'pdf' ? lists.municipalityName(result.unit.id) : null;
      const bytes =
        format === 'pdf'
          ? await listPdf(result, { lang, withContacts: i.withContacts, now: ctx.clock.now(), municipality, printedBy: actor.name })
          : Buffer.from(listCsv(result, lang, i.withContacts), 'utf8');
      const file = await services.files.writeExport(actor.id, listFilename(result, lang, format), format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8', bytes);
      return { file, rows: result.rows.length, hiddenProtected: result.hiddenProtected };
    },

    'rollover.preview': (i, { actor, audit }) => {
      const { output, personIds } = rollover.preview(actor, i);
      audit.persons(personIds).detail('rollover', { date: i.date, unitIds: i.unitIds ?? null, totals: output.totals });
      return output;
    },

    // Scope and date are refused at once; the job then checks everything again (and the preview's token)
    // inside its one transaction.
    'rollover.commit': (i, call) => {
      rollover.precheck(call.actor, i);
      return call.services.jobs.start(call, 'rollover.commit', i);
    },
  };
}
