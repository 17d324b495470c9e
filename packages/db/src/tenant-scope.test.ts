import { describe, expect, it } from 'vitest';
import { tenantScopes, type TenantParts } from './tenant-scope.js';

/** Parts that only say which build made them. */
function counting() {
  const built: string[] = [];
  const build = (tenantId: string) => {
    built.push(tenantId);
    return { jobs: { create: async (job: unknown) => job }, mappings: {}, apiKeys: {}, audit: {} } as unknown as TenantParts;
  };
  return { built, build };
}

describe('tenantScopes', () => {
  it('builds a tenant\'s scope once and hands the same one out again', () => {
    const { built, build } = counting();
    const forTenant = tenantScopes(build);
    const a = forTenant('tenant-a');
    expect(forTenant('tenant-a')).toBe(a);
    expect(forTenant('tenant-b')).not.toBe(a);
    expect(built).toEqual(['tenant-a', 'tenant-b']);
    expect(a.tenantId).toBe('tenant-a');
  });

  it('keeps at most `cached` scopes, dropping the least recently used', () => {
    const { built, build } = counting();
    const forTenant = tenantScopes(build, 2);
    const a = forTenant('a1');
    forTenant('b1');
    expect(forTenant('a1')).toBe(a); // a1 is now the most recent
    forTenant('c1'); // drops b1
    expect(forTenant('a1')).toBe(a);
    forTenant('b1');
    expect(built).toEqual(['a1', 'b1', 'c1', 'b1']);
  });

  it('refuses a bad tenant id every time, and caches nothing for it', () => {
    const { built, build } = counting();
    const forTenant = tenantScopes(build);
    for (let i = 0; i < 2; i++) expect(() => forTenant("a' or '1'='1")).toThrow(/tenant/);
    expect(built).toEqual([]);
  });
});
