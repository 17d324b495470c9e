import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createDb, type Database } from '@harmonizer/db';
import type { Services } from './services.js';

/** Every file under `dir`, as paths relative to it, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** What a user could ever be served: every stored file outside the storage's temp area. */
export async function visibleFiles(storageDir: string): Promise<string[]> {
  return (await filesUnder(storageDir)).filter((file) => !file.startsWith('.tmp'));
}

export async function tempFiles(storageDir: string): Promise<string[]> {
  return (await filesUnder(storageDir)).filter((file) => file.startsWith('.tmp'));
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * FHIR files name their job (meta.source `urn:harmonizer:job:<id>#row=n`, OperationOutcome ids
 * minted from the job id): the digest of their lines with the job named out, so two jobs of the
 * same input compare equal, as their other files do byte for byte.
 */
async function fhirDigest(file: string, jobId: string): Promise<string> {
  const hash = createHash('sha256');
  for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
    if (line === '') continue;
    const resource = JSON.parse(line.replaceAll(jobId, '<job>')) as { resourceType?: string; id?: string };
    if (resource.resourceType === 'OperationOutcome') delete resource.id;
    hash.update(`${JSON.stringify(resource)}\n`);
  }
  return hash.digest('hex');
}

/** sha256 of each stored output of a job, by file name (FHIR files: see fhirDigest). */
export async function outputDigests(storageDir: string, jobId: string): Promise<Record<string, string>> {
  const dir = path.join(storageDir, 'results', jobId);
  const digests: Record<string, string> = {};
  for (const name of await filesUnder(dir)) {
    const file = path.join(dir, name);
    digests[name] = name.startsWith('fhir/') ? await fhirDigest(file, jobId) : await sha256File(file);
  }
  return digests;
}

/** The services' own database, opened the way they open it (read the truth behind the api). */
export function openServicesDb(services: Services): Promise<Database> {
  return services.databaseUrl && services.schema
    ? createDb({ kind: 'postgres', url: services.databaseUrl, schema: services.schema })
    : createDb({ kind: 'sqlite', file: path.join(services.dataDir, 'harmonizer.sqlite') });
}

/**
 * Every file that should be visible for these jobs, from the database: each job's upload and the
 * outputs its result rows name. Anything else visible is a partial or duplicate file.
 */
export async function expectedFiles(db: Database, ids: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const id of ids) {
    const job = await db.jobs.get(id);
    if (job) files.push(job.storageKey);
    for (const result of await db.jobs.listResults(id)) files.push(result.storageKey);
  }
  return files.sort();
}
