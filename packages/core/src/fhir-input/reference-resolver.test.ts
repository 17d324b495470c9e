import { describe, expect, it } from 'vitest';
import { createReferenceResolver, indexBundle } from './reference-resolver.js';

const bundle = indexBundle(
  [
    { resourceType: 'Patient', id: 'p-1' },
    { resourceType: 'Practitioner', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }] },
    { resourceType: 'Condition', id: 'c-1', code: { text: 'Asthma' } },
  ],
  ['urn:uuid:aaa', 'urn:uuid:bbb', null],
);
const refs = createReferenceResolver(bundle);

describe('createReferenceResolver', () => {
  it.each([
    { name: 'a urn:uuid entry of the Bundle, to its resource id', ref: { reference: 'urn:uuid:aaa' }, id: 'p-1', type: 'Patient' },
    { name: 'an entry without an id, to its identifier', ref: { reference: 'urn:uuid:bbb' }, id: '1234567893', type: 'Practitioner' },
    { name: 'a urn:uuid outside the Bundle, to the uuid', ref: { reference: 'urn:uuid:zzz' }, id: 'zzz', type: null },
    { name: 'a relative reference', ref: { reference: 'Patient/p-9' }, id: 'p-9', type: 'Patient' },
    { name: 'an absolute versioned reference', ref: { reference: 'https://fhir.example.org/r4/Encounter/e-1/_history/3' }, id: 'e-1', type: 'Encounter' },
    {
      name: 'a conditional reference, to the identifier value',
      ref: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974493' },
      id: '9999974493',
      type: 'Practitioner',
    },
    {
      name: 'a URL-encoded conditional reference',
      ref: { reference: 'Location?identifier=https%3A%2F%2Fgithub.com%2Fsynthetichealth%2Fsynthea%7C185312a0' },
      id: '185312a0',
      type: 'Location',
    },
    { name: 'a logical reference by identifier', ref: { identifier: { system: 'urn:mrn', value: 'M-7' }, type: 'Patient' }, id: 'M-7', type: 'Patient' },
    { name: 'a display-only reference', ref: { display: 'Dr Who' }, id: null, type: null },
    { name: 'no reference at all', ref: undefined, id: null, type: null },
  ])('resolves $name', ({ ref, id, type }) => {
    expect(refs.id(ref)).toBe(id);
    expect(refs.type(ref)).toBe(type);
  });

  it('hands back a resource of the same Bundle, and nothing for one outside it', () => {
    expect(refs.resource({ reference: 'urn:uuid:aaa' })).toEqual({ resourceType: 'Patient', id: 'p-1' });
    expect(refs.resource({ reference: 'Patient/p-1' })).toBeNull();
  });
});
