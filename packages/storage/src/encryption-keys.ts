/** One AES-256 key and the id stored with every object it encrypts. */
export interface EncryptionKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** New objects are written with `current`; objects written with an older key stay readable while it is listed. */
export interface EncryptionKeyring {
  current: EncryptionKey;
  previous?: readonly EncryptionKey[];
}

export const KEY_BYTES = 32;
/** Stored in every object header as ASCII, so it is short and plain. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Throws on a keyring that could not encrypt or would be ambiguous to read with. */
export function checkKeyring(keys: EncryptionKeyring): Map<string, Buffer> {
  const byId = new Map<string, Buffer>();
  for (const { id, key } of [keys.current, ...(keys.previous ?? [])]) {
    if (!KEY_ID_PATTERN.test(id)) throw new Error(`encryption key id "${id.slice(0, 64)}" must be 1-64 of A-Z a-z 0-9 . _ -`);
    if (key.length !== KEY_BYTES) throw new Error(`encryption key "${id}" must be ${KEY_BYTES} bytes, not ${key.length}`);
    if (byId.has(id)) throw new Error(`encryption key id "${id}" is listed twice`);
    byId.set(id, key);
  }
  return byId;
}
