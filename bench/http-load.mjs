// A small closed-loop HTTP load generator for loopback benchmarks (autocannon is not installed):
// `connections` keep-alive sockets, each sending its next GET as soon as the previous answer is
// read, for a fixed duration after a short warm-up. Latencies are kept per request for p50/p99.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One GET on a keep-alive agent; resolves with the status once the body is read. */
function get(agent, url, headers) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      response.on('data', () => {});
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    request.once('error', reject);
  });
}

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/**
 * Runs the load and returns requests/s, latency percentiles (ms) and the answers by status.
 * `headers` go with every request (e.g. Authorization).
 * @param {{ url: string, headers?: Record<string, string>, connections?: number, durationMs?: number, warmupMs?: number }} options
 */
export async function runHttpLoad({ url, headers = {}, connections = 50, durationMs = 5_000, warmupMs = 1_000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<string, number>} */
  const statuses = {};
  let errors = 0;
  let measuring = false;
  let stopping = false;
  const loop = async () => {
    while (!stopping) {
      const t0 = performance.now();
      try {
        const status = await get(agent, url, headers);
        if (measuring) {
          latencies.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const loops = Array.from({ length: connections }, loop);
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  const elapsed = performance.now() - start;
  stopping = true;
  await Promise.all(loops);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    reqPerS: latencies.length / (elapsed / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
    errors,
  };
}
