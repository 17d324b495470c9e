import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { apiKeys, auditLog } from './schema/sqlite.js';
import { assertPageLimit } from './job-cursor.js';
import { jsonValue, once } from './prepared.js';
import { auditValues, decodeAuditCursor, mapApiKeyRow, mapAuditRow, toAuditPage } from './security-rows.js';
import { toInstant } from './recovery-transitions.js';
import type { ApiKeyLookup, AuditWriter, TenantApiKeyRepository, TenantAuditReader } from './types.js';

const now = (): string => new Date().toISOString();

/** Key lookups before authentication: by hash, across tenants. */
export function createSqliteApiKeyLookup(db: BetterSQLite3Database): ApiKeyLookup {
  // Every request with an api key looks its key up: prepared once (see prepared.ts).
  const byHash = once(() => db.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder('keyHash'))).prepare());
  return {
    async findByHash(keyHash) {
      const row = byHash().get({ keyHash });
      return row ? mapApiKeyRow(row) : null;
    },
    async touch(id, at) {
      db.update(apiKeys).set({ lastUsedAt: toInstant(at) }).where(eq(apiKeys.id, id)).run();
    },
  };
}

export function createSqliteTenantApiKeys(db: BetterSQLite3Database, tenantId: string): TenantApiKeyRepository {
  const owned = (id: string) => and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id));
  return {
    async create(input) {
      const row = db
        .insert(apiKeys)
        .values({ ...input, roles: [...input.roles], tenantId, createdAt: now() })
        .returning()
        .get();
      return mapApiKeyRow(row);
    },
    async list() {
      const rows = db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.tenantId, tenantId))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .all();
      return rows.map(mapApiKeyRow);
    },
    async get(id) {
      const row = db.select().from(apiKeys).where(owned(id)).get();
      return row ? mapApiKeyRow(row) : null;
    },
    async revoke(id) {
      // A second revoke keeps the first time; the row comes back either way.
      db.update(apiKeys).set({ revokedAt: now() }).where(and(owned(id), isNull(apiKeys.revokedAt))).run();
      const row = db.select().from(apiKeys).where(owned(id)).get();
      return row ? mapApiKeyRow(row) : null;
    },
  };
}

export function createSqliteAuditWriter(db: BetterSQLite3Database): AuditWriter {
  // Every request that changes something appends a row: prepared once (data is JSON text).
  const insert = once(() => {
    const ph = sql.placeholder;
    const values = {
      tenantId: ph('tenantId'),
      at: ph('at'),
      actor: ph('actor'),
      actorKind: ph('actorKind'),
      action: ph('action'),
      target: ph('target'),
      outcome: ph('outcome'),
      ip: ph('ip'),
      requestId: ph('requestId'),
      data: sql`${ph('data')}`,
    } satisfies Record<keyof ReturnType<typeof auditValues<string>>, unknown>;
    return db.insert(auditLog).values(values as unknown as typeof auditLog.$inferInsert).prepare();
  });
  return {
    async append(entry) {
      const values = auditValues(entry, now());
      insert().run({ ...values, data: jsonValue(values.data) });
    },
  };
}

export function createSqliteAuditReader(db: BetterSQLite3Database, tenantId: string): TenantAuditReader {
  return {
    async list(query) {
      assertPageLimit(query.limit);
      const before = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
      const rows = db
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
        .limit(query.limit + 1)
        .all();
      return toAuditPage(rows.map(mapAuditRow), query.limit);
    },
  };
}
