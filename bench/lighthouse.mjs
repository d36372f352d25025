// Lighthouse 12.8 (npm devDependency, node API) on pages the bench server serves: the default
// mobile config (Moto G Power-sized screen, slow 4G: 150 ms RTT, 1.6 Mbit/s, 4× CPU) in both
// throttling modes — `simulate` (Lantern, what PageSpeed Insights reports) and `devtools` (the
// page really loads throttled, so Total Blocking Time counts the real main-thread tasks).
// One headless Chromium (`/usr/bin/chromium`) per mode, started by chrome-launcher; Lighthouse
// resets the origin's storage and cache before each run.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

export const LIGHTHOUSE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const LH_MODES = ['simulate', 'devtools'];

/** The figures kept from one Lighthouse report (ms, score 0–1). */
function pick(lhr) {
  const a = lhr.audits;
  const value = (id) => (a[id] && typeof a[id].numericValue === 'number' ? a[id].numericValue : null);
  return {
    score: lhr.categories.performance.score,
    fcp: value('first-contentful-paint'),
    lcp: value('largest-contentful-paint'),
    tbt: value('total-blocking-time'),
    si: value('speed-index'),
    cls: value('cumulative-layout-shift'),
    // What the page did on its main thread (devtools mode: real; simulate: observed, unthrottled).
    longTasks: (a['long-tasks']?.details?.items || []).map((t) => ({
      url: t.url,
      start: t.startTime,
      duration: t.duration,
    })),
    warnings: lhr.runWarnings || [],
    runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
  };
}

/**
 * Runs Lighthouse `runs` times on each of `pages` ({key: url}) in each mode, interleaving the
 * pages within a run so neither gets the quieter moments. Returns {mode: {key: [figures…]}}.
 */
export async function runLighthouse({ pages, runs, chromium, modes = LH_MODES, log = () => {} }) {
  const out = {};
  for (const mode of modes) {
    out[mode] = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
    const chrome = await chromeLauncher.launch({ chromePath: chromium, chromeFlags: LIGHTHOUSE_FLAGS, logLevel: 'silent' });
    try {
      for (let i = 0; i < runs; i++) {
        const keys = Object.keys(pages);
        if (i % 2) keys.reverse();
        for (const key of keys) {
          const started = Date.now();
          try {
            const result = await lighthouse(
              pages[key],
              { port: chrome.port, output: 'json', logLevel: 'silent', onlyCategories: ['performance'], throttlingMethod: mode },
            );
            const figures = pick(result.lhr);
            out[mode][key].push(figures);
            log(`lighthouse ${mode} ${key} ${i + 1}/${runs}: score ${figures.score}, FCP ${Math.round(figures.fcp)} ms, LCP ${Math.round(figures.lcp)} ms, TBT ${Math.round(figures.tbt)} ms (${((Date.now() - started) / 1000).toFixed(0)} s)`);
          } catch (err) {
            out[mode][key].push({ error: String(err && err.message ? err.message : err).split('\n')[0] });
            log(`lighthouse ${mode} ${key} ${i + 1}/${runs}: failed: ${err}`);
          }
        }
      }
    } finally {
      await chrome.kill();
    }
  }
  return out;
}
