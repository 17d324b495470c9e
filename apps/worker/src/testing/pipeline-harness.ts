import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createDb, type Database, type Job } from '@harmonizer/db';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { createPool, type ChunkPool } from '../pool.js';
import type { PipelineDeps } from '../pipeline.js';

export type JsonRecord = Record<string, unknown>;

/** A real SQLite database, local storage and thread pool in a temp directory, for pipeline tests. */
export interface PipelineHarness {
  db: Database;
  storage: ObjectStorage;
  deps(settings?: Partial<PipelineDeps['settings']>): PipelineDeps;
  /** Stores the bytes and a running job row for them, as the api and markRunning would leave them. */
  runningJob(body: Buffer | string, options?: { dataset?: string | null; fileName?: string; options?: JsonRecord; id?: string }): Promise<Job>;
  read(jobId: string, name: string): Promise<string>;
  readNdjson(jobId: string, name: string): Promise<JsonRecord[]>;
  /** Stored files of the job (results and temp files), relative to the storage root. */
  filesOf(jobId: string): Promise<string[]>;
  close(): Promise<void>;
}

export const parseNdjson = (body: string): JsonRecord[] =>
  body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonRecord);

export async function createPipelineHarness(threads = 2): Promise<PipelineHarness> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-formats-'));
  const db = await createDb({ kind: 'sqlite', file: path.join(root, 'db.sqlite') });
  const storage = createLocalStorage(path.join(root, 'files'));
  const pool: ChunkPool = createPool({ threads });
  const read = async (jobId: string, name: string) => text(await storage.read(`results/${jobId}/${name}`));
  return {
    db,
    storage,
    deps: (settings = {}) => ({
      db,
      storage,
      pool,
      settings: { chunkRows: 1000, progressIntervalMs: 1000, ...settings },
      today: () => '2025-06-01',
    }),
    async runningJob(body, options = {}) {
      const id = options.id ?? randomUUID();
      const storageKey = `uploads/${id}/input`;
      const { size, sha256 } = await storage.put(storageKey, Readable.from([Buffer.from(body)]));
      await db.jobs.create({
        tenantId: 'local',
        id,
        dataset: options.dataset ?? null,
        fileName: options.fileName ?? 'input',
        contentType: null,
        sizeBytes: size,
        sha256,
        storageKey,
        options: options.options ?? {},
        idempotencyKey: null,
      });
      const row = await db.jobs.markRunning(id);
      if (!row) throw new Error('job did not start');
      return row;
    },
    read,
    readNdjson: async (jobId, name) => parseNdjson(await read(jobId, name)),
    async filesOf(jobId) {
      const all = await fs.readdir(path.join(root, 'files'), { recursive: true }).catch(() => [] as string[]);
      return all.filter((f) => f.startsWith(`results/${jobId}/`) || f.startsWith('.tmp/')).sort();
    },
    async close() {
      await pool.destroy();
      await db.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
