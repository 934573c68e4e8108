/**
 * A seeded municipality imported once into a template database, copied cheaply for each test or property
 * run (PostgreSQL's CREATE DATABASE … TEMPLATE, which needs no connection open on the template), together
 * with a copy of the template's replica file so a server on the copy starts without rebuilding it.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createCore, dataPaths } from '../../core/app';
import type { Clock } from '../../core/context';
import { migrateServer } from '../db/migrate';
import { Engine } from '../engine/engine';
import type { TestPostgres } from './pg';

export interface Template {
  /** The template database's name. */
  name: string;
  replicaPath: string;
  /** A new database copied from the template, with its own folder and replica copy. */
  copy(label: string): Promise<DatabaseCopy>;
}

export interface DatabaseCopy {
  name: string;
  url: string;
  /** A folder of its own, holding a copy of the template's replica at `replicaPath`. */
  dir: string;
  replicaPath: string;
  drop(): Promise<void>;
}

let n = 0;

export function urlOf(cluster: TestPostgres, name: string): string {
  const url = new URL(cluster.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(cluster: TestPostgres, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: cluster.adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Copies database `from` (no connection may be open on it) into a new database `to`. */
export const copyDatabase = (cluster: TestPostgres, from: string, to: string) => adminQuery(cluster, `CREATE DATABASE ${to} TEMPLATE ${from}`);

/**
 * Seeds a standalone register (the demo generator), imports it into a new database and leaves the replica
 * beside it; `pick` may read fixtures from the engine before it is closed.
 */
export async function seedTemplate<T>(
  cluster: TestPostgres,
  scratch: string,
  opts: { persons: number; seed: number; today: string; clock: Clock; pick?: (engine: Engine) => T },
): Promise<Template & { picked: T }> {
  const { dbPath } = dataPaths(join(scratch, 'standalone'));
  createCore({ dbPath, clock: opts.clock, seed: { country: 'SE', persons: opts.persons, seed: opts.seed, today: opts.today, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null }).close();
  const url = await cluster.database('tmpl');
  const name = new URL(url).pathname.slice(1);
  const replicaPath = join(scratch, 'template-replica.sqlite');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let picked: T;
  try {
    await migrateServer(pool);
    const engine = await Engine.open({ pool, replicaPath, clock: opts.clock });
    try {
      await engine.importStandalone(dbPath);
      picked = opts.pick ? opts.pick(engine) : (undefined as T);
    } finally {
      engine.close();
    }
  } finally {
    await pool.end();
  }
  return {
    name,
    replicaPath,
    picked,
    async copy(label: string) {
      const to = `${label}_${process.pid}_${++n}`;
      await copyDatabase(cluster, name, to);
      const dir = join(scratch, to);
      mkdirSync(dir, { recursive: true });
      const copied = join(dir, 'replica.sqlite');
      copyFileSync(replicaPath, copied);
      if (existsSync(`${replicaPath}-wal`)) copyFileSync(`${replicaPath}-wal`, `${copied}-wal`);
      return {
        name: to,
        url: urlOf(cluster, to),
        dir,
        replicaPath: copied,
        drop: () => adminQuery(cluster, `DROP DATABASE IF EXISTS ${to} WITH (FORCE)`),
      };
    },
  };
}
