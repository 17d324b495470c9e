// The rows of the bench table, from the figures of one run: each ratio is taken between runs of
// this same run, and each issue 6 target sits next to the figure it is about.
import { fmt } from './table.mjs';

const perf = (r, bytes) => {
  if (!r) return {};
  const seconds = r.wallMs / 1000;
  return {
    rowsPerS: r.counts.rows_in / seconds,
    'rows/s': fmt.int(r.counts.rows_in / seconds),
    'MB/s': fmt.num(bytes / 1e6 / seconds),
    wall: fmt.seconds(r.wallMs),
    'peak RSS': fmt.mb(r.peakRss),
    'cores busy': fmt.num(r.cpuMs / r.wallMs, 2),
  };
};

/** Worker memory target: 300 MB at 1M rows, 1 GB at 10M; other sizes show it without a verdict. */
function rssTarget(rows, peakRss) {
  if (rows === 1_000_000) return { target: '≤ 300 MB at 1M rows', met: peakRss <= 300e6 };
  if (rows === 10_000_000) return { target: '≤ 1 GB at 10M rows', met: peakRss <= 1e9 };
  return { target: '≤ 300 MB at 1M rows, ≤ 1 GB at 10M (not this size)', met: undefined };
}

/**
 * @param {{ input: { rows: number, bytes: number }, results: Record<string, any>, failures: Record<string, string> }} run
 * @returns {Record<string, string>[]}
 */
export function buildRows({ input, results }) {
  const { duckdb = {}, worker = {}, workerPeerOutputs, naive, e2e, api } = results;
  const rows = [];
  const add = (what, cells = {}, target = '', met = undefined) =>
    rows.push({ what, ...cells, 'target (issue 6)': target, met: fmt.met(met) });
  const d1 = perf(duckdb[1], input.bytes);
  const d2 = perf(duckdb[2], input.bytes);
  const w1 = perf(worker[1], input.bytes);
  const w2 = perf(worker[2], input.bytes);

  if (duckdb[1]) add('DuckDB peer (SQL), 1 thread', { ...d1, 'ratio (same run)': 'peer' });
  if (duckdb[2]) add('DuckDB peer (SQL), 2 threads', { ...d2, 'ratio (same run)': 'peer' });
  if (worker[1]) add('worker alone, 1 thread', { ...w1, 'ratio (same run)': fmt.ratio(w1.rowsPerS / d1.rowsPerS, 'DuckDB 1t') });
  if (worker[2]) {
    const ratio = w2.rowsPerS / d2.rowsPerS;
    add('worker alone, 2 threads', { ...w2, 'ratio (same run)': fmt.ratio(ratio, 'DuckDB 2t') }, '≥ 1.00× DuckDB 2t', Number.isFinite(ratio) ? ratio >= 1 : undefined);
    const scaling = w2.rowsPerS / w1.rowsPerS;
    add('worker scaling 1 → 2 threads', { 'ratio (same run)': fmt.ratio(scaling, 'worker 1t') }, '≥ 1.70×', Number.isFinite(scaling) ? scaling >= 1.7 : undefined);
    const rss = rssTarget(input.rows, worker[2].peakRss);
    add('worker peak RSS, 2 threads', { 'peak RSS': fmt.mb(worker[2].peakRss) }, rss.target, rss.met);
  }
  if (workerPeerOutputs) {
    // Not the target's run (the product's outputs include FHIR R4): the same work as the peer's SQL, for comparison.
    const p = perf(workerPeerOutputs, input.bytes);
    add('worker alone, 2 threads, only the peer\'s outputs (CSV, NDJSON; no FHIR)', { ...p, 'ratio (same run)': fmt.ratio(p.rowsPerS / d2.rowsPerS, 'DuckDB 2t') }, '(for comparison)');
  }
  if (naive) {
    const n = perf(naive, input.bytes);
    add('straightforward Node pipeline, 1 thread', { ...n, 'ratio (same run)': fmt.ratio(n.rowsPerS / d2.rowsPerS, 'DuckDB 2t') }, '(issue measured ~0.33× with 2 threads)');
  }
  if (e2e) {
    const wallMs = e2e.endToEndS * 1000;
    const ratio = wallMs / (worker[2]?.wallMs ?? NaN);
    add(`api end to end (upload, queue, process, download; ${e2e.uploadClient === 'curl' ? 'curl' : 'fetch, node:http'}), ${e2e.threads} threads`, {
      'rows/s': fmt.int(e2e.rows / e2e.endToEndS),
      'MB/s': fmt.num(e2e.inputBytes / 1e6 / e2e.endToEndS),
      wall: fmt.seconds(wallMs),
      'peak RSS': `${fmt.mb(e2e.workerPeakRss)} worker`,
      'ratio (same run)': fmt.ratio(ratio, 'worker alone wall'),
    }, '≤ 1.20× worker alone', Number.isFinite(ratio) ? ratio <= 1.2 : undefined);
    const uploadMBs = e2e.inputBytes / 1e6 / e2e.uploadS;
    add(`upload streaming, loopback client (${e2e.uploadClient ?? 'fetch/FormData'}, AUTH_MODE=none) to stored file`, {
      'MB/s': fmt.num(uploadMBs),
      wall: fmt.seconds(e2e.uploadS * 1000),
      'peak RSS': `${fmt.mb(e2e.apiPeakRss)} api`,
    }, '≥ 200 MB/s', uploadMBs >= 200);
  }
  if (api) {
    const { status, statusApiKey, helloWorld, small, connections, upload } = api;
    const statusRow = (what, load) => {
      const ratio = load.reqPerS / helloWorld.reqPerS;
      const codes = Object.keys(load.statuses).join('/') || 'none';
      add(`GET /jobs/{id}/status, ${connections} connections, auth: ${what} (HTTP ${codes}${load.errors ? `, ${load.errors} errors` : ''})`, {
        'rows/s': `${fmt.int(load.reqPerS)} req/s`,
        wall: `p99 ${fmt.num(load.p99Ms)} ms`,
        'peak RSS': `${fmt.mb(api.apiPeakRss)} api`,
        'ratio (same run)': fmt.ratio(ratio, 'hello-world'),
      }, '≥ 0.50× hello-world, p99 < 20 ms (with auth)', ratio >= 0.5 && load.p99Ms < 20);
    };
    statusRow('Bearer HS256 JWT', status);
    if (statusApiKey) statusRow('api key', statusApiKey);
    if (upload) {
      add('upload streaming with auth (node:http client, worker stopped, fastest of 3)', {
        'MB/s': `${fmt.num(upload.MBperS)} (median ${fmt.num(upload.medianMBperS)})`,
        wall: fmt.seconds(upload.uploadS * 1000),
      }, '≥ 200 MB/s', upload.MBperS >= 200);
    }
    add(`Fastify hello-world, ${connections} connections`, {
      'rows/s': `${fmt.int(helloWorld.reqPerS)} req/s`,
      wall: `p99 ${fmt.num(helloWorld.p99Ms)} ms`,
      'ratio (same run)': 'reference',
    });
    const label = `small jobs (${small.bytesEach} B each) ×${small.jobs}, worker concurrency ${api.workerConcurrency}`;
    add(`${label}: submitted`, { 'rows/s': `${fmt.num(small.submittedPerS)} jobs/s` }, '≥ 300 jobs/s', small.submittedPerS >= 300);
    const done = Object.entries(small.statuses).map(([s, n]) => `${n} ${s}`).join(', ');
    add(`${label}: completed end to end (${done})`, {
      'rows/s': `${fmt.num(small.completedPerS)} jobs/s`,
      wall: fmt.seconds(small.completedMs),
      'peak RSS': `${fmt.mb(api.workerPeakRss)} worker`,
    }, '≥ 300 jobs/s', small.completedPerS >= 300);
  }
  return rows;
}
