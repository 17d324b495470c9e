import { createEncryptedStorage } from './encrypted-storage.js';
import type { EncryptionKeyring } from './encryption-keys.js';
import { createLocalStorage } from './local-storage.js';
import type { ObjectStorage } from './object-storage.js';

/** The part of the service configuration that chooses the storage (Config from @harmonizer/config fits). */
export interface StorageSettings {
  storageDir: string;
  /** When set, every object is encrypted at rest; null or absent stores plaintext. */
  encryptionKeys?: EncryptionKeyring | null;
}

/** The one place the api and the workers build their storage, so both read what the other wrote. */
export function createStorage(settings: StorageSettings): ObjectStorage {
  const local = createLocalStorage(settings.storageDir);
  return settings.encryptionKeys ? createEncryptedStorage(local, settings.encryptionKeys) : local;
}
