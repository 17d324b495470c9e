import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { createPgJobRepository } from './pg-job-repository.js';
import { createPgMappingRepository } from './pg-mapping-repository.js';
import {
  createPgApiKeyLookup,
  createPgAuditReader,
  createPgAuditWriter,
  createPgTenantApiKeys,
} from './pg-security-repositories.js';
import { tenantScopes } from './tenant-scope.js';
import type { CreateDbOptions, Database } from './types.js';

// src/ (tests) and dist/ (built) both sit one level below the package root.
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations/pg', import.meta.url));
// Interpolated into connection options and DDL, so only plain identifiers pass.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connects a pool whose every connection works in `schema`, and brings that schema up to date. */
export async function openPostgres(url: string, schema: string, options: CreateDbOptions = {}): Promise<Database> {
  if (!SCHEMA_NAME.test(schema)) throw new Error('database schema must be a lower-case SQL identifier');
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
  // An idle connection dropped by the server is discarded by the pool; the next query reconnects
  // or fails where a caller sees it. Without a listener the process would crash instead.
  pool.on('error', () => {});
  // A checked-out client (a transaction's: drizzle holds one for its whole length) has no pool
  // listener, and pg emits 'error' on it when the server drops the connection even while a query
  // is failing: unheard, that crashed the process. The queries fail where their callers see them,
  // and the pool discards the dead client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    await migrateLocked(pool, schema);
  } catch (err) {
    await pool.end();
    throw err;
  }
  let closed = false;
  const { onQuery } = options;
  // Reports each statement the repositories run to onQuery (drizzle's logger).
  const db = drizzle({ client: pool, ...(onQuery ? { logger: { logQuery: (query: string) => onQuery(query) } } : {}) });
  return {
    dialect: 'postgres',
    jobs: createPgJobRepository(db),
    forTenant: tenantScopes((tenantId) => ({
      jobs: createPgJobRepository(db, tenantId),
      mappings: createPgMappingRepository(db, tenantId),
      apiKeys: createPgTenantApiKeys(db, tenantId),
      audit: createPgAuditReader(db, tenantId),
    })),
    apiKeys: createPgApiKeyLookup(db),
    audit: createPgAuditWriter(db),
    async ping() {
      onQuery?.('select 1');
      await pool.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * The api and the workers start together and all migrate. A session advisory lock per schema
 * lets one run the migrations while the others wait, then find them applied. The bookkeeping
 * table lives in the same schema, so each schema (one per test run) migrates on its own.
 */
async function migrateLocked(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const lock = `harmonizer.migrate.${schema}`;
    await client.query('select pg_advisory_lock(hashtext($1))', [lock]);
    try {
      await client.query(`create schema if not exists "${schema}"`);
      // The migrator's transaction runs on this same client, inside the lock.
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema: schema });
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lock]);
    }
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    // A client that failed mid-lock is destroyed rather than returned still holding the lock.
    client.release(broken);
  }
}
