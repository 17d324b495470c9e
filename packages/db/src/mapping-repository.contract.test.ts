import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_TARGETS, type DbTarget } from './db-targets.test-support.js';
import { MappingExistsError, type MappingProfileInput, type MappingRepository } from './mapping-profile.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const profile = (over: Partial<MappingProfileInput> = {}): MappingProfileInput => ({
  name: 'clinic-a',
  dataset: 'patients',
  columns: { 'Pt Ident': 'patient_id', Bday: 'birth_date' },
  codes: { sex: { M: 'male', F: 'female' } },
  description: 'Clinic A export',
  ...over,
});

describe.each(DB_TARGETS)('MappingRepository on $name', (kind) => {
  let target: DbTarget;
  let mappings: MappingRepository;

  beforeEach(async () => {
    target = await kind.prepare();
    mappings = (await target.open()).forTenant('local').mappings;
  });
  afterEach(() => target.cleanup());

  it('creates a profile and reads back every field', async () => {
    const created = await mappings.create(profile());
    expect(created).toEqual({ ...profile(), createdAt: expect.stringMatching(ISO_MS), updatedAt: created.createdAt });
    expect(await mappings.get('clinic-a')).toEqual(created);
  });

  it('keeps null dataset and description and empty maps', async () => {
    const input = profile({ name: 'bare', dataset: null, description: null, columns: {}, codes: {} });
    expect(await mappings.create(input)).toMatchObject(input);
    expect(await mappings.get('bare')).toMatchObject(input);
  });

  it('rejects a second profile with the same name with MappingExistsError and keeps the first', async () => {
    await mappings.create(profile());
    const error = await mappings.create(profile({ description: 'other' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingExistsError);
    expect((error as MappingExistsError).mappingName).toBe('clinic-a');
    expect((await mappings.get('clinic-a'))?.description).toBe('Clinic A export');
  });

  it('returns null for an unknown name', async () => {
    expect(await mappings.get('nope')).toBeNull();
  });

  it('lists profiles by name', async () => {
    await mappings.create(profile({ name: 'zeta' }));
    await mappings.create(profile({ name: 'alpha' }));
    expect((await mappings.list()).map((p) => p.name)).toEqual(['alpha', 'zeta']);
  });

  it('replaces a profile, keeping its name and creation time', async () => {
    const created = await mappings.create(profile());
    const next = { dataset: null, columns: { MRN: 'patient_id' }, codes: {}, description: null };
    const replaced = await mappings.replace('clinic-a', next);
    expect(replaced).toEqual({ name: 'clinic-a', ...next, createdAt: created.createdAt, updatedAt: expect.stringMatching(ISO_MS) });
    expect(replaced!.updatedAt >= created.updatedAt).toBe(true);
    expect(await mappings.get('clinic-a')).toEqual(replaced);
  });

  it('replace of an unknown name returns null and creates nothing', async () => {
    expect(await mappings.replace('ghost', { dataset: null, columns: {}, codes: {}, description: null })).toBeNull();
    expect(await mappings.list()).toEqual([]);
  });

  it('deletes a profile once', async () => {
    await mappings.create(profile());
    expect(await mappings.delete('clinic-a')).toBe(true);
    expect(await mappings.get('clinic-a')).toBeNull();
    expect(await mappings.delete('clinic-a')).toBe(false);
  });
});
