import { and, asc, eq } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { MappingExistsError, mapMappingRow, type MappingRepository } from './mapping-profile.js';
import { mappingProfiles } from './schema/pg.js';

/** One tenant's profiles. */
export function createPgMappingRepository(db: NodePgDatabase, tenantId: string): MappingRepository {
  const named = (name: string) => and(eq(mappingProfiles.tenantId, tenantId), eq(mappingProfiles.name, name));
  return {
    async create(profile) {
      const at = new Date();
      const [row] = await db
        .insert(mappingProfiles)
        .values({ ...profile, tenantId, createdAt: at, updatedAt: at })
        .onConflictDoNothing({ target: [mappingProfiles.tenantId, mappingProfiles.name] })
        .returning();
      if (!row) throw new MappingExistsError(profile.name);
      return mapMappingRow(row);
    },

    async get(name) {
      const [row] = await db.select().from(mappingProfiles).where(named(name));
      return row ? mapMappingRow(row) : null;
    },

    async list() {
      const rows = await db
        .select()
        .from(mappingProfiles)
        .where(eq(mappingProfiles.tenantId, tenantId))
        .orderBy(asc(mappingProfiles.name));
      return rows.map(mapMappingRow);
    },

    async replace(name, profile) {
      const [row] = await db
        .update(mappingProfiles)
        .set({ ...profile, updatedAt: new Date() })
        .where(named(name))
        .returning();
      return row ? mapMappingRow(row) : null;
    },

    async delete(name) {
      const rows = await db
        .delete(mappingProfiles)
        .where(named(name))
        .returning({ name: mappingProfiles.name });
      return rows.length > 0;
    },
  };
}
