import { z } from 'zod';

export interface EncryptionKeySetting {
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** From ENCRYPTION_KEYS: the first key encrypts new objects, the rest only decrypt older ones. */
export interface EncryptionKeysSetting {
  current: EncryptionKeySetting;
  previous: EncryptionKeySetting[];
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * ENCRYPTION_KEYS = "<id>:<base64 key>[,<id>:<base64 key>...]", current key first. Every bad
 * entry is reported by its position and id; key material never appears in a message.
 */
export const encryptionKeysSchema = z.string().transform((text, ctx): EncryptionKeysSetting => {
  const keys: EncryptionKeySetting[] = [];
  const problem = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  text.split(',').forEach((entry, i) => {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(':');
    if (colon < 0) return problem(`entry ${i + 1} must be <key id>:<base64 key>`);
    const id = trimmed.slice(0, colon).trim();
    const encoded = trimmed.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) return problem(`entry ${i + 1}: key id must be 1-64 of A-Z a-z 0-9 . _ -`);
    if (keys.some((k) => k.id === id)) return problem(`key id "${id}" is listed twice`);
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64.test(encoded) || key.length !== 32) {
      return problem(`key "${id}" must be 32 bytes in base64 (make one with: openssl rand -base64 32)`);
    }
    keys.push({ id, key });
  });
  const [current, ...previous] = keys;
  return current ? { current, previous } : (z.NEVER as never);
});
