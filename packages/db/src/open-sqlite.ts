import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createSqliteJobRepository } from './sqlite-job-repository.js';
import { createSqliteMappingRepository } from './sqlite-mapping-repository.js';
import {
  createSqliteApiKeyLookup,
  createSqliteAuditReader,
  createSqliteAuditWriter,
  createSqliteTenantApiKeys,
} from './sqlite-security-repositories.js';
import { tenantScopes } from './tenant-scope.js';
import type { CreateDbOptions, Database } from './types.js';

// src/ (tests) and dist/ (built) both sit one level below the package root.
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations/sqlite', import.meta.url));
const SETUP_ATTEMPTS = 10;

/** Opens (creating if needed) a SQLite file and brings its schema up to date. */
export async function openSqlite(file: string, options: CreateDbOptions = {}): Promise<Database> {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  let db: BetterSQLite3Database;
  try {
    // The api and the workers share the file: wait for each other's locks rather than fail.
    sqlite.pragma('busy_timeout = 5000');
    // Switching a fresh file to WAL needs an exclusive lock and reports SQLITE_BUSY without
    // waiting when another process holds one, so it is retried here.
    await retried(() => sqlite.pragma('journal_mode = WAL'));
    sqlite.pragma('foreign_keys = ON');
    db = drizzle({ client: sqlite });
    // drizzle's SQLite migrator reads the applied migrations before it opens its transaction, so
    // processes starting on a fresh file can all decide to migrate; the losers wait on the lock,
    // then fail on "table already exists" and roll back. Running again reads the winner's
    // bookkeeping and finds nothing left to do.
    await retried(() => migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }));
  } catch (err) {
    sqlite.close();
    throw err;
  }
  // The repositories' instance reports each statement to onQuery; the migrator's does not.
  const { onQuery } = options;
  const repoDb = onQuery ? drizzle({ client: sqlite, logger: { logQuery: (query) => onQuery(query) } }) : db;
  return {
    dialect: 'sqlite',
    jobs: createSqliteJobRepository(repoDb),
    forTenant: tenantScopes((tenantId) => ({
      jobs: createSqliteJobRepository(repoDb, tenantId),
      mappings: createSqliteMappingRepository(repoDb, tenantId),
      apiKeys: createSqliteTenantApiKeys(repoDb, tenantId),
      audit: createSqliteAuditReader(repoDb, tenantId),
    })),
    apiKeys: createSqliteApiKeyLookup(repoDb),
    audit: createSqliteAuditWriter(repoDb),
    async ping() {
      onQuery?.('select 1');
      sqlite.prepare('select 1').get();
    },
    async close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Runs a start-up step until it succeeds, backing off a little; the last error is thrown. */
async function retried(step: () => unknown): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      step();
      return;
    } catch (err) {
      if (attempt >= SETUP_ATTEMPTS) throw err;
      await sleep(attempt * 10 + Math.random() * 20);
    }
  }
}
