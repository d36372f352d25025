import { defineConfig } from '@playwright/test';
import { ADMIN_TOKEN } from './tests/e2e/admin';
// The same Chromium flags and phone as the benchmarks.
import { CHROMIUM_ARGS, PHONE } from './bench/browser.mjs';

// End-to-end tests of the built widget (dist/) served by kago-server, in Debian's
// Chromium. Never downloads a browser and never rebuilds the wasm: run scripts/build
// (or scripts/test, which does everything) first.
const port = Number(process.env.E2E_PORT ?? 8181);
const baseURL = `http://127.0.0.1:${port}`;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = 'tests/e2e/artifacts';
// The demo server's SQLite file (orders and funnel events): deleted before the server starts,
// so every run begins empty (tests still tell their orders apart by e-mail and their events by
// cart_id, since a server that is already running is reused outside CI).
const ordersDb = `${artifacts}/orders.sqlite`;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: `${artifacts}/results`,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // In CI, a test that fails is run once more and, if it passes then, is reported as flaky
  // (scripts/test prints it): a few tests measure timing-sensitive things (layout shift during
  // the early frame's hand-over, axe scans) on a shared 2-core runner. Locally: no retries.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: `${artifacts}/results.json` }],
    ['html', { open: 'never', outputFolder: `${artifacts}/report` }],
  ],
  use: {
    baseURL,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    {
      name: 'phone',
      use: {
        browserName: 'chromium',
        ...PHONE,
      },
    },
  ],
  webServer: {
    // dist/ first (the widget and demo shop), then the fixture pages, then the example apps
    // (target/apps/leptos-app/ from examples/leptos_app/Trunk.toml, at /leptos-app/; the folder
    // is made if it is not built yet, and leptos-app.spec.ts says how to build it); a fresh order database;
    // orders priced from the demo catalog plus the fixture pages' products; any origin may
    // post (the CORS test) and the rate limits are out of the way of parallel tests.
    command:
      `rm -f ${ordersDb} ${ordersDb}-wal ${ordersDb}-shm ${ordersDb}-journal && mkdir -p target/apps && ` +
      `exec cargo run -q -p kago-server -- --root dist --root tests/e2e/pages --root target/apps --port ${port} --db ${ordersDb} ` +
      `--catalog www/catalog.json --catalog tests/e2e/catalog.json --allowed-origin '*' ` +
      `--rate-limit-per-ip 1000000 --rate-limit-per-origin 1000000`,
    env: { KAGO_ADMIN_TOKEN: ADMIN_TOKEN },
    url: `${baseURL}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
