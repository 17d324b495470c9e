export { createDb } from './create-db.js';
export * from './types.js';
export * from './mapping-profile.js';
export * as sqliteSchema from './schema/sqlite.js';
export * as pgSchema from './schema/pg.js';
