/**
 * The shipped SQL migrations must produce exactly the drizzle schema: a schema edit without
 * `npm run db:generate` (or a hand-edited snapshot) fails here instead of at a customer's database.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('schema and migrations', () => {
  it('drizzle-kit finds no schema change that the migrations lack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kansli-schema-'));
    try {
      cpSync(join(root, 'db', 'migrations'), join(dir, 'migrations'), { recursive: true });
      const config = join(dir, 'drizzle.config.mjs');
      writeFileSync(config, `export default { dialect: 'sqlite', schema: ${JSON.stringify(join(root, 'db', 'schema.ts'))}, out: './migrations' };\n`);
      const before = readdirSync(join(dir, 'migrations')).sort();
      const r = spawnSync(join(root, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', config, '--name', 'probe'], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(join(dir, 'migrations')).sort()).toEqual(before);
      // drizzle-kit exits 0 even when it fails, so its words are checked too.
      expect(r.stdout + r.stderr).toMatch(/No schema changes/i);
      expect(r.stdout + r.stderr).not.toMatch(/Error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
