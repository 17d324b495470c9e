import type { FastifyServerOptions, RouteOptions } from 'fastify';
import type { Config } from '@harmonizer/config';
import type { Database } from '@harmonizer/db';
import type { HarmonizeQueue } from '@harmonizer/queue';
import type { ObjectStorage } from '@harmonizer/storage';
import type { ApiMetrics } from './metrics.js';

/** Everything the api talks to, made by main.ts (or a test) and handed in: no globals. */
export interface AppDeps {
  config: Config;
  db: Database;
  storage: ObjectStorage;
  queue: HarmonizeQueue;
  /** Fastify's logger option: pino options, true, or false for none. */
  logger?: FastifyServerOptions['logger'];
  /** Called for every route as it is added; lets tools and tests see the route table. */
  onRoute?: (route: RouteOptions) => void;
}

/** What route plugins receive as their options. */
export interface RouteDeps {
  config: Config;
  db: Database;
  storage: ObjectStorage;
  queue: HarmonizeQueue;
  metrics: ApiMetrics;
}
