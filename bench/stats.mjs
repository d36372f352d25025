// The benchmarks' small helpers (bench/run.mjs, bench/embed-cost.mjs): medians and ranges over
// runs, waiting, and one line of an error.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The first line of an error's message, at most 300 characters. */
export const oneLine = (err) => String(err && err.message ? err.message : err).split('\n')[0].slice(0, 300);

/** The median of the finite numbers among `values`; null if there are none. */
export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median, min, max and count of the finite numbers among `values`, and `values` as they came. */
export function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return {
    median: median(v),
    min: v.length ? Math.min(...v) : null,
    max: v.length ? Math.max(...v) : null,
    n: v.length,
    values,
  };
}
