import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '../types.js';
import { describeDatasets, engineRules } from './dataset-catalog.js';
import { renderDatasetsMarkdown } from './datasets-markdown.js';

const DOC = new URL('../../../../docs/datasets.md', import.meta.url);

describe('docs/datasets.md', () => {
  it('matches a fresh render of the registry (regenerate: npx tsc -b && node scripts/gen-datasets-doc.mjs)', () => {
    const committed = readFileSync(DOC, 'utf8');
    expect(committed === renderDatasetsMarkdown(), 'docs/datasets.md is stale: run `npx tsc -b && node scripts/gen-datasets-doc.mjs`').toBe(true);
  });

  it('has a section, a field table and a rules table for every dataset', () => {
    const markdown = renderDatasetsMarkdown();
    for (const d of describeDatasets()) {
      expect(markdown).toContain(`## ${d.name}\n`);
      for (const f of d.fields) expect(markdown).toContain(`| \`${f.name}\` | ${f.type} |`);
      for (const r of d.rules) expect(markdown).toContain(`| \`${r.code}\` | ${r.severity} | \`${r.field}\` |`);
    }
    for (const r of engineRules()) expect(markdown).toContain(`| \`${r.code}\` | ${r.severity} |`);
  });
});

describe('describeDatasets', () => {
  it('describes every dataset in registry order with fields, key, column sets and rules', () => {
    const described = describeDatasets();
    expect(described.map((d) => d.name)).toEqual([...DATASET_NAMES]);
    const patients = described.find((d) => d.name === 'patients');
    expect(patients).toMatchObject({
      fhir_resource: 'Patient',
      fhir_output: ['Patient'],
      natural_key: ['patient_id'],
      required_columns_any_of: [['patient_id'], ['family_name', 'birth_date']],
    });
    expect(patients?.fields[0]).toEqual(expect.objectContaining({ name: 'patient_id', type: 'id', required: false, fhir_path: 'Patient.identifier' }));
    expect(patients?.rules).toContainEqual({
      code: 'deceased_date.before_birth', severity: 'error', field: 'deceased_date', message: 'deceased_date is before birth_date',
    });
  });
});
