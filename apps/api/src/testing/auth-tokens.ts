import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Role } from '../auth/principal.js';

/** The JWT settings of auth tests: what tokens minted here carry and what the test api expects. */
export const TEST_JWT = {
  secret: 'test-secret-of-at-least-32-characters-0123456789',
  issuer: 'https://issuer.test.example',
  audience: 'harmonizer-test',
} as const;

/** Environment for createTestApp: AUTH_MODE=required with the HS256 secret (plus `extra`). */
export function authEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_MODE: 'required',
    JWT_SECRET: TEST_JWT.secret,
    JWT_ISSUER: TEST_JWT.issuer,
    JWT_AUDIENCE: TEST_JWT.audience,
    ...extra,
  };
}

export interface MintOptions {
  /** HS256 (default, with TEST_JWT.secret), RS256 or ES256 with `key`. */
  algorithm?: 'HS256' | 'RS256' | 'ES256' | 'none';
  /** The signing key: a private KeyObject for RS256/ES256, a secret string for HS256. */
  key?: KeyObject | string;
  kid?: string;
  /** Seconds from now; default 300. null: no exp claim at all. */
  expiresIn?: number | null;
  /** Seconds from now the token becomes valid (nbf); none by default. */
  notBefore?: number;
  issuer?: string;
  audience?: string;
}

/** Claims minted into a token: tenant, roles and sub by default names (JWT_TENANT_CLAIM / JWT_ROLES_CLAIM). */
export type TestClaims = Record<string, unknown>;

/** A signed JWT with `claims`, the test issuer and audience, expiring in 5 minutes unless told otherwise. */
export function mintToken(claims: TestClaims, options: MintOptions = {}): string {
  const algorithm = options.algorithm ?? 'HS256';
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: options.issuer ?? TEST_JWT.issuer,
    aud: options.audience ?? TEST_JWT.audience,
    iat: now,
    ...(options.expiresIn === null ? {} : { exp: now + (options.expiresIn ?? 300) }),
    ...(options.notBefore === undefined ? {} : { nbf: now + options.notBefore }),
    ...claims,
  };
  if (algorithm === 'none') {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
  }
  const key = options.key ?? TEST_JWT.secret;
  return jwt.sign(payload, key, { algorithm, ...(options.kid === undefined ? {} : { keyid: options.kid }) });
}

/** An HS256 token of `tenant` with `roles` (an array claim, or a space-separated string) for subject `sub`. */
export const tokenFor = (tenant: string, roles: readonly (Role | (string & {}))[] | string, sub = `user-of-${tenant}`, options: MintOptions = {}) =>
  mintToken({ tenant, roles, sub }, options);

/** Headers carrying a bearer token (or api key). */
export const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as PEM, written for JWT_PUBLIC_KEY_FILE. */
  publicKeyFile: string;
  kid: string;
}

export interface TestKeys {
  rsa: TestKeyPair;
  ec: TestKeyPair;
  /** A JWKS document with both public keys, by kid (for JWT_JWKS_FILE). */
  jwksFile: string;
}

/** A fresh RSA 2048 and EC P-256 key pair, their PEM public keys and a JWKS of both, written under `dir`. */
export async function createTestKeys(dir: string): Promise<TestKeys> {
  const pair = async (name: 'rsa' | 'ec'): Promise<TestKeyPair> => {
    const { privateKey, publicKey } =
      name === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKeyFile = path.join(dir, `${name}-public.pem`);
    await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
    return { privateKey, publicKey, publicKeyFile, kid: `${name}-key-1` };
  };
  const rsa = await pair('rsa');
  const ec = await pair('ec');
  const jwksFile = path.join(dir, 'jwks.json');
  const keys = [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: rsa.kid, alg: 'RS256', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: ec.kid, alg: 'ES256', use: 'sig' },
  ];
  await writeFile(jwksFile, JSON.stringify({ keys }));
  return { rsa, ec, jwksFile };
}
