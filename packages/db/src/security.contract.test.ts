import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_TARGETS, type DbTarget } from './db-targets.test-support.js';
import { ISO_MS } from './job-fixtures.test-support.js';
import { InvalidCursorError, type AuditEntry, type Database, type NewApiKey } from './types.js';

const hash = (c: string) => c.repeat(64);
const key = (over: Partial<NewApiKey> = {}): NewApiKey => ({
  id: 'key_0123456789abcdef',
  name: 'ci pipeline',
  prefix: 'hzk_AbCdEfGh',
  keyHash: hash('a'),
  roles: ['submitter', 'viewer'],
  createdBy: 'alice',
  ...over,
});

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  tenantId: 'tenant-a',
  actor: 'alice',
  actorKind: 'user',
  action: 'job.create',
  target: 'job-1',
  outcome: 201,
  ip: '203.0.113.7',
  requestId: 'req-1',
  data: { dataset: 'patients' },
  ...over,
});

describe.each(DB_TARGETS)('api keys on $name', (kind) => {
  let target: DbTarget;
  let db: Database;

  beforeEach(async () => {
    target = await kind.prepare();
    db = await target.open();
  });
  afterEach(() => target.cleanup());

  it('creates a key and finds it by its hash, with every field', async () => {
    const created = await db.forTenant('tenant-a').apiKeys.create(key());
    expect(created).toEqual({
      id: 'key_0123456789abcdef',
      tenantId: 'tenant-a',
      name: 'ci pipeline',
      prefix: 'hzk_AbCdEfGh',
      roles: ['submitter', 'viewer'],
      createdBy: 'alice',
      createdAt: expect.stringMatching(ISO_MS),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created).not.toHaveProperty('keyHash');
    expect(await db.apiKeys.findByHash(hash('a'))).toEqual(created);
    expect(await db.apiKeys.findByHash(hash('b'))).toBeNull();
    expect(await db.forTenant('tenant-a').apiKeys.get(created.id)).toEqual(created);
  });

  it('refuses a second key with the same hash', async () => {
    await db.forTenant('tenant-a').apiKeys.create(key());
    await expect(db.forTenant('tenant-b').apiKeys.create(key({ id: 'key_other' }))).rejects.toThrow();
    expect((await db.apiKeys.findByHash(hash('a')))?.tenantId).toBe('tenant-a');
  });

  it('records when a key was last used', async () => {
    await db.forTenant('tenant-a').apiKeys.create(key());
    const at = '2026-11-22T01:02:03.456Z';
    await db.apiKeys.touch('key_0123456789abcdef', at);
    expect((await db.apiKeys.findByHash(hash('a')))?.lastUsedAt).toBe(at);
    await db.apiKeys.touch('key_missing', at); // nothing to do, no error
  });

  it('lists a tenant its own keys, newest first', async () => {
    const a = db.forTenant('tenant-a');
    await a.apiKeys.create(key({ id: 'key_1', keyHash: hash('1') }));
    await sleep(5);
    await a.apiKeys.create(key({ id: 'key_2', keyHash: hash('2') }));
    await db.forTenant('tenant-b').apiKeys.create(key({ id: 'key_3', keyHash: hash('3') }));
    expect((await a.apiKeys.list()).map((k) => k.id)).toEqual(['key_2', 'key_1']);
    expect((await db.forTenant('tenant-b').apiKeys.list()).map((k) => k.id)).toEqual(['key_3']);
    expect(await db.forTenant('tenant-c').apiKeys.list()).toEqual([]);
  });

  it('revokes once, keeping the first time; a revoked key is still found by its hash', async () => {
    const a = db.forTenant('tenant-a');
    await a.apiKeys.create(key());
    const revoked = await a.apiKeys.revoke('key_0123456789abcdef');
    expect(revoked?.revokedAt).toMatch(ISO_MS);
    await sleep(5);
    expect((await a.apiKeys.revoke('key_0123456789abcdef'))?.revokedAt).toBe(revoked?.revokedAt);
    expect(await db.apiKeys.findByHash(hash('a'))).toEqual(revoked);
    expect(await a.apiKeys.revoke('key_missing')).toBeNull();
  });

  it("does not show or revoke another tenant's key", async () => {
    await db.forTenant('tenant-a').apiKeys.create(key());
    const b = db.forTenant('tenant-b');
    expect(await b.apiKeys.get('key_0123456789abcdef')).toBeNull();
    expect(await b.apiKeys.revoke('key_0123456789abcdef')).toBeNull();
    expect((await db.apiKeys.findByHash(hash('a')))?.revokedAt).toBeNull();
  });
});

describe.each(DB_TARGETS)('audit log on $name', (kind) => {
  let target: DbTarget;
  let db: Database;

  beforeEach(async () => {
    target = await kind.prepare();
    db = await target.open();
  });
  afterEach(() => target.cleanup());

  it('appends entries and reads them back with every field', async () => {
    await db.audit.append(entry());
    await db.audit.append(entry({ actor: null, actorKind: null, target: null, ip: null, requestId: null, data: undefined, outcome: 401, action: 'auth.failure' }));
    const { items, nextCursor } = await db.forTenant('tenant-a').audit.list({ limit: 10 });
    expect(nextCursor).toBeNull();
    expect(items).toEqual([
      {
        ...entry({ actor: null, actorKind: null, target: null, ip: null, requestId: null, outcome: 401, action: 'auth.failure' }),
        data: null,
        id: expect.any(Number),
        at: expect.stringMatching(ISO_MS),
      },
      { ...entry(), id: expect.any(Number), at: expect.stringMatching(ISO_MS) },
    ]);
    expect(items[0]!.id).toBeGreaterThan(items[1]!.id);
  });

  it('pages newest first with no gaps or duplicates, and filters by action', async () => {
    for (let i = 0; i < 7; i++) {
      await db.audit.append(entry({ target: `job-${i}`, action: i % 2 === 0 ? 'job.create' : 'job.download' }));
    }
    const audit = db.forTenant('tenant-a').audit;
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await audit.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.target!));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['job-6', 'job-5', 'job-4', 'job-3', 'job-2', 'job-1', 'job-0']);

    const first = await audit.list({ limit: 2, action: 'job.download' });
    expect(first.items.map((r) => r.target)).toEqual(['job-5', 'job-3']);
    const second = await audit.list({ limit: 2, action: 'job.download', cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ target: 'job-1' })], nextCursor: null });
  });

  it("shows a tenant only its own entries; ones with no tenant to none", async () => {
    await db.audit.append(entry());
    await db.audit.append(entry({ tenantId: 'tenant-b', target: 'job-b' }));
    await db.audit.append(entry({ tenantId: null, action: 'auth.failure', outcome: 401 }));
    expect((await db.forTenant('tenant-b').audit.list({ limit: 10 })).items.map((r) => r.target)).toEqual(['job-b']);
    expect((await db.forTenant('tenant-a').audit.list({ limit: 10 })).items).toHaveLength(1);
    expect((await db.forTenant('tenant-c').audit.list({ limit: 10 })).items).toEqual([]);
  });

  it('rejects a cursor it did not issue and a limit below one', async () => {
    const audit = db.forTenant('tenant-a').audit;
    for (const cursor of ['garbage', Buffer.from('["audit",-1]').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      await expect(audit.list({ limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    await expect(audit.list({ limit: 0 })).rejects.toThrow(RangeError);
  });
});
