import { toIso, type Timestamp } from './map-row.js';

/** Lower-case slug: what a profile is called in URLs and in job options. */
export const MAPPING_NAME_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** A saved, reusable mapping table (issue 3), referenced by name from a job's options. */
export interface MappingProfile {
  name: string;
  /** The dataset its fields belong to; null when it is not tied to one. */
  dataset: string | null;
  /** Source column header -> canonical field. */
  columns: Record<string, string>;
  /** Canonical field -> { local code -> standard code }. */
  codes: Record<string, Record<string, string>>;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export type MappingProfileInput = Omit<MappingProfile, 'createdAt' | 'updatedAt'>;

export interface MappingRepository {
  /** Throws MappingExistsError when the name is taken. */
  create(profile: MappingProfileInput): Promise<MappingProfile>;
  get(name: string): Promise<MappingProfile | null>;
  /** By name, ascending. */
  list(): Promise<MappingProfile[]>;
  /** Replaces everything but the name and created_at. Null when there is no such profile. */
  replace(name: string, profile: Omit<MappingProfileInput, 'name'>): Promise<MappingProfile | null>;
  /** False when there was no such profile. */
  delete(name: string): Promise<boolean>;
}

export class MappingExistsError extends Error {
  constructor(readonly mappingName: string) {
    super(`mapping profile '${mappingName}' already exists`);
    this.name = 'MappingExistsError';
  }
}

export type MappingProfileRow = Omit<MappingProfile, 'createdAt' | 'updatedAt'> & {
  createdAt: Timestamp;
  updatedAt: Timestamp;
};

export function mapMappingRow(row: MappingProfileRow): MappingProfile {
  return {
    name: row.name,
    dataset: row.dataset,
    columns: row.columns,
    codes: row.codes,
    description: row.description,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
}
