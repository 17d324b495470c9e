#!/usr/bin/env node
// Uploads every file under ../shared/data/external (or the folder given) one by one through the
// built api and a worker, each with the dataset auto-detected, and prints a table: file, dataset(s)
// detected, rows in / out / rejected / duplicates, whether the report accounts for every row, and
// the top rules. A tool for people: the project's own tests never need ../shared.
//
//   npm run build && node scripts/harmonize-external.mjs [folder] [--markdown]
import { mkdtempSync, openAsBlob, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, freePort, removeQueueKeys, startApp, tail, waitForHttp } from '../bench/services.mjs';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const folder = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(ROOT, '..', 'shared', 'data', 'external'));
const DATA_EXTENSIONS = /\.(csv|tsv|txt|ndjson|json|gz)$/i;

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => DATA_EXTENSIONS.test(f) && !/SHA256SUMS/.test(f))
    .sort();
}

async function submitAndWait(base, file) {
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const submitted = await fetch(`${base}/api/v1/jobs`, { method: 'POST', body: form });
  const body = await submitted.json();
  if (submitted.status !== 202) return { error: `${submitted.status} ${body.error?.code}` };
  for (;;) {
    const status = await fetch(`${base}${body.links.status}`);
    const manifest = await status.json();
    if (status.status === 200) return { manifest, jobId: body.id };
    await new Promise((r) => setTimeout(r, 150));
  }
}

function summarize(report) {
  const totals = report.totals ?? report;
  const rules = (report.rules ?? []).slice(0, 3).map((r) => `${r.rule} ${r.count}`).join(', ');
  const superseded = totals.superseded ?? 0;
  const skipped = totals.skipped ?? report.input?.skipped ?? 0;
  const accounted = totals.rows_out + totals.rows_rejected + (totals.duplicates ?? 0) + superseded;
  return { totals, rules, superseded, skipped, accounted };
}

const files = listFiles(folder);
const runDir = mkdtempSync(path.join(os.tmpdir(), 'harmonizer-external-'));
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const prefix = `external-${process.pid}`;
const port = await freePort();
const env = {
  ...process.env, DATA_DIR: runDir, PORT: String(port), HOST: '127.0.0.1', QUEUE_PREFIX: prefix,
  REDIS_URL: redisUrl, WORKER_METRICS_PORT: String(await freePort()), LOG_LEVEL: 'warn',
  // A private api on loopback for this one run: no auth, no limits on submitting or polling.
  AUTH_MODE: 'none', STATUS_POLL_LIMIT: 'off', RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0',
};
const api = startApp('api', env, runDir);
const worker = startApp('worker', env, runDir);
const base = `http://127.0.0.1:${port}`;
const rows = [];
try {
  await waitForHttp(`${base}/health`, api.exited);
  for (const file of files) {
    const name = path.relative(folder, file);
    const started = Date.now();
    const { manifest, jobId, error } = await submitAndWait(base, file);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (error || manifest.status !== 'completed') {
      rows.push([name, '-', '-', '-', '-', '-', '-', error ?? `${manifest.status}: ${manifest.error?.code}`, seconds]);
      continue;
    }
    const report = await (await fetch(`${base}/api/v1/jobs/${jobId}/report`)).json();
    const { totals, rules, superseded, accounted } = summarize(report);
    rows.push([
      name, (manifest.datasets ?? []).join('+') || '(none)', totals.rows_in, totals.rows_out, totals.rows_rejected,
      (totals.duplicates ?? 0) + (superseded ? ` (+${superseded} superseded)` : ''),
      accounted === totals.rows_in ? 'yes' : `NO (${accounted})`, rules, seconds,
    ]);
  }
} catch (err) {
  console.error(err);
  console.error(tail(api.log), '\n', tail(worker.log));
  process.exitCode = 1;
} finally {
  await worker.stop();
  await api.stop();
  await removeQueueKeys(redisUrl, prefix);
  rmSync(runDir, { recursive: true, force: true });
}

const header = ['file', 'dataset(s)', 'in', 'out', 'rejected', 'duplicates', 'all rows accounted', 'top rules', 's'];
if (markdown) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} else {
  console.table(rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]]))));
}
