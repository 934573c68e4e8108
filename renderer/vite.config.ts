/**
 * Renderer build: `vite build --config renderer/vite.config.ts` → dist/renderer/.
 * `base: './'` keeps every asset URL relative, so the same bundle loads from app://kansli/ (Electron)
 * and from http://127.0.0.1:<port>/ (browser host). The CSP allows only 'self' scripts and no eval:
 * nothing here may inline a script or need `new Function` (zod, which has a JIT, stays out of the bundle:
 * rendererBundleCheck fails the build if it, the dev-only fake backend, or any string-to-code call gets in).
 */
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import postcssSimpleVars from 'postcss-simple-vars';
import { defineConfig, type Plugin } from 'vite';
import { rendererBundleCheck } from '../scripts/renderer-bundle-check.ts';
import { CSP } from '../shared/security.ts';

/**
 * The built index.html also carries the CSP as a <meta> tag (defence in depth beside the response header,
 * and visible to static scanners). Only in the build: the dev server injects inline scripts for hot reload.
 * frame-ancestors is a header-only directive and is left out of the meta copy.
 */
function cspMeta(): Plugin {
  const policy = CSP.split('; ')
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'kansli-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}

// import.meta.dirname (not node:url): this file sits in renderer/, where Node imports are linted out.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), cspMeta(), rendererBundleCheck({ root: `${here}/..` })],
  css: {
    postcss: {
      plugins: [
        postcssPresetMantine(),
        postcssSimpleVars({
          variables: {
            'mantine-breakpoint-xs': '36em',
            'mantine-breakpoint-sm': '48em',
            'mantine-breakpoint-md': '62em',
            'mantine-breakpoint-lg': '75em',
            'mantine-breakpoint-xl': '88em',
          },
        }),
      ],
    },
  },
  build: {
    outDir: '../dist/renderer', // relative to root (renderer/)
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Never inline assets as data: URIs into JS (keeps the CSP's img-src honest and the JS smaller).
    assetsInlineLimit: 0,
    // The module-preload polyfill is unneeded on Chromium and would be extra code.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    strictPort: false,
  },
});
