import { defineConfig } from '@playwright/test';

/**
 * End-to-end through the browser host in Debian's Chromium (Playwright's own browsers are never installed).
 * Each test starts its own host on a fresh database (see fixtures.ts).
 */
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.e2e\.ts$/,
  outputDir: '../../test-results/e2e',
  // A keyboard flow with axe scans takes 45–57 s on two loaded cores (two workers, each with its own host):
  // at 60 s CI timed out three of them at their last step. Each step still waits at most 10 s (expect).
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  // One retry in CI, so that one flake does not turn CI red; scripts/test-all.mjs names every test that
  // needed it ("flaky"), so that it gets fixed rather than hidden.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? '../../test-results/playwright.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.KANSLI_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    },
    viewport: { width: 1366, height: 850 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
