import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '@harmonizer/db';
import { flushAudit, hasAuditRecord, recordAudit } from '../audit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit action of this route (e.g. 'job.create'); every answer to it writes one audit row. */
    audit?: string;
  }
  interface FastifyRequest {
    /** Set by a handler to refine its route's `config.audit` (DELETE /jobs: 'job.cancel' vs 'job.delete'). */
    auditAction: string | null;
    /** Set by a handler when the target is not the `id`/`name` path parameter or the Location header. */
    auditTarget: string | null;
  }
}

/** The error code of a refused answer, for the audit row (codes only, never the message). */
function errorCodeOf(payload: unknown): string | null {
  if (typeof payload !== 'string' || payload.length > 4096) return null;
  try {
    const code = (JSON.parse(payload) as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === 'string' && /^[a-z0-9_]{1,64}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

/** What the request acted on: set by the handler, else the path's id/name, else a created resource's Location. */
function targetOf(request: FastifyRequest, reply: FastifyReply): string | null {
  if (request.auditTarget !== null) return request.auditTarget;
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const key of ['id', 'name']) {
    const value = params[key];
    if (typeof value === 'string' && value.length > 0) return value.slice(0, 200);
  }
  const location = reply.getHeader('location');
  if (typeof location === 'string' && reply.statusCode < 300) {
    const last = location.split('?')[0]?.split('/').pop();
    if (last) return last.slice(0, 200);
  }
  return null;
}

/**
 * Writes an audit row for every answer to a route whose `config.audit` names an action,
 * refused answers included (outcome = the status, data.error = the error code). A request that
 * already has a row (an auth failure or access denial recorded by the auth hook) gets no second one.
 */
export const auditPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.decorateRequest('auditAction', null);
    app.decorateRequest('auditTarget', null);

    // Written as the answer is sent, not after: the row is on its way before the client can send
    // its next request, so the log's order follows cause and effect.
    app.addHook('onSend', async (request, reply, payload) => {
      const action = request.auditAction ?? request.routeOptions.config.audit;
      if (!action || hasAuditRecord(request)) return payload;
      const error = reply.statusCode >= 400 ? errorCodeOf(payload) : null;
      void recordAudit(db, request, {
        action,
        target: targetOf(request, reply),
        outcome: reply.statusCode,
        data: error ? { error } : null,
      });
      return payload;
    });

    // Rows of the last requests are written before the database closes.
    app.addHook('onClose', async () => {
      await flushAudit(db);
    });
  },
  { name: 'harmonizer-audit' },
);
