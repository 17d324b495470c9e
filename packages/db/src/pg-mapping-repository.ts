import { asc, eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { MappingExistsError, mapMappingRow, type MappingRepository } from './mapping-profile.js';
import { mappingProfiles } from './schema/pg.js';

export function createPgMappingRepository(db: NodePgDatabase): MappingRepository {
  return {
    async create(profile) {
      const at = new Date();
      const [row] = await db
        .insert(mappingProfiles)
        .values({ ...profile, createdAt: at, updatedAt: at })
        .onConflictDoNothing({ target: mappingProfiles.name })
        .returning();
      if (!row) throw new MappingExistsError(profile.name);
      return mapMappingRow(row);
    },

    async get(name) {
      const [row] = await db.select().from(mappingProfiles).where(eq(mappingProfiles.name, name));
      return row ? mapMappingRow(row) : null;
    },

    async list() {
      const rows = await db.select().from(mappingProfiles).orderBy(asc(mappingProfiles.name));
      return rows.map(mapMappingRow);
    },

    async replace(name, profile) {
      const [row] = await db
        .update(mappingProfiles)
        .set({ ...profile, updatedAt: new Date() })
        .where(eq(mappingProfiles.name, name))
        .returning();
      return row ? mapMappingRow(row) : null;
    },

    async delete(name) {
      const rows = await db
        .delete(mappingProfiles)
        .where(eq(mappingProfiles.name, name))
        .returning({ name: mappingProfiles.name });
      return rows.length > 0;
    },
  };
}
