// The browser the benchmarks drive (bench/run.mjs, bench/embed-cost.mjs): Chromium's flags for
// this machine's closed network, the phone it plays, and the networks it can throttle to (CDP
// Network.emulateNetworkConditions).
import { devices } from 'playwright-core';

export const NETWORKS = {
  none: null,
  slow4g: { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PHONE = {
  viewport: { width: 412, height: 915 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: devices['Pixel 7'].userAgent,
};
