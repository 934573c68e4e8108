/**
 * What the renderer's production bundle may not contain, checked on every `vite build` (a Vite plugin in
 * renderer/vite.config.ts, so `npm run build` and the test suite's build step fail with the reason).
 *
 * Why: the app's CSP is `script-src 'self'` without 'unsafe-eval', so code compiled from strings at run
 * time is refused. zod has a JIT that does exactly that (`new Function`) and would sit in the bundle as
 * dead weight at best; the dev-only fake backend pulls zod in through the contract's schemas. Both have
 * crept in before by an innocent value import, so the build proves their absence instead of trusting it.
 *
 * Three checks, each with a reason in its failure message:
 * 1. module ids: the bundler's own list of the modules in each output chunk (exact, nothing to guess);
 * 2. zod's markers: `$ZodType`/`$ZodError` are string literals that survive minification, which also
 *    catches a dependency that ships a vendored copy of zod under another module id;
 * 3. dynamic code: `Function(...)`, `new Function`, a bare reference to the Function constructor (zod's
 *    `const F = Function; new F(...)`), `eval`, and string timers — per module, so the culprit is named.
 *
 * It also writes the modules and their rendered sizes to dist/renderer-bundle.json (outside the served
 * folder, left out of the installers) for looking into what the bundle is made of.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

export interface BundledModule {
  /** The bundler's module id: an absolute path, or a virtual id such as `\0vite/preload-helper.js`. */
  id: string;
  /** Output file the module was rendered into. */
  chunk: string;
  /** Bytes of the module's code in the chunk after tree-shaking (before minification). */
  renderedLength: number;
  /** That code, where the bundler exposes it. */
  code?: string | null;
}

export interface Finding {
  check: 'module' | 'zod-marker' | 'dynamic-code';
  rule: string;
  /** The module id (or the chunk, when no module's own code shows the match). */
  where: string;
  detail: string;
}

const sep = String.raw`[\\/]`;

/** Modules that must never reach the production bundle, and what to do instead. */
export const FORBIDDEN_MODULES: readonly { rule: string; test: RegExp; why: string }[] = [
  {
    rule: 'zod',
    test: new RegExp(`${sep}node_modules${sep}zod${sep}`),
    why: "zod's JIT uses `new Function`, which the CSP refuses: the renderer imports values from shared/domain and only types (`import type`) from shared/api",
  },
  {
    rule: 'dev-only',
    test: new RegExp(`${sep}renderer${sep}src${sep}dev${sep}|${sep}shared${sep}api${sep}fake\\.ts$`),
    why: 'the in-memory fake backend is for the dev server only: import it behind `import.meta.env.DEV` so the production build drops it',
  },
];

/** String literals zod always carries, minified or not (its internal class names). */
export const ZOD_MARKER = /["'`]\$Zod(?:Type|Error)["'`]/;

/** Ways of turning a string into code, all refused by `script-src 'self'` without 'unsafe-eval'. */
export const DYNAMIC_CODE: readonly { rule: string; test: RegExp }[] = [
  { rule: 'Function constructor call', test: /(?<![\w$.])(?:new\s+)?Function\s*\(/ },
  // `const F = Function; … new F(src)` (zod): the constructor handed on as a value. Only in value positions,
  // so `Function.prototype…`, `instanceof Function` and text such as "[object Function]" do not count.
  { rule: 'Function constructor reference', test: /(?:[=(,:?[]|\breturn)\s*Function\s*(?=[;,)\]}:]|$)/m },
  { rule: 'eval', test: /(?<![\w$.])eval\s*\(|\(\s*0\s*,\s*eval\s*\)/ },
  { rule: 'string timer', test: /(?<![\w$.])set(?:Timeout|Interval)\s*\(\s*["'`]/ },
];

function excerpt(code: string, re: RegExp): string {
  const m = re.exec(code);
  if (!m) return '';
  const from = Math.max(0, m.index - 60);
  return code.slice(from, m.index + m[0].length + 40).replace(/\s+/g, ' ');
}

/** Findings in one piece of code: zod's markers and dynamic code. */
export function scanCode(code: string, where: string): Finding[] {
  const out: Finding[] = [];
  if (ZOD_MARKER.test(code)) out.push({ check: 'zod-marker', rule: 'zod', where, detail: excerpt(code, ZOD_MARKER) });
  for (const d of DYNAMIC_CODE) if (d.test.test(code)) out.push({ check: 'dynamic-code', rule: d.rule, where, detail: excerpt(code, d.test) });
  return out;
}

/**
 * Everything wrong with a production bundle: its modules (by id and by their rendered code) and the
 * emitted chunks (for matches no module's own code shows, e.g. introduced by the minifier or a plugin).
 */
export function checkBundle(modules: readonly BundledModule[], chunks: readonly { fileName: string; code: string }[] = []): Finding[] {
  const findings: Finding[] = [];
  for (const m of modules) {
    for (const f of FORBIDDEN_MODULES) if (f.test.test(m.id)) findings.push({ check: 'module', rule: f.rule, where: m.id, detail: f.why });
    if (m.code) findings.push(...scanCode(m.code, m.id));
  }
  for (const c of chunks) {
    const seen = new Set(findings.filter((f) => modules.some((m) => m.id === f.where && m.chunk === c.fileName)).map((f) => f.rule));
    findings.push(...scanCode(c.code, c.fileName).filter((f) => !seen.has(f.rule)));
  }
  return findings;
}

/** `node_modules/<package>/…` wherever the tree lives (worktrees resolve it through a symlink); repo-relative otherwise. */
export function displayId(id: string, root: string): string {
  const clean = id.replace(/^\0/, '');
  const nm = clean.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (nm >= 0) return clean.slice(nm + 1).split(path.sep).join('/');
  return path.isAbsolute(clean) ? path.relative(root, clean).split(path.sep).join('/') : clean;
}

/** The package a display id belongs to (`@scope/name` or `name`), or `(app)` for our own sources. */
export function packageOf(displayed: string): string {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(displayed);
  return m?.[1] ?? '(app)';
}

/** One block per rule: a forbidden package is one reason and many modules; code findings each show their excerpt. */
export function formatFindings(findings: readonly Finding[], root: string): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.check}: ${f.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines: string[] = [];
  for (const [key, fs] of groups) {
    if (fs[0]?.check === 'module') {
      const ids = fs.map((f) => displayId(f.where, root));
      lines.push(`  [${key}] ${fs[0].detail}`, `      ${ids.length} module(s): ${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ', …' : ''}`);
    } else {
      for (const f of fs) lines.push(`  [${key}] ${displayId(f.where, root)}`, `      …${f.detail}…`);
    }
  }
  return lines.join('\n');
}

/** The plugin. `report`: where to write the module list (default: next to the output folder). */
export function rendererBundleCheck(options: { report?: string; root?: string } = {}): Plugin {
  let outDir = '';
  const root = options.root ?? process.cwd();
  return {
    name: 'kansli-renderer-bundle-check',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      const modules: BundledModule[] = [];
      const chunks: { fileName: string; code: string }[] = [];
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue;
        chunks.push({ fileName: out.fileName, code: out.code });
        for (const id of out.moduleIds) {
          const info = out.modules[id];
          modules.push({ id, chunk: out.fileName, renderedLength: info?.renderedLength ?? 0, code: info?.code ?? null });
        }
      }
      const findings = checkBundle(modules, chunks);

      const byPackage: Record<string, number> = {};
      for (const m of modules) {
        const p = packageOf(displayId(m.id, root));
        byPackage[p] = (byPackage[p] ?? 0) + m.renderedLength;
      }
      const report = options.report ?? path.join(path.dirname(outDir), `${path.basename(outDir)}-bundle.json`);
      mkdirSync(path.dirname(report), { recursive: true });
      writeFileSync(
        report,
        JSON.stringify(
          {
            findings: findings.map((f) => ({ ...f, where: displayId(f.where, root) })),
            packages: Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1])),
            modules: modules.map((m) => ({ id: displayId(m.id, root), chunk: m.chunk, renderedLength: m.renderedLength })),
          },
          null,
          1,
        ) + '\n',
      );

      if (findings.length > 0) {
        this.error(`The renderer bundle contains what the CSP or the build forbids (details in ${path.relative(root, report)}):\n${formatFindings(findings, root)}`);
      }
    },
  };
}
