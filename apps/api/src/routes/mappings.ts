import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { MappingExistsError, type MappingProfile } from '@harmonizer/db';
import type { RouteDeps } from '../app-deps.js';
import { tenantScope } from '../auth/tenant-scope.js';
import { ApiError } from '../errors.js';
import { API_PREFIX } from '../job-view.js';
import {
  createMappingBody,
  mappingNameParams,
  replaceMappingBody,
  toMappingProfile,
  type MappingBody,
} from '../mapping-body.js';

interface NameParams {
  name: string;
}

export const mappingNotFound = (name: string, status = 404) =>
  new ApiError(status, 'mapping_not_found', `no saved mapping named "${name.slice(0, 64)}"; see GET ${API_PREFIX}/mappings`);

/** The wire form: snake_case like the rest of the api. */
export function toMappingView(p: MappingProfile) {
  return {
    name: p.name,
    dataset: p.dataset,
    columns: p.columns,
    codes: p.codes,
    description: p.description,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    links: { self: `${API_PREFIX}/mappings/${p.name}` },
  };
}

/**
 * Saved mapping profiles (issue 3): column and code mappings kept under a name, for jobs to use
 * with options.mapping_profile. A job copies the profile when it is submitted, so changing or
 * deleting a profile never changes a job already made.
 */
export const mappingsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  /** The caller's tenant's profiles: two tenants may each have a profile of the same name. */
  const mappingsOf = (request: FastifyRequest) => tenantScope(deps.db, request).mappings;

  app.post<{ Body: MappingBody & { name: string } }>('/mappings', { config: { access: 'submitter', audit: 'mapping.create' }, schema: { body: createMappingBody } }, async (request, reply) => {
    const input = toMappingProfile(request.body.name, request.body);
    try {
      const created = toMappingView(await mappingsOf(request).create(input));
      return reply.status(201).header('location', created.links.self).send(created);
    } catch (err) {
      if (err instanceof MappingExistsError) {
        throw new ApiError(409, 'mapping_exists', `a mapping named "${input.name}" already exists; PUT ${API_PREFIX}/mappings/${input.name} replaces it`);
      }
      throw err;
    }
  });

  app.get('/mappings', { config: { access: 'viewer' } }, async (request) => ({ items: (await mappingsOf(request).list()).map(toMappingView) }));

  app.get<{ Params: NameParams }>('/mappings/:name', { config: { access: 'viewer' }, schema: { params: mappingNameParams } }, async (request) => {
    const profile = await mappingsOf(request).get(request.params.name);
    if (!profile) throw mappingNotFound(request.params.name);
    return toMappingView(profile);
  });

  app.put<{ Params: NameParams; Body: MappingBody }>(
    '/mappings/:name',
    { config: { access: 'submitter', audit: 'mapping.replace' }, schema: { params: mappingNameParams, body: replaceMappingBody } },
    async (request) => {
      const { name, ...profile } = toMappingProfile(request.params.name, request.body);
      const replaced = await mappingsOf(request).replace(name, profile);
      if (!replaced) throw mappingNotFound(name);
      return toMappingView(replaced);
    },
  );

  app.delete<{ Params: NameParams }>('/mappings/:name', { config: { access: 'submitter', audit: 'mapping.delete' }, schema: { params: mappingNameParams } }, async (request, reply) => {
    if (!(await mappingsOf(request).delete(request.params.name))) throw mappingNotFound(request.params.name);
    return reply.status(204).send();
  });
};
