import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { loadApiConfig, type JwtConfig } from '@harmonizer/config';
import { authEnv, mintToken, TEST_JWT } from '../testing/auth-tokens.js';
import { AuthFailure } from './auth-failure.js';
import { createJwtVerifier } from './jwt-verifier.js';

// The verifier keeps each verified token until exp + tolerance: these tests check that the cache
// never answers differently from a full verification (expiry, nbf, refusals, tampering).

function hsConfig(extra: Record<string, string> = {}): JwtConfig {
  const config = loadApiConfig({ ...authEnv(), ...extra });
  if (config.auth.mode !== 'required' || config.auth.jwt === null) throw new Error('expected JWT settings');
  return config.auth.jwt;
}

function reason(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof AuthFailure) return err.reason;
    throw err;
  }
  return 'accepted';
}

const CLAIMS = { tenant: 'clinic-1', roles: ['viewer'], sub: 'user-1' };

/** A clock the test moves; starts at the real time, since tokens are minted against it. */
function testClock() {
  let at = Date.now();
  return { now: () => at, set: (ms: number) => (at = ms) };
}

describe('JWT verification cache', () => {
  it('answers a token again until exp + tolerance, and refuses it from that instant on', () => {
    const clock = testClock();
    const verifier = createJwtVerifier(hsConfig({ JWT_CLOCK_TOLERANCE_S: '5' }), clock.now);
    const token = mintToken(CLAIMS, { expiresIn: 60 });
    const exp = (jwt.decode(token) as { exp: number }).exp;

    const first = verifier.verify(token);
    expect(first).toEqual({ tenantId: 'clinic-1', subject: 'user-1', kind: 'user', keyId: null, roles: ['viewer'] });
    expect(verifier.verify(token)).toEqual(first);

    clock.set((exp + 5) * 1000 - 1); // the last millisecond jsonwebtoken accepts
    expect(verifier.verify(token).tenantId).toBe('clinic-1');
    clock.set((exp + 5) * 1000);
    expect(reason(() => verifier.verify(token))).toBe('expired');
    // Still refused later: the stale entry is gone and a full verification refuses it.
    clock.set((exp + 100) * 1000);
    expect(reason(() => verifier.verify(token))).toBe('expired');
  });

  it('never keeps a refused token: one not valid yet is accepted only once its nbf is reached', () => {
    const clock = testClock();
    const verifier = createJwtVerifier(hsConfig({ JWT_CLOCK_TOLERANCE_S: '0' }), clock.now);
    const token = mintToken(CLAIMS, { notBefore: 120, expiresIn: 600 });
    const nbf = (jwt.decode(token) as { nbf: number }).nbf;

    expect(reason(() => verifier.verify(token))).toBe('not_yet_valid');
    expect(reason(() => verifier.verify(token))).toBe('not_yet_valid');
    clock.set(nbf * 1000);
    expect(verifier.verify(token).subject).toBe('user-1');
    expect(verifier.verify(token).subject).toBe('user-1');
  });

  it('refuses tokens that differ from a cached one in any byte (tampered payload or signature)', () => {
    const verifier = createJwtVerifier(hsConfig());
    const token = mintToken(CLAIMS);
    expect(verifier.verify(token).roles).toEqual(['viewer']);

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...(jwt.decode(token) as object), roles: ['admin'] })).toString('base64url');
    expect(reason(() => verifier.verify(`${header}.${forged}.${signature}`))).toBe('bad_signature');
    const otherSignature = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(reason(() => verifier.verify(`${header}.${payload}.${otherSignature}`))).toBe('bad_signature');
    expect(reason(() => verifier.verify(mintToken(CLAIMS, { key: 'another-secret-of-at-least-32-characters!!' })))).toBe('bad_signature');
    expect(verifier.verify(token).roles).toEqual(['viewer']);
  });

  it('keeps tokens per verifier: another configuration verifies them itself', () => {
    const token = mintToken(CLAIMS);
    expect(createJwtVerifier(hsConfig()).verify(token).tenantId).toBe('clinic-1');
    const otherAudience = createJwtVerifier(hsConfig({ JWT_AUDIENCE: `${TEST_JWT.audience}-other` }));
    expect(reason(() => otherAudience.verify(token))).toBe('wrong_audience');
  });

  it('hands out a principal nobody can change for the next request', () => {
    const verifier = createJwtVerifier(hsConfig());
    const token = mintToken(CLAIMS);
    const principal = verifier.verify(token);
    expect(() => {
      (principal as { tenantId: string }).tenantId = 'clinic-2';
    }).toThrow(TypeError);
    expect(() => (principal.roles as string[]).push('admin')).toThrow(TypeError);
    expect(verifier.verify(token)).toMatchObject({ tenantId: 'clinic-1', roles: ['viewer'] });
  });
});
