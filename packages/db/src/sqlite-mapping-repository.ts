import { asc, eq } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { MappingExistsError, mapMappingRow, type MappingRepository } from './mapping-profile.js';
import { mappingProfiles } from './schema/sqlite.js';

const now = (): string => new Date().toISOString();

/** better-sqlite3 is synchronous; async only to honour the contract. */
export function createSqliteMappingRepository(db: BetterSQLite3Database): MappingRepository {
  return {
    async create(profile) {
      const at = now();
      const row = db
        .insert(mappingProfiles)
        .values({ ...profile, createdAt: at, updatedAt: at })
        .onConflictDoNothing({ target: mappingProfiles.name })
        .returning()
        .get();
      if (!row) throw new MappingExistsError(profile.name);
      return mapMappingRow(row);
    },

    async get(name) {
      const row = db.select().from(mappingProfiles).where(eq(mappingProfiles.name, name)).get();
      return row ? mapMappingRow(row) : null;
    },

    async list() {
      return db.select().from(mappingProfiles).orderBy(asc(mappingProfiles.name)).all().map(mapMappingRow);
    },

    async replace(name, profile) {
      const row = db
        .update(mappingProfiles)
        .set({ ...profile, updatedAt: now() })
        .where(eq(mappingProfiles.name, name))
        .returning()
        .get();
      return row ? mapMappingRow(row) : null;
    },

    async delete(name) {
      const rows = db.delete(mappingProfiles).where(eq(mappingProfiles.name, name)).returning().all();
      return rows.length > 0;
    },
  };
}
