import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestApp } from './test-app.js';

/** What a refused upload must not leave behind: neither a stored file nor a job row. */
export async function footprint(app: TestApp) {
  const uploads = await readdir(path.join(app.config.storageDir, 'uploads')).catch(() => []);
  const temp = await readdir(path.join(app.config.storageDir, '.tmp')).catch(() => []);
  const jobs = (await app.db.jobs.list({ limit: 100 })).items.length;
  return { uploads: uploads.length, temp: temp.length, jobs };
}
