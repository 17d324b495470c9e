// HTTP clients of the load test: submitters that send small files as fast as the api takes them,
// and pollers that read the status of accepted jobs meanwhile. Loopback only.
import { patientsCsv } from './generate-patients.mjs';

/** Statuses the api documents as "try again later"; anything else >= 500 is a failure. */
export const RETRYABLE = new Set([429, 503]);

/** Latencies and answers, shared by all clients of one run. */
export function createTally() {
  return {
    submitMs: /** @type {number[]} */ ([]),
    pollMs: /** @type {number[]} */ ([]),
    byStatus: /** @type {Map<string, number>} */ (new Map()),
    accepted: /** @type {string[]} */ ([]),
    failures: /** @type {string[]} */ ([]),
    count(kind, status) {
      const key = `${kind} ${status}`;
      this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small patients CSV, different for every job (5 to 20 rows). */
function smallFile(n) {
  return new Blob([...patientsCsv({ seed: 1000 + n, rows: 5 + (n % 16) })], { type: 'text/csv' });
}

/**
 * One submitter: takes the next job number until `total` were accepted, retries a documented
 * 503/429 after its Retry-After, and records everything else as it came.
 */
export async function submitter(baseUrl, next, tally) {
  for (let n = next(); n !== null; n = next()) {
    for (;;) {
      const form = new FormData();
      form.append('file', smallFile(n), `load-${n}.csv`);
      const started = performance.now();
      let res;
      try {
        res = await fetch(`${baseUrl}/api/v1/jobs`, { method: 'POST', body: form });
      } catch (err) {
        tally.failures.push(`submit ${n}: ${err.message}`);
        break;
      }
      const body = await res.json().catch(() => null);
      tally.submitMs.push(performance.now() - started);
      tally.count('POST', res.status);
      if (res.status === 202) {
        tally.accepted.push(body.id);
        break;
      }
      if (RETRYABLE.has(res.status)) {
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      tally.failures.push(`submit ${n}: ${res.status} ${body?.error?.code ?? 'no error body'}`);
      break;
    }
  }
}

/** One poller: reads the status of a random accepted job until told to stop. */
export async function poller(baseUrl, running, tally) {
  while (running()) {
    const id = tally.accepted[Math.floor(Math.random() * tally.accepted.length)];
    if (!id) {
      await sleep(20);
      continue;
    }
    const started = performance.now();
    try {
      const res = await fetch(`${baseUrl}/api/v1/jobs/${id}/status`);
      await res.arrayBuffer();
      tally.pollMs.push(performance.now() - started);
      tally.count('GET status', res.status);
      if (res.status >= 500 && !RETRYABLE.has(res.status)) tally.failures.push(`poll ${id}: ${res.status}`);
    } catch (err) {
      tally.failures.push(`poll ${id}: ${err.message}`);
    }
    await sleep(10);
  }
}

export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
