import type { FastifyRequest } from 'fastify';
import type { AuditEntry, Database } from '@harmonizer/db';
import type { Principal } from './auth/principal.js';

/** What a caller says about an audited event; who, where and which request come from the request. */
export interface AuditEvent {
  /** e.g. 'job.create', 'job.download', 'api_key.revoke', 'auth.failure', 'access.denied'. */
  action: string;
  /** What was acted on (a job id, key id, mapping name); null when there is none or it is unknown. */
  target?: string | null;
  /** The HTTP status the request was answered with. */
  outcome: number;
  /** Ids and codes only: never record values, never secrets. */
  data?: Record<string, unknown> | null;
  /** Overrides the principal's tenant, e.g. the tenant a refused token named; null when unknown. */
  tenantId?: string | null;
}

/** The actor an audit row names: the key id for api keys (subjects of keys are not people), else the subject. */
export function auditActor(principal: Principal | null): Pick<AuditEntry, 'actor' | 'actorKind'> {
  if (!principal) return { actor: null, actorKind: null };
  const actor = principal.kind === 'api_key' ? (principal.keyId ?? principal.subject) : principal.subject;
  return { actor, actorKind: principal.kind };
}

/** Writes in flight, per database, so a closing app can wait for them (and tests can too). */
const pending = new WeakMap<Database, Set<Promise<void>>>();
/** Requests that already have an audit row: the audit plugin writes none more for them. */
const recorded = new WeakSet<FastifyRequest>();

export function toAuditEntry(request: FastifyRequest, event: AuditEvent): AuditEntry {
  const principal = request.principal ?? null;
  return {
    tenantId: event.tenantId !== undefined ? event.tenantId : (principal?.tenantId ?? null),
    ...auditActor(principal),
    action: event.action,
    target: event.target ?? null,
    outcome: event.outcome,
    ip: request.ip || null,
    requestId: request.id ? String(request.id) : null,
    data: event.data ?? null,
  };
}

/**
 * Appends one audit row, fire-and-forget: the answer to the client never waits for it or fails
 * because of it. A failed write is logged with the action and error code only (no values).
 * The returned promise never rejects; await it only where the row must be there (tests, close).
 */
export function recordAudit(db: Database, request: FastifyRequest, event: AuditEvent): Promise<void> {
  recorded.add(request);
  const entry = toAuditEntry(request, event);
  const write = db.audit.append(entry).catch((err: unknown) => {
    const code = (err as { code?: unknown } | null)?.code;
    request.log.error(
      { action: entry.action, outcome: entry.outcome, errorName: err instanceof Error ? err.name : typeof err, errorCode: typeof code === 'string' ? code : undefined },
      'could not write the audit row',
    );
  });
  let set = pending.get(db);
  if (!set) pending.set(db, (set = new Set()));
  const inFlight = set;
  inFlight.add(write);
  void write.finally(() => inFlight.delete(write));
  return write;
}

/** True once recordAudit ran for this request (e.g. an auth failure or access denial). */
export const hasAuditRecord = (request: FastifyRequest): boolean => recorded.has(request);

/** Resolves when every audit write started so far on this database has settled. */
export async function flushAudit(db: Database): Promise<void> {
  const set = pending.get(db);
  while (set && set.size > 0) await Promise.all([...set]);
}
