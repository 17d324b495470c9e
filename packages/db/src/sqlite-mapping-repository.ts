import { and, asc, eq } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { MappingExistsError, mapMappingRow, type MappingRepository } from './mapping-profile.js';
import { mappingProfiles } from './schema/sqlite.js';

const now = (): string => new Date().toISOString();

/** One tenant's profiles; better-sqlite3 is synchronous, async only to honour the contract. */
export function createSqliteMappingRepository(db: BetterSQLite3Database, tenantId: string): MappingRepository {
  const named = (name: string) => and(eq(mappingProfiles.tenantId, tenantId), eq(mappingProfiles.name, name));
  return {
    async create(profile) {
      const at = now();
      const row = db
        .insert(mappingProfiles)
        .values({ ...profile, tenantId, createdAt: at, updatedAt: at })
        .onConflictDoNothing({ target: [mappingProfiles.tenantId, mappingProfiles.name] })
        .returning()
        .get();
      if (!row) throw new MappingExistsError(profile.name);
      return mapMappingRow(row);
    },

    async get(name) {
      const row = db.select().from(mappingProfiles).where(named(name)).get();
      return row ? mapMappingRow(row) : null;
    },

    async list() {
      const rows = db
        .select()
        .from(mappingProfiles)
        .where(eq(mappingProfiles.tenantId, tenantId))
        .orderBy(asc(mappingProfiles.name))
        .all();
      return rows.map(mapMappingRow);
    },

    async replace(name, profile) {
      const row = db
        .update(mappingProfiles)
        .set({ ...profile, updatedAt: now() })
        .where(named(name))
        .returning()
        .get();
      return row ? mapMappingRow(row) : null;
    },

    async delete(name) {
      const rows = db.delete(mappingProfiles).where(named(name)).returning().all();
      return rows.length > 0;
    },
  };
}
