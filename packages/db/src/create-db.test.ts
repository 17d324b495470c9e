import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from './create-db.js';
import { postgresTarget, sqliteTarget, TEST_POSTGRES_URL, type DbTarget } from './db-targets.test-support.js';

const run = promisify(execFile);
const createDbSource = fileURLToPath(new URL('./create-db.ts', import.meta.url));

describe('createDb', () => {
  let target: DbTarget | undefined;
  afterEach(async () => {
    await target?.cleanup();
    target = undefined;
  });

  it('creates the SQLite file and its directory, in WAL mode with foreign keys enforced', async () => {
    target = await sqliteTarget.prepare();
    const db = await target.open();
    expect(db.dialect).toBe('sqlite');
    await db.ping();
    if (target.config.kind !== 'sqlite') throw new Error('expected a SQLite target');
    const raw = new BetterSqlite3(target.config.file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = raw.prepare("select name from sqlite_master where type = 'table'").pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining(['jobs', 'job_results', 'job_logs', 'job_metrics', 'mapping_profiles', 'api_keys', 'audit_log']),
      );
    } finally {
      raw.close();
    }
    // The log takes its tenant from the job row, so an orphan fails on that (NOT NULL) before the foreign key.
    await expect(db.jobs.appendLog(randomUUID(), 'info', 'orphan')).rejects.toThrow(/NOT NULL|FOREIGN KEY/);
  });

  it('migrates a fresh SQLite file from several processes starting at once', async () => {
    target = await sqliteTarget.prepare();
    if (target.config.kind !== 'sqlite') throw new Error('expected a SQLite target');
    const file = target.config.file;
    // Each child loads the code first, then all call createDb at the same instant.
    const startAt = Date.now() + 2000;
    const script = `const { createDb } = await import(${JSON.stringify(createDbSource)});
      await new Promise((resolve) => setTimeout(resolve, ${startAt} - Date.now()));
      const db = await createDb({ kind: 'sqlite', file: process.argv[1] });
      await db.ping();
      await db.close();`;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const starts = Array.from({ length: 4 }, () =>
      run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file], { cwd }),
    );
    await Promise.all(starts);
    const db = await target.open();
    expect(await db.jobs.countByStatus()).toMatchObject({ queued: 0 });
  });

  it('creates the Postgres tables and migration bookkeeping inside the configured schema', async () => {
    target = await postgresTarget.prepare();
    const db = await target.open();
    expect(db.dialect).toBe('postgres');
    await db.ping();
    if (target.config.kind !== 'postgres') throw new Error('expected a Postgres target');
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1 order by table_name',
        [target.config.schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual([
        '__drizzle_migrations',
        'api_keys',
        'audit_log',
        'job_logs',
        'job_metrics',
        'job_results',
        'jobs',
        'mapping_profiles',
      ]);
    } finally {
      await client.end();
    }
  });

  it('refuses a Postgres schema name that is not a plain identifier', async () => {
    await expect(createDb({ kind: 'postgres', url: TEST_POSTGRES_URL, schema: 'x; drop table jobs' })).rejects.toThrow(
      /schema/,
    );
  });

  it('fails to open when Postgres does not answer', async () => {
    await expect(createDb({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test', schema: 'public' })).rejects.toThrow();
  });
});
