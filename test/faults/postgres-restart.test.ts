import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientsCsv } from '../../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { openServicesDb } from '../helpers/fault-checks.js';
import type { ErrorBody, StatusBody, SubmittedJob } from '../helpers/job-types.js';
import { printOutputOnFailure } from '../helpers/print-output.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { startServices, type ServiceProcess, type Services } from '../helpers/services.js';

const CLIENTS = 4;
const GAP_MS = 2_000;

/** Every answer the clients got, by status, and anything that was not a clean HTTP answer. */
interface Tally {
  byStatus: Map<number, number>;
  problems: string[];
  accepted: string[];
  /** error.code of every 5xx answer. */
  codes: Set<string>;
}

describe('PostgreSQL restarted under load', () => {
  let postgres: PrivatePostgres;
  let services: Services;
  let api: ApiClient;
  let apiProcess: ServiceProcess;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    services = await startServices({
      postgresUrl: postgres.url,
      env: { JOB_BACKOFF_MS: '500', RECONCILE_INTERVAL_MS: '1000', WORKER_LOCK_MS: '2000', WORKER_CONCURRENCY: '2' },
    });
    apiProcess = await services.startApi();
    await services.startWorker();
    api = createApiClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    await postgres?.dispose();
  });
  beforeEach((context) => printOutputOnFailure(context, () => services?.output()));

  /** One client: submits small files and polls what it submitted until told to stop. */
  async function client(seed: number, tally: Tally, running: () => boolean): Promise<void> {
    const count = (status: number) => tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
    for (let i = 0; running(); i++) {
      try {
        const file = new Blob([...patientsCsv({ seed: seed * 1000 + i, rows: 50 })], { type: 'text/csv' });
        const res = await api.submit<SubmittedJob | ErrorBody>(file, 'patients.csv');
        count(res.status);
        if (res.status === 202) tally.accepted.push((res.body as SubmittedJob).id);
        else if (!(res.body as ErrorBody | undefined)?.error?.code) tally.problems.push(`submit ${res.status} without an error body`);
        else if (res.status >= 500) tally.codes.add((res.body as ErrorBody).error.code);
        const last = tally.accepted.at(-1);
        if (last) {
          const status = await api.request<StatusBody | ErrorBody>('GET', `/api/v1/jobs/${last}/status`);
          count(status.status);
          if (status.status >= 500 && !(status.body as ErrorBody).error?.code) tally.problems.push(`status ${status.status} without an error body`);
          else if (status.status >= 500) tally.codes.add((status.body as ErrorBody).error.code);
        }
      } catch (err) {
        // A reset connection, a hang cut short, or an answer openapi.yaml does not describe.
        tally.problems.push((err as Error).message);
      }
      await sleep(50);
    }
  }

  it('fails requests in the gap cleanly, recovers without a restart, and completes every accepted job', async () => {
    const tally: Tally = { byStatus: new Map(), problems: [], accepted: [], codes: new Set() };
    let loadOn = true;
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i + 1, tally, () => loadOn));

    const serverErrors = () => [...tally.byStatus].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    while (tally.accepted.length < 8) await sleep(50);
    const errorsBefore = serverErrors();
    await postgres.stop('fast');
    await sleep(GAP_MS);
    await postgres.start();
    const acceptedAtRestart = tally.accepted.length;
    while (tally.accepted.length < acceptedAtRestart + 8) await sleep(50);
    loadOn = false;
    await Promise.all(clients);

    expect(tally.problems).toEqual([]);
    expect(apiProcess.isRunning()).toBe(true);
    const statuses = [...tally.byStatus.keys()].sort();
    // The gap is the database's, and the answer says so: 503 database_unavailable with Retry-After, never a bare 500.
    expect(statuses.every((status) => [200, 202, 503].includes(status))).toBe(true);
    expect([...tally.codes]).toEqual(['database_unavailable']);
    expect(errorsBefore).toBe(0);
    expect(serverErrors()).toBeGreaterThan(0);
    expect((await api.request<unknown>('GET', '/ready')).status).toBe(200);

    for (const id of tally.accepted) expect((await api.waitForStatus<StatusBody>(id, undefined, 60_000)).body.status).toBe('completed');
    const db = await openServicesDb(services);
    try {
      const counts = await db.jobs.countByStatus();
      expect(counts).toMatchObject({ completed: tally.accepted.length, failed: 0, queued: 0, running: 0 });
      console.info(
        `[postgres restart] accepted ${tally.accepted.length}, completed ${counts.completed}, ` +
          `answers ${JSON.stringify(Object.fromEntries(tally.byStatus))}`,
      );
    } finally {
      await db.close();
    }
  });
});
