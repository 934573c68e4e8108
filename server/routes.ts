/**
 * Where the sync service's routes are registered (docs/sync.md build steps 2–4: auth, push, feed, events).
 * buildServer calls this after /health and the error handling are in place, so every route registered here
 * gets the one error shape, the body limit and the request log without doing anything. Routes set
 * `request.accountId` once the session is checked, and the request log then names the account.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './app';

export async function registerSyncRoutes(_app: FastifyInstance, _ctx: ServerContext): Promise<void> {
  // Build step 1 has no sync routes yet: the engine (server/engine, server/sync) registers them here.
}
