export { jobResultsPrefix, jobUploadPrefix } from './job-keys.js';
export { createLocalStorage } from './local-storage.js';
export { createEncryptedStorage } from './encrypted-storage.js';
export { createStorage, type StorageSettings } from './create-storage.js';
export { ObjectNotFoundError, ObjectTooLargeError } from './errors.js';
export { ObjectTamperedError, UnknownEncryptionKeyError } from './encryption-errors.js';
export type { EncryptionKey, EncryptionKeyring } from './encryption-keys.js';
export type { ObjectStorage, ObjectWriter, PutResult } from './object-storage.js';
