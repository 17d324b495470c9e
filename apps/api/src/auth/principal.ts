/** Roles, highest first: each one includes every role after it (admin ⊇ submitter ⊇ viewer). */
export const ROLES = ['admin', 'submitter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who a request acts for: a user (JWT), an api key, or everyone when AUTH_MODE=none. */
export interface Principal {
  tenantId: string;
  /** The token's `sub`, the key id for api keys, 'local' with AUTH_MODE=none. */
  subject: string;
  kind: 'user' | 'api_key' | 'local';
  keyId: string | null;
  roles: Role[];
}

/** What a route asks of the caller: nothing ('public') or at least one role. */
export type RouteAccess = 'public' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares it; the auth hook enforces it (a route without it is refused to everyone). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set by the auth hook; null only on public routes (and unknown ones). */
    principal: Principal | null;
  }
}

const RANK: Record<Role, number> = { admin: 3, submitter: 2, viewer: 1 };

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** True when one of `roles` is `needed` or above it. */
export const hasRole = (roles: readonly Role[], needed: Role): boolean => roles.some((role) => RANK[role] >= RANK[needed]);

/** The known roles in a claim or a stored list (unknown ones dropped, each once, highest first). */
export function knownRoles(values: readonly unknown[]): Role[] {
  return ROLES.filter((role) => values.includes(role));
}

/** The principal of AUTH_MODE=none: one tenant, and every request acts as its admin. */
export const localPrincipal = (tenantId: string): Principal => ({
  tenantId,
  subject: 'local',
  kind: 'local',
  keyId: null,
  roles: ['admin'],
});
