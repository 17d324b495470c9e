import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { TENANT_ID_PATTERN, type JwtAlgorithm, type JwtConfig } from '@harmonizer/config';
import { AuthFailure, AuthSetupError } from './auth-failure.js';
import { knownRoles, type Principal } from './principal.js';

/** Checks a bearer token and says whom it names; throws AuthFailure (401) otherwise. */
export interface JwtVerifier {
  verify(token: string): Principal;
}

interface KeySource {
  secret: KeyObject | null;
  /** JWT_PUBLIC_KEY_FILE: one key for every RS256/ES256 token. */
  publicKey: KeyObject | null;
  /** JWT_JWKS_FILE: keys by kid. */
  jwks: Map<string, { key: KeyObject; alg: string | null }> | null;
}

const describeFsError = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
};

function readKeyFile(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AuthSetupError(`${variable}: cannot read ${file} (${describeFsError(err)})`);
  }
}

function loadPublicKey(file: string): KeyObject {
  const pem = readKeyFile('JWT_PUBLIC_KEY_FILE', file);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AuthSetupError(`JWT_PUBLIC_KEY_FILE: ${file} holds no PEM public key (an RSA or EC "-----BEGIN PUBLIC KEY-----" block)`);
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new AuthSetupError(`JWT_PUBLIC_KEY_FILE: ${file} holds a ${key.asymmetricKeyType} key; RS256 needs an RSA key, ES256 a P-256 EC key`);
  }
  return key;
}

/** A JWKS document ({"keys": [...]}): RSA and EC public keys, each with a distinct kid. */
function loadJwks(file: string): Map<string, { key: KeyObject; alg: string | null }> {
  const text = readKeyFile('JWT_JWKS_FILE', file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AuthSetupError(`JWT_JWKS_FILE: ${file} is not JSON`);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new AuthSetupError(`JWT_JWKS_FILE: ${file} is not a JWKS document with keys ({"keys": [...]})`);
  }
  const byKid = new Map<string, { key: KeyObject; alg: string | null }>();
  keys.forEach((jwk: unknown, i) => {
    const entry = (jwk ?? {}) as Record<string, unknown>;
    const kid = entry.kid;
    if (typeof kid !== 'string' || kid === '') throw new AuthSetupError(`JWT_JWKS_FILE: key ${i + 1} in ${file} has no kid`);
    if (byKid.has(kid)) throw new AuthSetupError(`JWT_JWKS_FILE: kid "${kid}" appears twice in ${file}`);
    if (entry.kty !== 'RSA' && entry.kty !== 'EC') {
      throw new AuthSetupError(`JWT_JWKS_FILE: key "${kid}" in ${file} is of type ${String(entry.kty)}; only RSA and EC keys are used`);
    }
    if (entry.use !== undefined && entry.use !== 'sig') return; // an encryption key: never for signatures
    let key: KeyObject;
    try {
      key = createPublicKey({ key: entry as JsonWebKey, format: 'jwk' });
    } catch {
      throw new AuthSetupError(`JWT_JWKS_FILE: key "${kid}" in ${file} is not a valid ${entry.kty} key`);
    }
    byKid.set(kid, { key, alg: typeof entry.alg === 'string' ? entry.alg : null });
  });
  return byKid;
}

/** Reads every key source the configuration names, at once: a bad one throws AuthSetupError. */
function loadKeys(config: JwtConfig): KeySource {
  return {
    secret: config.secret === null ? null : createSecretKey(Buffer.from(config.secret, 'utf8')),
    publicKey: config.publicKeyFile === null ? null : loadPublicKey(config.publicKeyFile),
    jwks: config.jwksFile === null ? null : loadJwks(config.jwksFile),
  };
}

/** jsonwebtoken's errors, said in words that name the problem and never the token. */
function toAuthFailure(err: unknown, config: JwtConfig): AuthFailure {
  if (err instanceof jwt.TokenExpiredError) {
    return new AuthFailure('expired', `the token expired at ${err.expiredAt.toISOString()}`);
  }
  if (err instanceof jwt.NotBeforeError) {
    return new AuthFailure('not_yet_valid', `the token is not valid before ${err.date.toISOString()} (nbf)`);
  }
  const message = err instanceof Error ? err.message : '';
  if (message === 'invalid signature') return new AuthFailure('bad_signature', 'the token signature is not valid');
  if (message.startsWith('jwt audience invalid')) {
    return new AuthFailure('wrong_audience', `the token's audience (aud) is not ${config.audience}`);
  }
  if (message.startsWith('jwt issuer invalid')) {
    return new AuthFailure('wrong_issuer', `the token's issuer (iss) is not ${config.issuer}`);
  }
  if (message === 'invalid algorithm' || message.includes('"alg" parameter') || message.startsWith('secretOrPublicKey must be')) {
    return badAlgorithm(config);
  }
  return new AuthFailure('malformed_credentials', 'the bearer token is not a well-formed JWT');
}

const badAlgorithm = (config: JwtConfig) =>
  new AuthFailure('bad_algorithm', `the token is signed with an algorithm this service does not accept (it accepts ${config.algorithms.join(', ')})`);

function claimString(payload: jwt.JwtPayload, claim: string): string | null {
  const value: unknown = payload[claim];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A roles claim: an array of names, or one space-separated string (as OAuth scopes are). */
function rolesOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/\s+/).filter((v) => v !== '');
  return [];
}

/** Verified tokens kept per verifier; past this many, the least recently used go first. */
export const MAX_CACHED_TOKENS = 10_000;

/**
 * The JWT checks of AUTH_MODE=required. Keys are read once, here: an unreadable or unusable key
 * file throws AuthSetupError, and the api does not start. Each token must be signed with one of
 * config.algorithms by the matching key (HS256: the secret; RS256/ES256: the PEM key, or the
 * JWKS key its kid names), carry the configured iss and aud, an exp not past and an nbf (when
 * present) reached, within clockToleranceSec; a tenant claim that is a valid tenant id and a sub.
 *
 * A token is fully verified the first time it is seen; its principal is then kept, by the exact
 * token string, until the instant jsonwebtoken would call it expired (exp + clockToleranceSec),
 * so a client polling with one token pays for the signature check once. Nothing else can change
 * the outcome: the keys are fixed at start, and an nbf reached stays reached. Refused tokens are
 * never kept. `now` is for tests.
 */
export function createJwtVerifier(config: JwtConfig, now: () => number = Date.now): JwtVerifier {
  const keys = loadKeys(config);
  const accepted: readonly string[] = config.algorithms;
  /** token -> its principal and the ms timestamp from which the token is expired; Map order = recency. */
  const verified = new Map<string, { principal: Principal; expiredFromMs: number }>();

  function remember(token: string, principal: Principal, exp: number): Principal {
    const expiredFromMs = (exp + config.clockToleranceSec) * 1000;
    if (verified.size >= MAX_CACHED_TOKENS) verified.delete(verified.keys().next().value as string);
    const frozen = Object.freeze({ ...principal, roles: Object.freeze([...principal.roles]) as Principal['roles'] });
    verified.set(token, { principal: frozen, expiredFromMs });
    return frozen;
  }

  function keyFor(header: jwt.JwtHeader): KeyObject {
    const alg = header.alg as JwtAlgorithm;
    if (alg === 'HS256') {
      if (keys.secret) return keys.secret;
      throw badAlgorithm(config);
    }
    if (keys.publicKey) return keys.publicKey;
    if (keys.jwks) {
      if (typeof header.kid !== 'string' || header.kid === '') {
        throw new AuthFailure('unknown_kid', 'the token names no key id (kid); this service picks its key by kid');
      }
      const entry = keys.jwks.get(header.kid);
      if (!entry) throw new AuthFailure('unknown_kid', 'the token is signed with a key (kid) this service does not know');
      if (entry.alg !== null && entry.alg !== alg) throw badAlgorithm(config);
      return entry.key;
    }
    throw badAlgorithm(config);
  }

  /** Every check, on a token not seen before (or whose cached verification ran out). */
  function verifyFully(token: string): { principal: Principal; exp: number } {
    let decoded: jwt.Jwt | null;
    try {
      decoded = jwt.decode(token, { complete: true });
    } catch {
      decoded = null;
    }
    if (!decoded || typeof decoded.payload === 'string') {
      throw new AuthFailure('malformed_credentials', 'the bearer token is not a well-formed JWT');
    }
    // The allow-list is checked before any key is chosen: no "none", no HS256 with a public key.
    if (!accepted.includes(decoded.header.alg)) throw badAlgorithm(config);
    const key = keyFor(decoded.header);

    let payload: jwt.JwtPayload;
    try {
      const result = jwt.verify(token, key, {
        algorithms: config.algorithms,
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockToleranceSec,
        clockTimestamp: Math.floor(now() / 1000),
      });
      if (typeof result === 'string') throw new Error('jwt malformed');
      payload = result;
    } catch (err) {
      throw toAuthFailure(err, config);
    }
    if (typeof payload.exp !== 'number') throw new AuthFailure('missing_claim', 'the token has no expiry (exp); tokens must expire');

    const tenantId = claimString(payload, config.tenantClaim);
    if (tenantId === null) throw new AuthFailure('missing_claim', `the token has no "${config.tenantClaim}" claim naming its tenant`);
    if (!TENANT_ID_PATTERN.test(tenantId)) {
      throw new AuthFailure('invalid_tenant', `the token's "${config.tenantClaim}" claim is not a valid tenant id (letters, digits, ., _ and -; 1-64)`);
    }
    const subject = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
    if (subject === null) throw new AuthFailure('missing_claim', 'the token has no subject (sub)');
    return { principal: { tenantId, subject, kind: 'user', keyId: null, roles: knownRoles(rolesOf(payload[config.rolesClaim])) }, exp: payload.exp };
  }

  return {
    verify(token: string): Principal {
      const hit = verified.get(token);
      if (hit) {
        verified.delete(token);
        if (now() < hit.expiredFromMs) {
          verified.set(token, hit); // most recently used: last in the Map
          return hit.principal;
        }
        // Expired: verified again below, which refuses it with the usual answer.
      }
      const { principal, exp } = verifyFully(token);
      return remember(token, principal, exp);
    },
  };
}
