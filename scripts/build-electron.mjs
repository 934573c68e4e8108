#!/usr/bin/env node
/**
 * Bundles the desktop shell and the core for Electron:
 *   electron/main.ts      → dist/electron/main.cjs     (main process; `electron` external)
 *   electron/preload.ts   → dist/electron/preload.cjs  (sandboxed preload: one CJS file, browser platform)
 *   core/worker/utility.ts → dist/core/utility.cjs     (utilityProcess; native `better-sqlite3`, `@node-rs/argon2`, `@napi-rs/canvas` and the ESM `pdfjs-dist` external)
 *   core/jobs/worker.ts    → dist/core/job-worker.cjs  (a job's worker thread, started by the core beside its own bundle)
 *
 * The preload is bundled for the *browser* platform on purpose: a sandboxed preload may only
 * `require('electron')`, so an accidental Node import must fail here, not at run time. After the
 * build the script also asserts that the preload requires nothing but `electron`.
 *
 * Usage: node scripts/build-electron.mjs [--dev]   (--dev: inline source maps, no minify)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const rel = (p) => path.relative(root, p);

const common = {
  bundle: true,
  format: 'cjs',
  target: 'node20',
  sourcemap: dev ? 'inline' : false,
  minify: false, // readable stack traces in field reports; the asar is not a secrecy boundary anyway
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

// Node bundles are CommonJS, where `import.meta` is empty; sources written as ESM (e.g. db/migrate.ts
// locating its migrations) get a real file URL of the bundle instead.
const importMetaShim = {
  define: { 'import.meta.url': '__kansli_import_meta_url' },
  banner: { js: 'const __kansli_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};

const jobs = [
  {
    name: 'main',
    entry: 'electron/main.ts',
    out: 'dist/electron/main.cjs',
    options: { platform: 'node', external: ['electron'], ...importMetaShim },
  },
  {
    name: 'preload',
    entry: 'electron/preload.ts',
    out: 'dist/electron/preload.cjs',
    // Browser syntax target for the Chromium inside Electron 45 (overrides node20 above).
    options: { platform: 'browser', external: ['electron'], target: ['chrome130'] },
  },
  {
    name: 'core',
    entry: 'core/worker/utility.ts',
    out: 'dist/core/utility.cjs',
    optional: true,
    // Native module: rebuilt for Electron by electron-builder and loaded from app.asar.unpacked.
    options: { platform: 'node', external: ['better-sqlite3', '@node-rs/argon2', 'electron', '@napi-rs/canvas', 'pdfjs-dist'], ...importMetaShim },
  },
  {
    name: 'job-worker',
    entry: 'core/jobs/worker.ts',
    out: 'dist/core/job-worker.cjs',
    optional: true,
    options: { platform: 'node', external: ['better-sqlite3', '@node-rs/argon2', 'electron', '@napi-rs/canvas', 'pdfjs-dist'], ...importMetaShim },
  },
];

let failed = false;
for (const job of jobs) {
  const entry = path.join(root, job.entry);
  if (!existsSync(entry)) {
    if (job.optional) {
      console.warn(`warning: ${job.entry} does not exist yet; skipped ${job.out}`);
      continue;
    }
    console.error(`error: ${job.entry} is missing`);
    failed = true;
    continue;
  }
  try {
    const define = { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'), ...job.options.define };
    await build({ ...common, ...job.options, define, entryPoints: [entry], outfile: path.join(root, job.out) });
    console.log(`built ${job.out}`);
  } catch (err) {
    console.error(`error: bundling ${job.entry} failed${err?.message ? `: ${err.message}` : ''}`);
    failed = true;
  }
}

// The sandboxed preload must require nothing but 'electron'.
const preloadOut = path.join(root, 'dist/electron/preload.cjs');
if (!failed && existsSync(preloadOut)) {
  const text = readFileSync(preloadOut, 'utf8');
  const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const foreign = [...new Set(required)].filter((r) => r !== 'electron');
  if (foreign.length > 0) {
    console.error(`error: ${rel(preloadOut)} requires ${foreign.join(', ')}; a sandboxed preload may only require 'electron'`);
    failed = true;
  }
}

process.exit(failed ? 1 : 0);
