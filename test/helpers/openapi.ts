import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { REPO_ROOT } from './start-stack.js';

type Json = Record<string, unknown>;

interface Spec {
  servers?: { url: string }[];
  paths: Record<string, Record<string, { responses?: Record<string, Json> }>>;
  components?: Json;
}

export interface ObservedResponse {
  method: string;
  /** The request path as sent, with or without the query string. */
  url: string;
  status: number;
  contentType: string | null;
  /** Parsed JSON body, or undefined for bodies that are not JSON. */
  body?: unknown;
}

// ajv-formats is CommonJS with a default export; under NodeNext the default import is the namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

const spec = parse(readFileSync(path.join(REPO_ROOT, 'openapi.yaml'), 'utf8')) as Spec;
// OpenAPI schema objects carry keywords plain JSON Schema does not know (example, discriminator...).
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** The base paths the spec's servers add in front of its path templates ('' always tried). */
const basePaths = ['', ...(spec.servers ?? []).map((server) => new URL(server.url, 'http://x').pathname.replace(/\/$/, ''))];

const templates = Object.keys(spec.paths)
  // Literal segments must win over parameters (`/jobs/{id}` must not swallow a literal route).
  .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
  .map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

function findPathTemplate(pathname: string): string {
  for (const base of basePaths) {
    if (base !== '' && !pathname.startsWith(`${base}/`)) continue;
    const rest = pathname.slice(base.length);
    const hit = templates.find(({ pattern }) => pattern.test(rest));
    if (hit) return hit.template;
  }
  throw new Error(`openapi.yaml describes no path matching ${pathname}`);
}

function resolveRef<T>(node: T): T {
  const ref = (node as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  const target = ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], spec);
  if (target === undefined) throw new Error(`openapi.yaml: unresolved $ref ${ref}`);
  return resolveRef(target as T);
}

function findResponse(template: string, method: string, status: number): Json {
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`openapi.yaml has no ${method.toUpperCase()} ${template}`);
  const responses = operation.responses ?? {};
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!response) throw new Error(`openapi.yaml: ${method.toUpperCase()} ${template} documents no ${status} response`);
  return resolveRef(response);
}

function validatorFor(key: string, schema: Json): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    // Components ride along at the root so `#/components/...` references resolve as in the spec.
    validate = ajv.compile({ ...schema, components: spec.components ?? {} });
    compiled.set(key, validate);
  }
  return validate;
}

/** The problems found; empty when status, content type and body all match the spec. */
export function checkResponseAgainstSpec(observed: ObservedResponse): string[] {
  const { pathname } = new URL(observed.url, 'http://x');
  const template = findPathTemplate(pathname);
  const where = `${observed.method.toUpperCase()} ${template} -> ${observed.status}`;
  const response = findResponse(template, observed.method, observed.status);
  const content = (response.content ?? {}) as Record<string, { schema?: Json }>;
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) return [];
  const actual = (observed.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const mediaType = mediaTypes.find((type) => type.toLowerCase() === actual) ?? mediaTypes.find((type) => type === '*/*');
  if (!mediaType) return [`${where}: content type '${actual}' is not one of ${mediaTypes.join(', ')}`];
  const schema = content[mediaType]?.schema;
  if (!schema || observed.body === undefined) return [];
  const validate = validatorFor(`${where} ${mediaType}`, resolveRef(schema));
  if (validate(observed.body)) return [];
  return (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export function assertResponseMatchesSpec(observed: ObservedResponse): void {
  const problems = checkResponseAgainstSpec(observed);
  if (problems.length > 0) {
    throw new Error(`response does not match openapi.yaml:\n  ${problems.join('\n  ')}\nbody: ${JSON.stringify(observed.body)}`);
  }
}
