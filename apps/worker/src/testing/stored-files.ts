import fs from 'node:fs/promises';
import path from 'node:path';

/** Every file under a local storage root (temp files included), as sorted paths relative to it. */
export async function storedFiles(root: string): Promise<string[]> {
  return (await fs.readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}
