/**
 * Contract of the sync domain (docs/sync.md): what a workstation's clerk sees of the link to the central
 * server. In standalone mode every method answers as "standalone" with nothing pending.
 *
 * - `sync.status`: online or not, how many changes wait to reach the server, how many came back as a
 *   conflict or a refusal. Polled by the shell's status indicator and pushed as a `sync` event.
 * - `sync.changes`: the clerk's own changes that have not (yet) been accepted: pending, conflicting or
 *   refused, newest first, each with the persons it concerns (names withheld like everywhere).
 * - `sync.conflict`: one of them side by side: per field the value before the clerk's edit (base), the
 *   server's current value (theirs) and the clerk's (mine).
 * - `sync.resolve`: closes a conflict or a refusal. `discard`: the clerk keeps the server's version and the
 *   edit is dropped (logged). `replaced`: the clerk made a new edit from the fields they chose, through the
 *   method itself (a new mutation on the current base, never an overwrite of what they have not seen), and
 *   names it here. The copy stays in the outbox as resolved, so what was dropped can still be shown.
 */
import { z } from 'zod';
import { def } from './def';
import { uuid } from './schemas';

export const SYNC_CHANGE_STATES = ['pending', 'conflict', 'rejected'] as const;

export const syncStatus = z.object({
  mode: z.enum(['standalone', 'joined']),
  /** The server's address (joined mode). */
  server: z.string().nullable(),
  online: z.boolean(),
  pending: z.number().int(),
  conflicts: z.number().int(),
  rejected: z.number().int(),
  /** When the workstation last completed a push and pull with the server. */
  lastSyncAt: z.string().nullable(),
  /** Why the last attempt failed (a code such as `offline`, `unauthenticated`, `server_error`). */
  lastError: z.string().nullable(),
});

const typedError = z.object({ code: z.string(), message: z.string(), field: z.string().optional(), rule: z.string().optional() });

export const syncChange = z.object({
  mutationId: uuid,
  method: z.string(),
  at: z.string(),
  state: z.enum(SYNC_CHANGE_STATES),
  /** For `rejected`: the server's typed error (the named rule); for `conflict`: null. */
  error: typedError.nullable(),
  /** The persons the change concerns; a protected person's name is withheld (empty) from a clerk without the grant. */
  persons: z.array(z.object({ id: uuid, name: z.string(), protected: z.boolean() })),
});

export const syncConflictField = z.object({
  entity: z.string(),
  id: z.string(),
  /** The field's name as the history names it (camelCase), for the label. */
  field: z.string(),
  base: z.unknown(),
  theirs: z.unknown(),
  mine: z.unknown(),
});

export const syncMethods = {
  'sync.status': def({
    input: z.object({}).strict(),
    output: syncStatus,
    permission: 'session',
    errors: [],
    personal: false,
    writes: false,
  }),
  'sync.changes': def({
    input: z.object({}).strict(),
    output: z.object({ items: z.array(syncChange) }),
    permission: 'session',
    errors: [],
    personal: true,
    writes: false,
  }),
  'sync.conflict': def({
    input: z.object({ mutationId: uuid }).strict(),
    output: syncChange.extend({
      /** The method's input as the clerk sent it: what `apply` starts from. */
      input: z.unknown(),
      fields: z.array(syncConflictField),
    }),
    permission: 'session',
    errors: ['validation', 'not_found'],
    personal: true,
    writes: false,
  }),
  'sync.resolve': def({
    input: z
      .object({
        mutationId: uuid,
        action: z.enum(['discard', 'replaced']),
        /** `replaced`: the new mutation that carries the clerk's chosen fields. */
        replacedBy: uuid.optional(),
      })
      .strict(),
    output: z.object({ resolved: z.literal(true) }),
    permission: 'session',
    errors: ['validation', 'not_found'],
    personal: false,
    writes: true,
  }),
  /**
   * The first-start screen's "connect to the municipality's server": only on a workstation that holds no
   * accounts yet (before the first administrator is made). The server must answer its health check; the
   * workstation then becomes an encrypted cache of it (core/sync/join.ts) and starts again joined, where
   * the clerk signs in against the server. Refused (`unavailable`) where the host cannot restart the core.
   */
  'sync.join': def({
    input: z.object({ server: z.string().trim().min(1).max(300) }).strict(),
    output: z.object({ server: z.string(), joined: z.literal(true) }),
    permission: 'public',
    errors: ['validation', 'forbidden', 'offline', 'unavailable'],
    personal: false,
    writes: false,
    run: 'async',
  }),
} as const;
