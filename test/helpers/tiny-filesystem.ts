import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TinyFilesystem {
  readonly dir: string;
  /** Grows (or shrinks) it in place; files stay. */
  resize(bytes: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A real filesystem of `bytes` bytes (tmpfs), so writes fail with ENOSPC the way a full disk does.
 * Null where mounting is not allowed (not root, or no CAP_SYS_ADMIN in a container).
 */
export async function mountTinyFilesystem(bytes: number): Promise<TinyFilesystem | null> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-tiny-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  } catch {
    await fs.rm(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    async resize(size) {
      await run('mount', ['-o', `remount,size=${size}`, dir]);
    },
    async dispose() {
      await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
