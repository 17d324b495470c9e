#!/usr/bin/env node
// The reference server of the status benchmark: Fastify's hello-world, no logger, on PORT.
// Started as its own process, like the api, so both are measured the same way.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
