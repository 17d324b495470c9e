/**
 * A stored object failed authentication: a byte was changed, records were reordered, the file
 * was cut short or extended, or it is not an encrypted object at all. Nothing of it is returned.
 * The message names the key and what failed, never content.
 */
export class ObjectTamperedError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`stored object ${key} failed integrity checks (${reason}); it was not returned`);
    this.name = 'ObjectTamperedError';
  }
}

/** The object was encrypted with a key id that is not configured (neither current nor previous). */
export class UnknownEncryptionKeyError extends Error {
  constructor(
    readonly key: string,
    readonly keyId: string,
  ) {
    super(
      `stored object ${key} was encrypted with key id "${keyId}", which is not configured; ` +
        'add that key to ENCRYPTION_KEYS after the current one',
    );
    this.name = 'UnknownEncryptionKeyError';
  }
}
