import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { namedFinding } from '../validate/rules.js';
import { lookupTerm, type VocabularyName } from '../vocab/vocabularies.js';
import type { Standardized, Standardizer } from './standardize-context.js';

/**
 * coded fields: the FHIR code of the field's vocabulary. The source spelling always goes to the
 * text field when there is one (FHIR CodeableConcept.text, and MIMIC's richer statuses). An
 * unknown spelling is reported (`<vocabulary>.unknown`, a warning) and kept as text, or under
 * extras when the field has no text field.
 */
export function createCodedStandardizer(field: FieldDefinition): Standardizer {
  if (!field.vocabulary) throw new Error(`coded field ${field.name} names no vocabulary`);
  const vocabulary: VocabularyName = field.vocabulary;
  return (raw, ctx): Standardized => {
    const code = lookupTerm(vocabulary, raw);
    const result: Standardized = { value: code };
    if (field.textField) result.siblings = { [field.textField]: raw.replace(/\s+/g, ' ') };
    if (code !== null) return result;
    result.findings = [
      namedFinding(ctx.field, `${vocabulary}.unknown`, 'warning', `${ctx.field} is not a ${vocabulary.replace(/_/g, ' ')} the engine knows; kept as text`),
    ];
    if (!field.textField) result.keepRaw = true;
    return result;
  };
}
