export { loadConfig, loadApiConfig, ConfigError, AUTH_MODES, JWT_ALGORITHMS, TENANT_ID_PATTERN } from './load-config.js';
export type { Config, AuthConfig, JwtConfig, JwtAlgorithm } from './load-config.js';
export type { EncryptionKeySetting, EncryptionKeysSetting } from './encryption-keys.js';
