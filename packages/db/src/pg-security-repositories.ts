import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { apiKeys, auditLog } from './schema/pg.js';
import { assertPageLimit } from './job-cursor.js';
import { once } from './prepared.js';
import { auditValues, decodeAuditCursor, mapApiKeyRow, mapAuditRow, toAuditPage } from './security-rows.js';
import { toInstant } from './recovery-transitions.js';
import type { ApiKeyLookup, AuditWriter, TenantApiKeyRepository, TenantAuditReader } from './types.js';

const now = (): Date => new Date();

/** Key lookups before authentication: by hash, across tenants. */
export function createPgApiKeyLookup(db: NodePgDatabase): ApiKeyLookup {
  // Every request with an api key looks its key up: prepared once, a named server-side statement (see prepared.ts).
  const byHash = once(() =>
    db.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder('keyHash'))).prepare('harmonizer_api_key_by_hash'),
  );
  return {
    async findByHash(keyHash) {
      const [row] = await byHash().execute({ keyHash });
      return row ? mapApiKeyRow(row) : null;
    },
    async touch(id, at) {
      await db
        .update(apiKeys)
        .set({ lastUsedAt: new Date(toInstant(at)) })
        .where(eq(apiKeys.id, id));
    },
  };
}

export function createPgTenantApiKeys(db: NodePgDatabase, tenantId: string): TenantApiKeyRepository {
  const owned = (id: string) => and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id));
  return {
    async create(input) {
      const [row] = await db
        .insert(apiKeys)
        .values({ ...input, roles: [...input.roles], tenantId, createdAt: now() })
        .returning();
      if (!row) throw new Error(`api key ${input.id} was not inserted`);
      return mapApiKeyRow(row);
    },
    async list() {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.tenantId, tenantId))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
      return rows.map(mapApiKeyRow);
    },
    async get(id) {
      const [row] = await db.select().from(apiKeys).where(owned(id));
      return row ? mapApiKeyRow(row) : null;
    },
    async revoke(id) {
      // A second revoke keeps the first time; the row comes back either way.
      await db
        .update(apiKeys)
        .set({ revokedAt: now() })
        .where(and(owned(id), isNull(apiKeys.revokedAt)));
      const [row] = await db.select().from(apiKeys).where(owned(id));
      return row ? mapApiKeyRow(row) : null;
    },
  };
}

export function createPgAuditWriter(db: NodePgDatabase): AuditWriter {
  return {
    async append(entry) {
      await db.insert(auditLog).values(auditValues(entry, now()));
    },
  };
}

export function createPgAuditReader(db: NodePgDatabase, tenantId: string): TenantAuditReader {
  return {
    async list(query) {
      assertPageLimit(query.limit);
      const before = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
      const rows = await db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.tenantId, tenantId),
            query.action === undefined ? undefined : eq(auditLog.action, query.action),
            before === undefined ? undefined : lt(auditLog.id, before),
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(query.limit + 1);
      return toAuditPage(rows.map(mapAuditRow), query.limit);
    },
  };
}
