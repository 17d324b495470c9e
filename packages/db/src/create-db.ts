import type { Config } from '@harmonizer/config';
import { openPostgres } from './open-postgres.js';
import { openSqlite } from './open-sqlite.js';
import type { CreateDbOptions, Database } from './types.js';

/**
 * The one place the dialect is chosen. Opens the database named by the configuration and applies
 * pending migrations before returning, so callers always see the current schema.
 */
export async function createDb(config: Config['database'], options: CreateDbOptions = {}): Promise<Database> {
  switch (config.kind) {
    case 'sqlite':
      return openSqlite(config.file, options);
    case 'postgres':
      return openPostgres(config.url, config.schema, options);
  }
}
