import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiConfig, type JwtConfig } from '@harmonizer/config';
import { generateApiKey, hashApiKey } from '../auth/api-key-secret.js';
import { AuthFailure, AuthSetupError } from '../auth/auth-failure.js';
import { createJwtVerifier } from '../auth/jwt-verifier.js';
import { authEnv, bearer, createTestKeys, mintToken, TEST_JWT, tokenFor, type TestKeys } from '../testing/auth-tokens.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

let dir: string;
let keys: TestKeys;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'harmonizer-auth-'));
  keys = await createTestKeys(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The JWT settings the api would run with under `env` (on top of the test issuer and audience). */
function jwtConfig(env: Record<string, string>): JwtConfig {
  const { JWT_SECRET: _secret, ...base } = authEnv();
  const config = loadApiConfig({ ...base, ...env });
  if (config.auth.mode !== 'required' || config.auth.jwt === null) throw new Error('expected JWT settings');
  return config.auth.jwt;
}
const hsConfig = (extra: Record<string, string> = {}) => jwtConfig({ JWT_SECRET: TEST_JWT.secret, ...extra });

/** The AuthFailure a verification throws (fails the test when it does not throw one). */
function failure(run: () => unknown): AuthFailure {
  try {
    run();
  } catch (err) {
    if (err instanceof AuthFailure) return err;
    throw err;
  }
  throw new Error('expected the token to be refused');
}

const CLAIMS = { tenant: 'clinic-1', roles: ['submitter'], sub: 'user-42' };

describe('createJwtVerifier with an HS256 secret', () => {
  const verifier = createJwtVerifier(hsConfig());

  it('accepts a good token and names its tenant, subject and known roles', () => {
    expect(verifier.verify(mintToken(CLAIMS))).toEqual({
      tenantId: 'clinic-1',
      subject: 'user-42',
      kind: 'user',
      keyId: null,
      roles: ['submitter'],
    });
  });

  it('reads roles from an array or a space-separated string, ignoring unknown ones', () => {
    expect(verifier.verify(mintToken({ ...CLAIMS, roles: 'viewer openid admin' })).roles).toEqual(['admin', 'viewer']);
    expect(verifier.verify(mintToken({ ...CLAIMS, roles: ['superuser', 'viewer', 7] })).roles).toEqual(['viewer']);
    // No known role: the token is valid (401 is for bad credentials), the routes answer 403.
    expect(verifier.verify(mintToken({ ...CLAIMS, roles: ['superuser'] })).roles).toEqual([]);
    expect(verifier.verify(mintToken({ tenant: 'clinic-1', sub: 'u' })).roles).toEqual([]);
  });

  it('refuses an expired token, past the clock tolerance only', () => {
    const expired = failure(() => verifier.verify(mintToken(CLAIMS, { expiresIn: -120 })));
    expect(expired).toMatchObject({ statusCode: 401, code: 'unauthorized', reason: 'expired' });
    expect(expired.message).toMatch(/^the token expired at \d{4}-/);
    // 10 s late is within the default 30 s tolerance.
    expect(verifier.verify(mintToken(CLAIMS, { expiresIn: -10 })).tenantId).toBe('clinic-1');
    const strict = createJwtVerifier(hsConfig({ JWT_CLOCK_TOLERANCE_S: '0' }));
    expect(failure(() => strict.verify(mintToken(CLAIMS, { expiresIn: -10 }))).reason).toBe('expired');
  });

  it('refuses a token that is not valid yet (nbf), and one without exp', () => {
    const early = failure(() => verifier.verify(mintToken(CLAIMS, { notBefore: 600 })));
    expect(early.reason).toBe('not_yet_valid');
    expect(early.message).toMatch(/not valid before/);
    expect(verifier.verify(mintToken(CLAIMS, { notBefore: 5 })).tenantId).toBe('clinic-1');
    expect(failure(() => verifier.verify(mintToken(CLAIMS, { expiresIn: null }))).message).toMatch(/no expiry \(exp\)/);
  });

  it('refuses a bad signature, a wrong issuer and a wrong audience', () => {
    const forged = mintToken(CLAIMS, { key: 'another-secret-of-at-least-32-characters!!' });
    expect(failure(() => verifier.verify(forged))).toMatchObject({ reason: 'bad_signature', message: 'the token signature is not valid' });
    // A payload changed after signing (tenant swapped) fails the signature too.
    const [header, , signature] = mintToken(CLAIMS).split('.');
    const swapped = Buffer.from(JSON.stringify({ ...CLAIMS, tenant: 'clinic-2', exp: 4102444800 })).toString('base64url');
    expect(failure(() => verifier.verify(`${header}.${swapped}.${signature}`)).reason).toBe('bad_signature');

    const issuer = failure(() => verifier.verify(mintToken(CLAIMS, { issuer: 'https://evil.example' })));
    expect(issuer).toMatchObject({ reason: 'wrong_issuer', message: `the token's issuer (iss) is not ${TEST_JWT.issuer}` });
    const audience = failure(() => verifier.verify(mintToken(CLAIMS, { audience: 'another-api' })));
    expect(audience).toMatchObject({ reason: 'wrong_audience' });
  });

  it('refuses algorithms it was not told to accept: none, and RS256/ES256 without a key', () => {
    expect(failure(() => verifier.verify(mintToken(CLAIMS, { algorithm: 'none' })))).toMatchObject({
      reason: 'bad_algorithm',
      message: 'the token is signed with an algorithm this service does not accept (it accepts HS256)',
    });
    expect(failure(() => verifier.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey }))).reason).toBe('bad_algorithm');
  });

  it('refuses a missing or invalid tenant, and a missing subject', () => {
    expect(failure(() => verifier.verify(mintToken({ roles: ['admin'], sub: 'u' }))).message).toBe('the token has no "tenant" claim naming its tenant');
    for (const tenant of ['../etc', 'a b', '', 'x'.repeat(65), 42]) {
      const f = failure(() => verifier.verify(mintToken({ ...CLAIMS, tenant })));
      expect(f.reason).toMatch(/^(invalid_tenant|missing_claim)$/);
    }
    expect(failure(() => verifier.verify(mintToken({ tenant: 'clinic-1', roles: ['admin'] }))).message).toBe('the token has no subject (sub)');
  });

  it('reads the tenant and roles from the claims configured', () => {
    const custom = createJwtVerifier(hsConfig({ JWT_TENANT_CLAIM: 'org', JWT_ROLES_CLAIM: 'scope' }));
    expect(custom.verify(mintToken({ org: 'clinic-9', scope: 'viewer', sub: 's' }))).toMatchObject({ tenantId: 'clinic-9', roles: ['viewer'] });
    expect(failure(() => custom.verify(mintToken(CLAIMS))).reason).toBe('missing_claim');
  });

  it('refuses what is not a JWT, without repeating it', () => {
    for (const token of ['abc', 'a.b.c', 'e30.e30.', `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.bm90IGpzb24.sig`]) {
      const f = failure(() => verifier.verify(token));
      expect(f.statusCode).toBe(401);
      expect(f.message).not.toContain(token);
    }
  });
});

describe('createJwtVerifier with public keys', () => {
  it('verifies RS256 and ES256 with a PEM key, and refuses a token signed by another key', () => {
    const rsa = createJwtVerifier(jwtConfig({ JWT_PUBLIC_KEY_FILE: keys.rsa.publicKeyFile, JWT_ALGORITHMS: 'RS256' }));
    expect(rsa.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey })).tenantId).toBe('clinic-1');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(failure(() => rsa.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: other }))).reason).toBe('bad_signature');
    expect(failure(() => rsa.verify(mintToken(CLAIMS, { algorithm: 'ES256', key: keys.ec.privateKey }))).reason).toBe('bad_algorithm');

    const ec = createJwtVerifier(jwtConfig({ JWT_PUBLIC_KEY_FILE: keys.ec.publicKeyFile }));
    expect(ec.verify(mintToken(CLAIMS, { algorithm: 'ES256', key: keys.ec.privateKey })).subject).toBe('user-42');
  });

  it('never takes the public key as an HS256 secret (algorithm confusion)', async () => {
    const verifier = createJwtVerifier(jwtConfig({ JWT_PUBLIC_KEY_FILE: keys.rsa.publicKeyFile }));
    const pem = keys.rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const confused = mintToken(CLAIMS, { algorithm: 'HS256', key: pem });
    expect(failure(() => verifier.verify(confused)).reason).toBe('bad_algorithm');
    // Even with HS256 allowed (a secret as well), such a token is checked against the secret only.
    const both = createJwtVerifier(jwtConfig({ JWT_SECRET: TEST_JWT.secret, JWT_PUBLIC_KEY_FILE: keys.rsa.publicKeyFile }));
    expect(failure(() => both.verify(confused)).reason).toBe('bad_signature');
    expect(both.verify(mintToken(CLAIMS)).tenantId).toBe('clinic-1');
    expect(both.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey })).tenantId).toBe('clinic-1');
  });

  it('picks the JWKS key by kid, and refuses an unknown or missing kid', () => {
    const verifier = createJwtVerifier(jwtConfig({ JWT_JWKS_FILE: keys.jwksFile }));
    expect(verifier.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey, kid: keys.rsa.kid })).tenantId).toBe('clinic-1');
    expect(verifier.verify(mintToken(CLAIMS, { algorithm: 'ES256', key: keys.ec.privateKey, kid: keys.ec.kid })).tenantId).toBe('clinic-1');

    const unknown = failure(() => verifier.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey, kid: 'rotated-away' })));
    expect(unknown).toMatchObject({ reason: 'unknown_kid', message: 'the token is signed with a key (kid) this service does not know' });
    expect(failure(() => verifier.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey }))).reason).toBe('unknown_kid');
    // The right kid, the wrong key: the signature fails. The kid of the EC key with RS256: refused.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(failure(() => verifier.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: other, kid: keys.rsa.kid }))).reason).toBe('bad_signature');
    expect(failure(() => verifier.verify(mintToken(CLAIMS, { algorithm: 'RS256', key: keys.rsa.privateKey, kid: keys.ec.kid }))).reason).toBe('bad_algorithm');
  });

  it('stops at start with a message naming the setting and the file when a key file is unusable', async () => {
    const missing = path.join(dir, 'nope.pem');
    const setupError = (env: Record<string, string>) => {
      try {
        createJwtVerifier(jwtConfig(env));
      } catch (err) {
        if (err instanceof AuthSetupError) return err.message;
        throw err;
      }
      throw new Error('expected an AuthSetupError');
    };
    expect(setupError({ JWT_PUBLIC_KEY_FILE: missing })).toBe(`JWT_PUBLIC_KEY_FILE: cannot read ${missing} (ENOENT)`);
    const garbage = path.join(dir, 'garbage.pem');
    await writeFile(garbage, 'not a key');
    expect(setupError({ JWT_PUBLIC_KEY_FILE: garbage })).toMatch(/^JWT_PUBLIC_KEY_FILE: .*garbage\.pem holds no PEM public key/);
    expect(setupError({ JWT_JWKS_FILE: garbage })).toMatch(/^JWT_JWKS_FILE: .*garbage\.pem is not JSON$/);
    const empty = path.join(dir, 'empty-jwks.json');
    await writeFile(empty, '{"keys":[]}');
    expect(setupError({ JWT_JWKS_FILE: empty })).toMatch(/is not a JWKS document/);
    const noKid = path.join(dir, 'no-kid.json');
    await writeFile(noKid, JSON.stringify({ keys: [keys.rsa.publicKey.export({ format: 'jwk' })] }));
    expect(setupError({ JWT_JWKS_FILE: noKid })).toMatch(/key 1 in .* has no kid/);

    // The api itself does not build (main.ts prints the message and exits 1).
    await expect(createTestApp({ env: authEnv({ JWT_PUBLIC_KEY_FILE: missing }) })).rejects.toBeInstanceOf(AuthSetupError);
  });
});

describe('credentials on the api', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: authEnv() });
  });
  afterAll(async () => {
    await t?.close();
  });
  const listJobs = (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers });
  const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;

  it('answers 401 unauthorized with a Bearer challenge when credentials are missing or malformed', async () => {
    const none = await listJobs();
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="harmonizer"');
    expect(errorOf(none)).toEqual({
      code: 'unauthorized',
      message: 'missing credentials: send Authorization: Bearer <token> or X-API-Key: <api key>',
    });
    expect(t.specProblems('get', '/api/v1/jobs', none)).toEqual([]);

    const basic = await listJobs({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toBe('Bearer realm="harmonizer", error="invalid_token"');
    expect(errorOf(basic).message).toBe('the Authorization header must be "Bearer <token>"');
  });

  it('says what is wrong with a token and never repeats it', async () => {
    const expired = tokenFor('clinic-1', ['admin'], 'u', { expiresIn: -3600 });
    const res = await listJobs(bearer(expired));
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).message).toMatch(/^the token expired at /);
    expect(res.body).not.toContain(expired);
    expect(res.body).not.toContain(expired.split('.')[1]);

    const forged = tokenFor('clinic-1', ['admin'], 'u', { key: 'x'.repeat(40) });
    const bad = await listJobs(bearer(forged));
    expect(errorOf(bad)).toEqual({ code: 'unauthorized', message: 'the token signature is not valid' });
    expect(bad.body).not.toContain(forged.split('.')[2]);
  });

  it('lets a good token through as its tenant and roles', async () => {
    const res = await listJobs(bearer(tokenFor('clinic-1', ['viewer'])));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], next_cursor: null });
  });

  it('answers public routes and unknown routes without credentials', async () => {
    for (const url of ['/health', '/version', '/metrics', '/api/v1/metrics', '/docs/json']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('route_not_found');
  });

  describe('api keys', () => {
    async function storeKey(tenant: string, roles: string[]) {
      const key = generateApiKey();
      const id = `key_${key.hash.slice(0, 16)}`;
      await t.db.forTenant(tenant).apiKeys.create({ id, name: 'test key', prefix: key.prefix, keyHash: hashApiKey(key.secret), roles, createdBy: 'test' });
      return { id, secret: key.secret };
    }

    it('makes keys of the documented shape, stored only as their sha256', () => {
      const key = generateApiKey();
      expect(key.secret).toMatch(/^hzk_[A-Za-z0-9_-]{43}$/);
      expect(key.prefix).toBe(key.secret.slice(0, 12));
      expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(key.hash).toBe(hashApiKey(key.secret));
      expect(generateApiKey().secret).not.toBe(key.secret);
    });

    it('accepts a key as X-API-Key or as a Bearer credential, acting for its tenant and roles', async () => {
      const { id, secret } = await storeKey('clinic-7', ['viewer']);
      await t.db.forTenant('clinic-8').jobs.create({
        id: '00000000-0000-4000-8000-000000000001',
        dataset: null,
        fileName: 'other.csv',
        contentType: 'text/csv',
        sizeBytes: 1,
        sha256: 'a'.repeat(64),
        storageKey: 'uploads/x/input',
        options: {},
        idempotencyKey: null,
      });
      for (const headers of [{ 'x-api-key': secret }, bearer(secret)]) {
        const res = await listJobs(headers);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ items: [], next_cursor: null }); // clinic-8's job is not clinic-7's
      }
      // viewer only: a submission is refused with 403.
      const submit = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: { 'x-api-key': secret } });
      expect(submit.statusCode).toBe(403);
      expect(errorOf(submit)).toEqual({ code: 'forbidden', message: 'this needs the submitter role (or admin); the credential has viewer' });
      expect((await t.db.forTenant('clinic-7').apiKeys.get(id))?.lastUsedAt).not.toBeNull();
    });

    it('writes last_used_at at most once a minute per key', async () => {
      const { id, secret } = await storeKey('clinic-7', ['admin']);
      expect((await listJobs({ 'x-api-key': secret })).statusCode).toBe(200);
      const first = (await t.db.forTenant('clinic-7').apiKeys.get(id))?.lastUsedAt;
      expect(first).toEqual(expect.any(String));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await listJobs({ 'x-api-key': secret })).statusCode).toBe(200);
      expect((await t.db.forTenant('clinic-7').apiKeys.get(id))?.lastUsedAt).toBe(first);
    });

    it('refuses unknown, malformed and revoked keys with 401', async () => {
      const unknown = await listJobs({ 'x-api-key': generateApiKey().secret });
      expect(unknown.statusCode).toBe(401);
      expect(errorOf(unknown).message).toBe('the api key is not valid');
      const malformed = await listJobs(bearer('hzk_short'));
      expect(errorOf(malformed)).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/not well-formed/) });

      const { id, secret } = await storeKey('clinic-7', ['admin']);
      await t.db.forTenant('clinic-7').apiKeys.revoke(id);
      const revoked = await listJobs({ 'x-api-key': secret });
      expect(revoked.statusCode).toBe(401);
      expect(revoked.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(errorOf(revoked).message).toMatch(new RegExp(`^the api key ${id} was revoked at `));
      expect(revoked.body).not.toContain(secret);
    });

    it('refuses two credentials at once', async () => {
      const { secret } = await storeKey('clinic-7', ['admin']);
      const res = await listJobs({ 'x-api-key': secret, ...bearer(tokenFor('clinic-1', ['admin'])) });
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).message).toMatch(/send one credential/);
    });
  });
});

describe('AUTH_MODE=none', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_NONE_TENANT: 'my-lab' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('acts as the admin of the one configured tenant, with no credentials', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/mappings', payload: { name: 'lab-map', dataset: 'patients', columns: { 'Pt Ident': 'patient_id' } } });
    expect(res.statusCode).toBe(201);
    expect(await t.db.forTenant('my-lab').mappings.get('lab-map')).not.toBeNull();
    expect(await t.db.forTenant('local').mappings.get('lab-map')).toBeNull();
    // Credentials are not looked at: even a bad token acts as the local admin.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/mappings', headers: bearer('garbage') })).statusCode).toBe(200);
  });
});
