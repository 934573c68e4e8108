#!/usr/bin/env node
/**
 * `npm start`: builds what is missing or stale, then starts the desktop app; where the Electron runtime
 * cannot be obtained (offline build machines) it says so in one line and starts the browser host instead.
 * Either way an empty database is seeded with demo data on first start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const rendererIndex = join(root, 'dist', 'renderer', 'index.html');
const sourcesNewer = () =>
  Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared'))) > statSync(rendererIndex).mtimeMs;
if (!existsSync(rendererIndex) || sourcesNewer()) run('npm', ['run', '--silent', 'build:renderer']);

/**
 * The Electron runtime binary, or null. Requiring the electron package would try a noisy download; here the
 * download is attempted once, quietly (on a machine with internet it succeeds and the desktop app starts).
 */
function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const installed = () => {
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const p = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(p) ? p : null;
  };
  const found = installed();
  if (found || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return found;
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: 'ignore', timeout: 180_000 });
  return r.status === 0 ? installed() : null;
}

const binary = electronBinary();
if (binary) {
  run('npm', ['run', '--silent', 'build:electron']);
  const child = spawn(binary, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('The Electron runtime is not available on this machine (offline build host); starting the browser host instead.');
  const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
  const child = spawn(tsx, [join(root, 'core', 'host', 'main.ts'), ...passThrough], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
