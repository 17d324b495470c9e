import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '@harmonizer/config';
import { createDb } from './create-db.js';
import type { CreateDbOptions, Database } from './types.js';

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database of one dialect: open it as often as needed, then clean it away. */
export interface DbTarget {
  config: Config['database'];
  open(options?: CreateDbOptions): Promise<Database>;
  cleanup(): Promise<void>;
}

export interface DbTargetKind {
  name: 'sqlite' | 'postgres';
  prepare(): Promise<DbTarget>;
}

function tracked(config: Config['database'], dispose: () => Promise<void>): DbTarget {
  const opened: Database[] = [];
  return {
    config,
    async open(options) {
      const db = await createDb(config, options);
      opened.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close()));
      await dispose();
    },
  };
}

export const sqliteTarget: DbTargetKind = {
  name: 'sqlite',
  async prepare() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-db-'));
    // A directory that does not exist yet: createDb must make it.
    const file = path.join(dir, 'nested', 'jobs.sqlite');
    return tracked({ kind: 'sqlite', file }, () => rm(dir, { recursive: true, force: true }));
  },
};

export const postgresTarget: DbTargetKind = {
  name: 'postgres',
  async prepare() {
    const schema = `test_db_${process.pid}_${randomBytes(4).toString('hex')}`;
    return tracked({ kind: 'postgres', url: TEST_POSTGRES_URL, schema }, async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    });
  },
};

export const DB_TARGETS = [sqliteTarget, postgresTarget] as const;
