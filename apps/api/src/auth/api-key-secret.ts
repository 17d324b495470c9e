import { createHash, randomBytes } from 'node:crypto';

/** Every api key starts with this, so one is told from a JWT (and found by secret scanners). */
export const API_KEY_PREFIX = 'hzk_';
/** 'hzk_' + 32 random bytes in base64url (43 characters). */
const API_KEY_SHAPE = /^hzk_[A-Za-z0-9_-]{43}$/;
/** Characters of the key kept in the clear (shown in lists to tell keys apart). */
export const API_KEY_SHOWN_CHARS = 12;

export interface GeneratedApiKey {
  /** The whole key: shown to its creator once, never stored. */
  secret: string;
  /** Its first 12 characters ('hzk_' + 8), stored and listed. */
  prefix: string;
  /** sha256 hex of the secret: what the database keeps and looks keys up by. */
  hash: string;
}

/** sha256 hex of a key. The secret has 256 random bits, so a fast hash is enough (no password stretching). */
export const hashApiKey = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export function generateApiKey(): GeneratedApiKey {
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, API_KEY_SHOWN_CHARS), hash: hashApiKey(secret) };
}

/** Starts like an api key: the credential is treated as one (and not as a JWT). */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith(API_KEY_PREFIX);

/** Has exactly the shape generateApiKey gives. */
export const isWellFormedApiKey = (credential: string): boolean => API_KEY_SHAPE.test(credential);
