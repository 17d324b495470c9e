import { compact, decimal, fhirDate, reference, text } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const MEASURE_BASE = 'urn:harmonizer:fhir:measure:';

/**
 * The canonical URL a measure id stands for. CMS publishes no FHIR Measure for its program
 * measures (READM_30_AMI_HRRP), so the id is kept under this service's namespace; a measure id
 * that is already a URL is used as is.
 */
export const measureUrl = (measureId: string) => (/^(https?|urn):/i.test(measureId) ? measureId : `${MEASURE_BASE}${encodeURIComponent(measureId)}`);

/**
 * quality_measures -> MeasureReport: a `summary` report of one measure for one organization
 * (reporter and subject) over the period, with the counts as denominator and numerator
 * populations and the score as measureScore. period is required: without dates it is
 * data-absent. Rates, state and footnote are extensions.
 */
export const measureReportResource: FhirMapper = (r, ctx) => {
  const measureId = text(r, 'measure_id');
  const organization = reference('Organization', text(r, 'organization_id'), text(r, 'organization_name'));
  const count = (field: string) => {
    const n = decimal(r, field);
    return n !== undefined && Number.isInteger(n) ? n : undefined;
  };
  const population = (code: string, field: string) => {
    const n = count(field);
    return n === undefined ? undefined : { code: { coding: [{ system: POPULATION, code }] }, count: n };
  };
  const score = decimal(r, 'score');
  const period = compact({ start: fhirDate(text(r, 'period_start')), end: fhirDate(text(r, 'period_end')) });
  const comparison = text(r, 'comparison');
  return compact({
    resourceType: 'MeasureReport',
    id: ctx.idFor('MeasureReport', undefined),
    extension: fieldExtensions(r, [['state', 'String'], ['predicted_rate', 'Decimal'], ['expected_rate', 'Decimal'], ['footnote', 'String']]),
    status: 'complete',
    type: 'summary',
    measure: measureId ? measureUrl(measureId) : undefined,
    _measure: measureId ? undefined : dataAbsent(),
    subject: organization,
    reporter: organization,
    period: Object.keys(period).length > 0 ? period : dataAbsent(),
    improvementNotation: comparison ? { text: comparison } : undefined,
    group: [
      compact({
        code: measureId ? { coding: [{ code: measureId }], text: text(r, 'measure_title') } : undefined,
        population: [population('denominator', 'denominator'), population('numerator', 'numerator')],
        measureScore: score === undefined ? undefined : { value: score },
      }),
    ],
  });
};
