/**
 * The audit log's handlers (contract: shared/api/audit.ts). Reads of the log first merge what waits in the
 * pending journal (without waiting for the write lock), so the auditor sees every entry, or is told how
 * many are still waiting.
 */
import type { DomainHandlers } from '../api/types';
import type { CoreContext } from '../context';
import { verifyAuditChain } from './chain';
import { exportAuditCsv, queryAudit } from './query';
import { auditAnchorPath, flushPendingAudit } from './sink';

export function createAuditHandlers(ctx: CoreContext): DomainHandlers<'audit'> {
  return {
    'audit.query': (i, { audit }) => {
      audit.action = 'audit';
      const { offset, limit, ...filter } = i;
      audit.detail('filter', filter);
      const { pending } = flushPendingAudit(ctx.sqlite);
      const r = queryAudit(ctx.sqlite, filter, offset, limit, { today: ctx.clock.today(), demo: ctx.demo });
      return pending ? { ...r, pending } : r;
    },
    'audit.export': (i, { audit }) => {
      audit.action = 'audit';
      audit.detail('filter', i).detail('export', 'csv');
      flushPendingAudit(ctx.sqlite);
      return exportAuditCsv(ctx.sqlite, i, { today: ctx.clock.today(), demo: ctx.demo, now: ctx.clock.now() });
    },
    'audit.exportShown': (i, { audit }) => {
      audit.persons(i.personIds).detail('view', i.view).detail('export', i.format).detail('rows', i.rows);
      return { logged: true as const };
    },
    'audit.verify': () => {
      const { pending } = flushPendingAudit(ctx.sqlite);
      const anchor = auditAnchorPath(ctx.sqlite);
      const r = verifyAuditChain(ctx.sqlite, { anchorFiles: anchor ? [anchor] : [] });
      return pending ? { ...r, pending } : r;
    },
  };
}
