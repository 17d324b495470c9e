import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from './create-db.js';
import { TEST_POSTGRES_URL } from './db-targets.test-support.js';
import { newJob } from './job-fixtures.test-support.js';
import { firstMigrations } from './migrations.test-support.js';
import type { Database } from './types.js';

/** The rows a 0002 database (before tenancy) holds: one finished job with everything hanging off it, and a profile. */
const AT = '2025-01-01T00:00:00.000Z';
const SEED: [string, (id: string) => unknown[]][] = [
  [
    `insert into jobs (id, status, file_name, size_bytes, sha256, storage_key, options, idempotency_key, created_at, updated_at, finished_at)
     values (?, 'completed', 'old.csv', 10, '${'a'.repeat(64)}', 'uploads/x', '{}', 'idem-1', ?, ?, ?)`,
    (id) => [id, AT, AT, AT],
  ],
  [
    `insert into job_results (job_id, dataset, type, format, storage_key, count, size_bytes, created_at)
     values (?, 'patients', 'harmonized', 'csv', 'results/x/harmonized.csv', 3, 30, ?)`,
    (id) => [id, AT],
  ],
  [`insert into job_logs (job_id, at, level, message) values (?, ?, 'info', 'job completed')`, (id) => [id, AT]],
  [
    `insert into job_metrics (job_id, duration_ms, bytes_in, records_in, records_out, records_rejected, duplicates, errors, warnings, created_at)
     values (?, 5, 10, 3, 3, 0, 0, 0, 0, ?)`,
    (id) => [id, AT],
  ],
  [
    `insert into mapping_profiles (name, dataset, columns, codes, description, created_at, updated_at)
     values ('clinic-a', 'patients', '{"MRN":"patient_id"}', '{}', null, ?, ?)`,
    () => [AT, AT],
  ],
];
const toPg = (statement: string) => {
  let n = 0;
  return statement.replace(/\?/g, () => `$${++n}`);
};

let dir: string | undefined;
let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** What the migrated database must show: every old row belongs to 'local', and tenancy works on top. */
async function expectMigrated(db: Database, id: string): Promise<void> {
  const local = db.forTenant('local');
  const job = await local.jobs.get(id);
  expect(job).toMatchObject({ id, tenantId: 'local', status: 'completed', uploadDeletedAt: null, expiredAt: null });
  expect(await local.jobs.findByIdempotencyKey('idem-1')).toMatchObject({ id });
  expect(await local.jobs.listResults(id)).toEqual([expect.objectContaining({ dataset: 'patients', count: 3 })]);
  expect(await local.jobs.listLogs(id, { limit: 10 })).toEqual([expect.objectContaining({ message: 'job completed' })]);
  expect(await local.jobs.getMetrics(id)).toMatchObject({ recordsIn: 3 });
  expect(await local.mappings.get('clinic-a')).toMatchObject({ columns: { MRN: 'patient_id' } });

  const other = db.forTenant('acme');
  expect(await other.jobs.get(id)).toBeNull();
  expect(await other.jobs.listResults(id)).toEqual([]);
  expect(await other.mappings.get('clinic-a')).toBeNull();
  // Keys and profile names are now per tenant: the old ones do not block another tenant.
  const created = await other.jobs.create({ ...newJob(), idempotencyKey: 'idem-1' });
  expect(created).toMatchObject({ created: true, job: { tenantId: 'acme' } });
  await other.mappings.create({ name: 'clinic-a', dataset: null, columns: {}, codes: {}, description: null });
  expect((await local.mappings.get('clinic-a'))?.columns).toEqual({ MRN: 'patient_id' });
  // ... while inside 'local' the old key still answers with the old job.
  expect(await local.jobs.create({ ...newJob(), idempotencyKey: 'idem-1' })).toMatchObject({ created: false, job: { id } });
  expect(await db.jobs.listForRetention({ kind: 'results', finishedBefore: '2025-06-01T00:00:00.000Z', limit: 10 })).toEqual([
    expect.objectContaining({ id }),
  ]);
}

describe('the tenancy migration (0003)', () => {
  it('gives every row of a 0002 SQLite database to the local tenant', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-migrate-'));
    const file = path.join(dir, 'jobs.sqlite');
    const sqlite = new BetterSqlite3(file);
    sqliteMigrate(sqliteDrizzle({ client: sqlite }), { migrationsFolder: await firstMigrations('sqlite', dir, 3) });
    const id = randomUUID();
    for (const [statement, params] of SEED) sqlite.prepare(statement).run(...params(id));
    sqlite.close();

    db = await createDb({ kind: 'sqlite', file });
    await expectMigrated(db, id);
  });

  it('gives every row of a 0002 PostgreSQL schema to the local tenant', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-migrate-'));
    const schema = `test_migrate_${process.pid}_${randomUUID().slice(0, 8)}`;
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    try {
      await pool.query(`create schema "${schema}"`);
      await pgMigrate(pgDrizzle({ client: pool }), { migrationsFolder: await firstMigrations('pg', dir, 3), migrationsSchema: schema });
      const id = randomUUID();
      for (const [statement, params] of SEED) await pool.query(toPg(statement), params(id));

      db = await createDb({ kind: 'postgres', url: TEST_POSTGRES_URL, schema });
      await expectMigrated(db, id);
    } finally {
      await db?.close();
      db = undefined;
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    }
  });
});
