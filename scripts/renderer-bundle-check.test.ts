/**
 * The renderer bundle check, on made-up module lists and code (a full build is too slow for a unit test;
 * `npm run build:renderer` runs the real thing). The controls: zod, the dev-only fake, and string-to-code
 * calls each make it fail, and what a clean bundle looks like does not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBundle, displayId, packageOf, rendererBundleCheck, scanCode, type BundledModule } from './renderer-bundle-check';

const repo = '/home/ci/kansli';
const mod = (id: string, code: string | null = 'export const x = 1;'): BundledModule => ({ id, chunk: 'assets/index.js', renderedLength: code?.length ?? 0, code });

// What today's production bundle is made of, in kind: our sources, shared/domain, React, Mantine.
const clean: BundledModule[] = [
  mod(`${repo}/renderer/src/main.tsx`),
  mod(`${repo}/renderer/src/lib/domain.ts`, null),
  mod(`${repo}/shared/domain/register.ts`),
  mod(`${repo}/shared/api/client.ts`),
  mod('/work/main/node_modules/react-dom/cjs/react-dom-client.production.js'),
  mod('/work/main/node_modules/@mantine/core/esm/core/MantineProvider/MantineProvider.mjs'),
  mod('\0vite/modulepreload-polyfill.js'),
];

describe('module ids', () => {
  it('passes a bundle of our sources, shared/domain and the UI libraries', () => {
    expect(checkBundle(clean)).toEqual([]);
  });

  it('fails when zod is in the bundle (control: a value import from shared/api)', () => {
    const withZod = [...clean, mod(`${repo}/shared/api/schemas.ts`), mod('/work/main/node_modules/zod/v4/classic/schemas.js')];
    const f = checkBundle(withZod);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ check: 'module', rule: 'zod', where: '/work/main/node_modules/zod/v4/classic/schemas.js' });
    expect(f[0]?.detail).toContain('shared/domain');
  });

  it('finds zod however the tree is laid out (nested, pnpm, Windows paths), and only zod', () => {
    for (const id of [
      `${repo}/node_modules/some-lib/node_modules/zod/index.js`,
      `${repo}/node_modules/.pnpm/zod@4.6.7/node_modules/zod/v4/core/core.js`,
      'C:\\build\\kansli\\node_modules\\zod\\v4\\core\\util.js',
    ]) {
      expect(checkBundle([mod(id)]).map((f) => f.rule)).toEqual(['zod']);
    }
    for (const id of [`${repo}/node_modules/zod-validation-error/index.js`, `${repo}/shared/api/zodIssues.ts`, `${repo}/node_modules/@scope/zod/index.js`]) {
      expect(checkBundle([mod(id)])).toEqual([]);
    }
  });

  it('fails when the dev-only fake backend is in the bundle', () => {
    const f = checkBundle([mod(`${repo}/renderer/src/dev/fakeBackend.ts`), mod(`${repo}/shared/api/fake.ts`)]);
    expect(f.map((x) => [x.rule, x.where])).toEqual([
      ['dev-only', `${repo}/renderer/src/dev/fakeBackend.ts`],
      ['dev-only', `${repo}/shared/api/fake.ts`],
    ]);
  });
});

describe('code', () => {
  const rules = (code: string) => scanCode(code, 'm').map((f) => f.rule);

  it('finds every way of compiling a string, minified or not', () => {
    expect(rules('try { new Function(""); return true } catch { return false }')).toEqual(['Function constructor call']);
    expect(rules('try{return Function(``),!0}catch{return!1}')).toEqual(['Function constructor call']);
    expect(rules('compile() { const F = Function; return new F(...args, src); }')).toEqual(['Function constructor reference']);
    expect(rules('let e=Function;return new e(...t,n)')).toEqual(['Function constructor reference']);
    expect(rules('var run = eval(src);')).toEqual(['eval']);
    expect(rules('(0,eval)(src)')).toEqual(['eval']);
    expect(rules('setTimeout("tick()", 10)')).toEqual(['string timer']);
  });

  it('does not mistake ordinary code for it', () => {
    for (const code of [
      'const kinds = ["[object Number]", "[object Function]"];',
      'if (x instanceof Function) return;',
      'Function.prototype.toString.call(f)',
      "typeof f === 'function' && isFunction(f) && retrieval(f) && obj.eval(f)",
      'setTimeout(() => tick(), 10); setInterval(tick, 10)',
      'const label = "Function keys";',
    ]) {
      expect(rules(code), code).toEqual([]);
    }
  });

  it('recognises zod by its markers, even vendored inside another package', () => {
    const vendored = mod('/work/main/node_modules/some-form-lib/dist/index.mjs', 'var a = $constructor("$ZodType", (inst, def) => {});');
    expect(checkBundle([vendored]).map((f) => [f.check, f.rule])).toEqual([['zod-marker', 'zod']]);
  });

  it('trips on the installed zod’s own code (the markers are still right for this version)', () => {
    const require = createRequire(import.meta.url);
    const core = path.dirname(require.resolve('zod/v4/core'));
    const found = new Set(['schemas.js', 'util.js', 'doc.js'].flatMap((f) => scanCode(readFileSync(path.join(core, f), 'utf8'), f).map((x) => x.rule)));
    // The sources say `const F = Function; new F(…)`; the bundler may inline that to `new Function(…)` (seen
    // in the build), which the call rule above covers.
    expect(found).toContain('zod');
    expect(found).toContain('Function constructor reference');
  });

  it('reports a match in a chunk that no module’s code shows, under the chunk', () => {
    const f = checkBundle(clean, [{ fileName: 'assets/index.js', code: 'var a=1;try{Function(``)}catch{}' }]);
    expect(f).toEqual([expect.objectContaining({ check: 'dynamic-code', rule: 'Function constructor call', where: 'assets/index.js' })]);
  });
});

describe('the report', () => {
  it('names modules by package or repo path, wherever node_modules is', () => {
    expect(displayId('/work/main/node_modules/@mantine/core/esm/index.mjs', '/work/wt/bundle')).toBe('node_modules/@mantine/core/esm/index.mjs');
    expect(displayId('/work/wt/bundle/shared/domain/care.ts', '/work/wt/bundle')).toBe('shared/domain/care.ts');
    expect(displayId('\0vite/preload-helper.js', '/work/wt/bundle')).toBe('vite/preload-helper.js');
    expect(packageOf('node_modules/@mantine/core/esm/index.mjs')).toBe('@mantine/core');
    expect(packageOf('node_modules/react-dom/client.js')).toBe('react-dom');
    expect(packageOf('shared/domain/care.ts')).toBe('(app)');
  });
});

describe('the Vite plugin', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kansli-bundle-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Hook = (this: { error: (m: string) => never }, ...args: unknown[]) => void;
  function run(moduleIds: string[]): { error: string | null; report: { findings: unknown[]; modules: { id: string }[]; packages: Record<string, number> } } {
    const report = path.join(dir, 'report.json');
    const plugin = rendererBundleCheck({ report, root: repo });
    (plugin.configResolved as unknown as (c: unknown) => void)({ root: `${repo}/renderer`, build: { outDir: '../dist/renderer' } });
    const bundle = {
      'assets/index.js': {
        type: 'chunk',
        fileName: 'assets/index.js',
        code: 'console.log(1)',
        moduleIds,
        modules: Object.fromEntries(moduleIds.map((id) => [id, { code: 'export {}', renderedLength: 9 }])),
      },
      'assets/index.css': { type: 'asset', fileName: 'assets/index.css', source: '' },
    };
    let error: string | null = null;
    const ctx = {
      error: (m: string): never => {
        error = m;
        throw new Error(m);
      },
    };
    try {
      (plugin.generateBundle as unknown as Hook).call(ctx, {}, bundle);
    } catch {
      // the build fails here; the message was kept above
    }
    return { error, report: JSON.parse(readFileSync(report, 'utf8')) };
  }

  it('reads the chunks’ module ids, writes them down and passes a clean build', () => {
    const r = run([`${repo}/renderer/src/main.tsx`, '/x/node_modules/react/index.js']);
    expect(r.error).toBeNull();
    expect(r.report.findings).toEqual([]);
    expect(r.report.modules.map((m) => m.id)).toEqual(['renderer/src/main.tsx', 'node_modules/react/index.js']);
    expect(r.report.packages).toEqual({ '(app)': 9, react: 9 });
  });

  it('fails the build, saying why, when a chunk holds zod', () => {
    const r = run([`${repo}/renderer/src/main.tsx`, '/x/node_modules/zod/v4/core/core.js']);
    expect(r.error).toContain('[module: zod]');
    expect(r.error).toContain('node_modules/zod/v4/core/core.js');
    expect(r.report.findings).toHaveLength(1);
  });
});
