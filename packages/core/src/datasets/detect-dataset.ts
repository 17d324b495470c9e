import { InputError } from '../input-error.js';
import { matchHeaders } from '../mapping/match-headers.js';
import { normalizeHeader } from '../mapping/normalize-header.js';
import { DATASET_NAMES, type DatasetDetection, type DatasetName } from '../types.js';
import { getDataset } from './registry.js';

/** Share of the header (weighted by match confidence) a dataset must explain to be chosen. */
export const DETECTION_THRESHOLD = 0.25;
/** The lower share enough when the file name names the dataset too (MIMIC CALLOUT.csv). */
const FILE_NAME_THRESHOLD = 0.15;
/** Weight of a column the dataset knows as an extra (knownExtras): evidence, but less than a field. */
const KNOWN_EXTRA_WEIGHT = 0.5;
/** Fewer mapped columns than this is never a detection, whatever the share. */
const MIN_MAPPED_COLUMNS = 2;
/** What a file name naming the dataset ("conditions.csv", "ADMISSIONS.csv") adds to its score. */
const FILE_NAME_BONUS = 0.15;
/** A runner-up closer than this makes the choice uncertain: the confidence is scaled down. */
const CLEAR_MARGIN = 0.1;

export interface DetectOptions {
  /** The uploaded file's name: breaks ties between datasets with the same columns. */
  fileName?: string | undefined;
}

/** How well one dataset explains a header; `reason` says why it cannot be chosen. */
export interface DetectionCandidate {
  dataset: DatasetName;
  /** Weighted share of the non-empty header cells mapped to the dataset's fields, 0..1. */
  share: number;
  mappedColumns: number;
  fileNameMatch: boolean;
  reason: string | null;
}

/**
 * Every dataset scored against the header, best first. The share counts mapped columns by their
 * match confidence and columns the dataset knows as extras (knownExtras: UCI's medication
 * columns for encounters) at half weight. A dataset is out (with a reason) when the header lacks
 * its required columns, maps fewer than two columns, or explains less than a quarter of the
 * header (15% when the file name names the dataset).
 */
export function rankDatasets(header: string[], options: DetectOptions = {}): DetectionCandidate[] {
  const named = header.filter((h) => h.trim() !== '').length;
  const words = fileNameWords(options.fileName);
  const candidates = DATASET_NAMES.map((dataset): DetectionCandidate => {
    const def = getDataset(dataset);
    const fileNameMatch = [dataset, ...(def.fileNameHints ?? [])].some((hint) => words.has(hint.toLowerCase()));
    let mapped;
    try {
      mapped = matchHeaders(header, dataset).columns.filter((c) => c.field !== null);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const sets = def.requiredColumnsAnyOf.map((set) => set.join(' + ')).join(', or ');
      return { dataset, share: 0, mappedColumns: 0, fileNameMatch, reason: `the header has no column for ${sets}` };
    }
    const extras = new Set(def.knownExtras.map(normalizeHeader));
    const mappedIndexes = new Set(mapped.map((c) => c.index));
    const known = header.filter((h, i) => !mappedIndexes.has(i) && extras.has(normalizeHeader(h))).length;
    const weight = mapped.reduce((sum, c) => sum + c.confidence, 0) + KNOWN_EXTRA_WEIGHT * known;
    const share = named > 0 ? Math.round((weight / named) * 1000) / 1000 : 0;
    const threshold = fileNameMatch ? FILE_NAME_THRESHOLD : DETECTION_THRESHOLD;
    let reason: string | null = null;
    if (mapped.length < MIN_MAPPED_COLUMNS) reason = `only ${mapped.length} column matches a ${dataset} field`;
    else if (share < threshold) reason = `its fields explain ${Math.round(share * 100)}% of the columns, under ${threshold * 100}%`;
    return { dataset, share, mappedColumns: mapped.length, fileNameMatch, reason };
  });
  return candidates.sort((a, b) => score(b) - score(a) || DATASET_NAMES.indexOf(a.dataset) - DATASET_NAMES.indexOf(b.dataset));
}

const score = (c: DetectionCandidate) => (c.reason === null ? c.share + (c.fileNameMatch ? FILE_NAME_BONUS : 0) : -1 + c.share);

/**
 * Guesses the dataset from the header (and the file name, when given, to break ties): the
 * dataset whose fields explain the largest share of the header, provided its required columns
 * are present. The confidence is that share, scaled down when another dataset comes within 0.1
 * (Synthea's conditions.csv and procedures.csv have the same columns: without a file name the
 * choice is a coin toss, and the confidence says so).
 */
export function detectDataset(header: string[], options: DetectOptions = {}): { dataset: DatasetName; confidence: number } | null {
  const [best, second] = rankDatasets(header, options);
  if (!best || best.reason !== null) return null;
  const margin = second && second.reason === null ? score(best) - score(second) : CLEAR_MARGIN;
  const certainty = 0.5 + 0.5 * Math.min(1, margin / CLEAR_MARGIN);
  return { dataset: best.dataset, confidence: Math.round(best.share * certainty * 1000) / 1000 };
}

/** The dataset the user asked for, else the detected one; InputError naming the closest dataset when neither works. */
export function resolveDataset(header: string[], requested?: string | null, options: DetectOptions = {}): DatasetDetection {
  if (requested) return { dataset: getDataset(requested).name, confidence: 1, method: 'specified' };
  const detected = detectDataset(header, options);
  if (!detected) {
    const closest = rankDatasets(header, options)[0];
    const why = closest ? ` The closest is ${closest.dataset}, but ${closest.reason ?? 'it does not fit'}.` : '';
    throw new InputError(
      'input.unknown_dataset',
      `Cannot tell which dataset the file holds from its header.${why} Pass dataset (one of ${DATASET_NAMES.join(', ')}).`,
    );
  }
  return { ...detected, method: 'detected' };
}

/** Lower-case words of a file name without directories, extension or compression suffix. */
function fileNameWords(fileName: string | undefined): Set<string> {
  if (!fileName) return new Set();
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/(\.(gz|gzip))$/i, '').replace(/\.[a-z0-9]{1,8}$/i, '').toLowerCase();
  const words = stem.split(/[^a-z0-9]+/).filter((w) => w !== '');
  return new Set([stem, ...words]);
}
