#!/usr/bin/env node
/**
 * Checks the electron-builder configuration offline, without building installers.
 *
 *   node scripts/check-builder.mjs          schema + Kansli security invariants (~1 s)
 *   node scripts/check-builder.mjs --pack   also packs `--linux dir` against a placeholder Electron
 *                                           (needs `npm run build` first, ~15 s) and inspects the
 *                                           result: asar contents, migrations, unpacked native
 *                                           module, and the fuse wire actually flipped.
 *
 * 1. The config is loaded the way electron-builder loads it (app-builder-lib's getConfig, so
 *    `extends` and package.json metadata behave the same) and validated against electron-builder's
 *    own JSON schema with app-builder-lib's validateConfiguration (what `electron-builder` runs
 *    before every build). app-builder-lib has no `exports` map, so the internal module is
 *    required by path; if a future version moves it, the script says so and fails.
 * 2. Kansli invariants are asserted on top (fuses, asar, MSI per-machine, hardened runtime,
 *    entitlements, icon), so a config edit that weakens security fails CI even if it is valid.
 * 3. --pack: Electron cannot be downloaded here, so a placeholder "binary" carrying the fuse
 *    sentinel (the same bytes @electron/fuses searches for in a real Electron) is handed to
 *    electron-builder as electronDist; the flipped wire is then read back and compared.
 *
 * Prints one line on success; exits 1 with the reasons otherwise.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pack = process.argv.includes('--pack');
const problems = [];
const fail = (msg) => problems.push(msg);

function requireInternal(id) {
  try {
    return require(id);
  } catch (err) {
    console.error(`check-builder: cannot load ${id} (${err.message}); electron-builder internals moved?`);
    process.exit(1);
  }
}

const { getConfig, validateConfiguration } = requireInternal('app-builder-lib/out/util/config/config');
const { DebugLogger, log: builderLog } = requireInternal('builder-util');
const builderVersion = require('app-builder-lib/package.json').version;

/** The fuse settings Kansli ships with; docs/security.md explains each. */
const EXPECTED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

// ---- 1. load + schema -------------------------------------------------------------------------

// Silence electron-builder's "loaded configuration" line so success prints exactly one line.
const builderStream = builderLog.stream;
builderLog.stream = { write: () => true };
let config;
try {
  config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
} catch (err) {
  builderLog.stream = builderStream;
  console.error(`check-builder: invalid electron-builder configuration:\n${err.message}`);
  process.exit(1);
}
builderLog.stream = builderStream;

// ---- 2. Kansli invariants ---------------------------------------------------------------------

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (pkg.build !== undefined) fail('package.json has a "build" key; keep the config in electron-builder.yml only');
if (pkg.main !== 'dist/electron/main.cjs') fail(`package.json "main" must be dist/electron/main.cjs (is ${pkg.main})`);

if (config.appId !== 'se.kansli.desktop') fail(`appId must be se.kansli.desktop (is ${config.appId})`);
if (config.productName !== 'Kansli') fail(`productName must be Kansli (is ${config.productName})`);
if (config.asar === false) fail('asar must stay enabled (onlyLoadAppFromAsar and integrity checks rely on it)');
if (config.npmRebuild === false) fail('npmRebuild must be true so better-sqlite3 is built for Electron');

const output = config.directories?.output ?? 'dist';
if (path.resolve(root, output) === path.join(root, 'dist')) fail('directories.output must not be dist/ (the app is packed from it)');

const fileFilters = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
for (const needed of ['package.json', 'dist/**']) {
  if (!fileFilters.includes(needed)) fail(`files must include ${needed}`);
}
const extra = (config.extraResources ?? []).find((r) => typeof r === 'object' && r.from === 'db/migrations');
if (!extra || extra.to !== 'migrations') fail('extraResources must copy db/migrations to <resources>/migrations');
// PDF fonts (core/pdf/fonts.ts → FONTS): shipped outside the asar with their licence, found by the core
// through KANSLI_FONTS_DIR = <resources>/fonts (electron/main.ts).
const FONT_FILES = ['ttf/DejaVuSans.ttf', 'ttf/DejaVuSans-Bold.ttf', 'LICENSE'];
const fonts = (config.extraResources ?? []).find((r) => typeof r === 'object' && r.to === 'fonts');
if (!fonts || fonts.from !== 'node_modules/dejavu-fonts-ttf') {
  fail('extraResources must copy node_modules/dejavu-fonts-ttf to <resources>/fonts (the PDF fonts)');
} else {
  const filter = [fonts.filter ?? []].flat();
  for (const f of FONT_FILES) {
    if (!filter.includes(f)) fail(`extraResources fonts filter must include ${f}`);
    if (!existsSync(path.join(root, fonts.from, f))) fail(`${fonts.from}/${f} is missing (npm install?)`);
  }
}
if (!fileFilters.includes('!**/node_modules/dejavu-fonts-ttf/**')) fail('files must exclude **/node_modules/dejavu-fonts-ttf/** (the fonts ship as extraResources)');
const unpack = [config.asarUnpack ?? []].flat();
if (!unpack.some((p) => p.includes('better-sqlite3'))) fail('asarUnpack must unpack better-sqlite3');

const fuses = config.electronFuses ?? {};
for (const [k, v] of Object.entries(EXPECTED_FUSES)) {
  if (fuses[k] !== v) fail(`electronFuses.${k} must be ${v} (is ${fuses[k]})`);
}

const targetNames = (t) => [t ?? []].flat().map((x) => (typeof x === 'string' ? x : x.target));
if (!targetNames(config.win?.target).includes('msi')) fail('win.target must include msi');
if (config.msi?.perMachine !== true) fail('msi.perMachine must be true');
if (config.msi?.oneClick !== false) fail('msi.oneClick must be false');
if (!targetNames(config.mac?.target).includes('dmg')) fail('mac.target must include dmg');
if (config.mac?.hardenedRuntime !== true) fail('mac.hardenedRuntime must be true');
if (config.mac?.category !== 'public.app-category.productivity') fail('mac.category must be public.app-category.productivity');

for (const key of ['entitlements', 'entitlementsInherit']) {
  const file = config.mac?.[key];
  if (!file || !existsSync(path.join(root, file))) {
    fail(`mac.${key} file missing (${file})`);
    continue;
  }
  // Granted keys: <key>name</key> followed by <true/>, comments ignored.
  const text = readFileSync(path.join(root, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const granted = [...text.matchAll(/<key>\s*([^<]+?)\s*<\/key>\s*<true\s*\/>/g)].map((m) => m[1]);
  if (!granted.includes('com.apple.security.cs.allow-jit')) fail(`${file} lacks allow-jit (Electron needs it)`);
  const allowed = new Set(['com.apple.security.cs.allow-jit']);
  for (const key of granted) {
    if (!allowed.has(key)) fail(`${file} grants ${key}; justify it in docs/security.md and add it to this check`);
  }
}

const iconPath = path.join(root, config.directories?.buildResources ?? 'build', 'icon.png');
if (!existsSync(iconPath)) {
  fail(`${path.relative(root, iconPath)} missing (node build/make-icon.mjs)`);
} else {
  const png = readFileSync(iconPath);
  const isPng = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!isPng || png.readUInt32BE(16) < 512 || png.readUInt32BE(20) < 512) fail('icon.png must be a PNG of at least 512×512');
}

if (problems.length > 0) report();

// ---- 3. optional placeholder pack ------------------------------------------------------------

let packNote = '';
if (pack) packNote = `; packed ${await runPack()}`;
if (problems.length > 0) report();

const targets = ['win', 'mac', 'linux'].map((p) => `${p}:${targetNames(config[p]?.target).join('+')}`).join(' ');
console.log(
  `electron-builder config OK (schema of electron-builder ${builderVersion}; ${Object.keys(EXPECTED_FUSES).length} fuses; ${targets}${packNote})`,
);

function report() {
  console.error(`check-builder: ${problems.length} problem(s) in electron-builder.yml:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}

async function runPack() {
  if (!existsSync(path.join(root, 'dist/electron/main.cjs'))) {
    fail('--pack needs a build first: run `npm run build` (dist/electron/main.cjs is missing)');
    return '';
  }
  const work = mkdtempSync(path.join(tmpdir(), 'kansli-pack-'));
  try {
    const { SENTINEL, FuseState } = require('@electron/fuses/dist/constants');
    const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');
    // Placeholder Electron: a shell script that carries a fuse wire with Electron's defaults.
    const dist = path.join(work, 'electron-dist');
    mkdirSync(dist);
    const defaults = [FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE,
      FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE];
    const wire = Buffer.concat([
      Buffer.from(`#!/bin/sh\necho "placeholder Electron for packaging checks" >&2\nexit 1\n# `),
      Buffer.from(SENTINEL, 'ascii'),
      Buffer.from([1, defaults.length, ...defaults]),
      Buffer.from('\n'),
    ]);
    writeFileSync(path.join(dist, 'electron'), wire);
    chmodSync(path.join(dist, 'electron'), 0o755);

    const out = path.join(work, 'out');
    const cli = require.resolve('electron-builder/cli.js');
    const res = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', '--x64', '--publish', 'never',
        `-c.electronDist=${dist}`, '-c.npmRebuild=false', `-c.directories.output=${out}`],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
    );
    if (res.status !== 0) {
      fail(`electron-builder --linux dir failed (exit ${res.status}):\n${(res.stdout ?? '') + (res.stderr ?? '')}`);
      return '';
    }
    const appDir = path.join(out, 'linux-unpacked');
    const resources = path.join(appDir, 'resources');

    // Fuses as flipped in the packed binary.
    const wireState = await getCurrentFuseWire(path.join(appDir, pkg.name));
    return inspect(wireState);

    function inspect(wireState) {
      const names = {
        runAsNode: FuseV1Options.RunAsNode,
        enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
        enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
        enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
        enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
        onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
        grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
      };
      for (const [name, idx] of Object.entries(names)) {
        const want = EXPECTED_FUSES[name] ? FuseState.ENABLE : FuseState.DISABLE;
        if (wireState[idx] !== want) fail(`packed binary: fuse ${name} is ${String.fromCharCode(wireState[idx])}, expected ${String.fromCharCode(want)}`);
      }

      const asar = require('@electron/asar');
      const asarPath = path.join(resources, 'app.asar');
      if (!existsSync(asarPath)) {
        fail('packed app has no resources/app.asar');
        return '';
      }
      const entries = asar.listPackage(asarPath, { isPack: false }).map((e) => e.replace(/\\/g, '/'));
      for (const must of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs']) {
        if (!entries.includes(must)) fail(`app.asar lacks ${must}`);
      }
      for (const optional of ['/dist/renderer/index.html', '/dist/core/utility.cjs']) {
        if (!entries.includes(optional)) console.warn(`check-builder: note: app.asar lacks ${optional} (not built yet?)`);
      }
      // Our own sources and source maps must not ship; only the bundles in dist/ do.
      const ours = entries.filter((e) => !e.startsWith('/node_modules/'));
      const leaked = ours.filter((e) => /^\/(electron|core|shared|db|renderer|test|server|scripts|build|docs)\//.test(e) || e.endsWith('.map') || e.endsWith('.ts'));
      if (leaked.length > 0) fail(`app.asar contains source files: ${leaked.slice(0, 5).join(', ')}`);
      const modules = new Set(entries.map((e) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(e)?.[1]).filter(Boolean));
      const migrations = path.join(resources, 'migrations');
      const sql = existsSync(migrations) ? readdirSync(migrations).filter((f) => f.endsWith('.sql')) : [];
      if (sql.length === 0) fail('resources/migrations has no .sql files');
      const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
      if (!existsSync(unpacked)) fail('better_sqlite3.node is not in app.asar.unpacked');
      for (const f of FONT_FILES) if (!existsSync(path.join(resources, 'fonts', f))) fail(`resources/fonts/${f} is missing`);
      const fontsInAsar = entries.filter((e) => e.startsWith('/node_modules/dejavu-fonts-ttf/') && e.endsWith('.ttf'));
      if (fontsInAsar.length > 0) fail(`app.asar still contains ${fontsInAsar.length} DejaVu font files`);
      return `linux dir: ${entries.length} asar entries, ${modules.size} node_modules packages, ${sql.length} migrations, ${FONT_FILES.length} font files, fuses verified`;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

