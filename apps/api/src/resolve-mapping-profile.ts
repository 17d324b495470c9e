import type { HarmonizeOptions } from '@harmonizer/core';
import type { MappingRepository } from '@harmonizer/db';
import { mappingNotFound } from './routes/mappings.js';

/**
 * Copies the saved profile a job names (of the job's tenant: `mappings` is its scope's) (options.mapping_profile) into its options: the profile's
 * columns under options.mapping and its codes under options.code_map, the job's own entries
 * winning. The job then holds everything it ran with, so it is reproducible after the profile
 * changes, and the worker needs no lookup. 400 `mapping_not_found` when there is no such profile.
 */
export async function resolveMappingProfile(mappings: MappingRepository, options: HarmonizeOptions): Promise<HarmonizeOptions> {
  const name = options.mapping_profile;
  if (name === undefined) return options;
  const profile = await mappings.get(name);
  if (!profile) throw mappingNotFound(name, 400);
  const mapping = { ...profile.columns, ...options.mapping };
  const codeMap: Record<string, Record<string, string>> = { ...profile.codes };
  for (const [field, table] of Object.entries(options.code_map ?? {})) codeMap[field] = { ...codeMap[field], ...table };
  return {
    ...options,
    ...(Object.keys(mapping).length > 0 ? { mapping } : {}),
    ...(Object.keys(codeMap).length > 0 ? { code_map: codeMap } : {}),
  };
}
