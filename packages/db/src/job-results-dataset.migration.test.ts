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
import { completedJob, newJob } from './job-fixtures.test-support.js';
import { firstMigrations } from './migrations.test-support.js';
import type { Database } from './types.js';

const INSERT_JOB = `insert into jobs (id, status, file_name, size_bytes, sha256, storage_key, options, created_at, updated_at)
  values ($id, 'completed', 'old.csv', 10, '${'a'.repeat(64)}', 'uploads/x', '{}', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`;
const INSERT_RESULT = `insert into job_results (job_id, type, format, storage_key, count, size_bytes, created_at)
  values ($id, 'harmonized', 'csv', 'results/x/harmonized.csv', 3, 30, '2025-01-01T00:00:00.000Z')`;

let dir: string | undefined;
let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the job_results.dataset migration', () => {
  it('keeps the files of jobs finished before it on SQLite, with no dataset', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-migrate-'));
    const file = path.join(dir, 'jobs.sqlite');
    const sqlite = new BetterSqlite3(file);
    sqliteMigrate(sqliteDrizzle({ client: sqlite }), { migrationsFolder: await firstMigrations('sqlite', dir, 1) });
    const id = randomUUID();
    sqlite.prepare(INSERT_JOB.replace('$id', '?')).run(id);
    sqlite.prepare(INSERT_RESULT.replace('$id', '?')).run(id);
    sqlite.close();

    db = await createDb({ kind: 'sqlite', file });
    expect(await db.jobs.listResults(id)).toEqual([expect.objectContaining({ dataset: null, type: 'harmonized', format: 'csv', count: 3 })]);
    const job = (await db.jobs.create(newJob())).job;
    await db.jobs.markRunning(job.id);
    expect(await db.jobs.markCompleted(job.id, completedJob)).not.toBeNull();
  });

  it('keeps the files of jobs finished before it on PostgreSQL, with no dataset', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-migrate-'));
    const schema = `test_migrate_${process.pid}_${randomUUID().slice(0, 8)}`;
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    try {
      await pool.query(`create schema "${schema}"`);
      await pgMigrate(pgDrizzle({ client: pool }), { migrationsFolder: await firstMigrations('pg', dir, 1), migrationsSchema: schema });
      const id = randomUUID();
      await pool.query(INSERT_JOB.replace('$id', '$1'), [id]);
      await pool.query(INSERT_RESULT.replace('$id', '$1'), [id]);

      db = await createDb({ kind: 'postgres', url: TEST_POSTGRES_URL, schema });
      expect(await db.jobs.listResults(id)).toEqual([expect.objectContaining({ dataset: null, type: 'harmonized', format: 'csv', count: 3 })]);
      const job = (await db.jobs.create(newJob())).job;
      await db.jobs.markRunning(job.id);
      expect(await db.jobs.markCompleted(job.id, completedJob)).not.toBeNull();
      expect((await db.jobs.listResults(job.id)).map((r) => r.dataset)).toEqual([null, null, 'patients', 'patients']);
    } finally {
      await db?.close();
      db = undefined;
      await pool.query(`drop schema if exists "${schema}" cascade`);
      await pool.end();
    }
  });
});
