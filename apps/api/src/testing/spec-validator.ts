import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/**
 * Checks a response body against the schema openapi.yaml gives for that operation and status.
 * The whole spec is loaded as one schema document, so its `#/components/...` refs resolve.
 */
export function createSpecValidator(spec: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...spec, $id: 'openapi' });

  const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  const at = (pointer: string[]): unknown =>
    pointer.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], spec);

  /** Returns the problems found: [] when the body matches. */
  return function check(method: string, path: string, status: number, body: unknown): string[] {
    const base = ['paths', path, method.toLowerCase(), 'responses', String(status)];
    let response = at(base) as Json | undefined;
    let pointer = base;
    const ref = response?.$ref;
    if (typeof ref === 'string') {
      pointer = ref.slice(2).split('/');
      response = at(pointer) as Json | undefined;
    }
    if (!response) return [`the spec has no ${status} response for ${method.toUpperCase()} ${path}`];
    const content = response.content as Json | undefined;
    if (!content?.['application/json']) return [`the spec's ${status} response for ${path} is not JSON`];
    const schemaRef = `openapi#/${[...pointer, 'content', 'application/json', 'schema'].map(escape).join('/')}`;
    const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };
}
