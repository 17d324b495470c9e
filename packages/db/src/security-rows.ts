import { toIso, toIsoOrNull, type Timestamp } from './map-row.js';
import { InvalidCursorError, type ApiKeyRecord, type AuditEntry, type AuditRecord } from './types.js';

/** Row shapes and mappers of api_keys and audit_log, shared by both dialects. */

export type ApiKeyRow = Omit<ApiKeyRecord, 'createdAt' | 'lastUsedAt' | 'revokedAt'> & {
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
};

/** Field by field: the key hash never leaves the repository. */
export function mapApiKeyRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    prefix: row.prefix,
    roles: [...row.roles],
    createdBy: row.createdBy,
    createdAt: toIso(row.createdAt),
    lastUsedAt: toIsoOrNull(row.lastUsedAt),
    revokedAt: toIsoOrNull(row.revokedAt),
  };
}

export type AuditRow = Omit<AuditRecord, 'at'> & { at: Timestamp };

export function mapAuditRow(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    at: toIso(row.at),
    actor: row.actor,
    actorKind: row.actorKind,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    ip: row.ip,
    requestId: row.requestId,
    data: row.data,
  };
}

/** Column values of a new audit row; `T` is the dialect's timestamp value. */
export function auditValues<T>(entry: AuditEntry, at: T) {
  return {
    tenantId: entry.tenantId,
    at,
    actor: entry.actor,
    actorKind: entry.actorKind,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    ip: entry.ip,
    requestId: entry.requestId,
    data: entry.data ?? null,
  };
}

/** Audit pages go newest first by id; the cursor is the last id returned. */
export function encodeAuditCursor(id: number): string {
  return Buffer.from(JSON.stringify(['audit', id]), 'utf8').toString('base64url');
}

export function decodeAuditCursor(cursor: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== 'audit') throw new InvalidCursorError();
  const id: unknown = parsed[1];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new InvalidCursorError();
  return id;
}

/** Rows fetched with limit + 1: the extra one only says that another page exists. */
export function toAuditPage(rows: AuditRecord[], limit: number): { items: AuditRecord[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
}
