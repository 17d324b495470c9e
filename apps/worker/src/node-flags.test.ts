import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingWorkerFlags, readWorkerNodeFlags, workerCommand } from './node-flags.js';

const repoFile = (name: string) => readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8');
const flags = readWorkerNodeFlags();

describe('worker node flags (apps/worker/node-flags.json)', () => {
  it('are flags this node accepts on its command line, with the environment they come with', () => {
    expect(flags.execArgv.length).toBeGreaterThan(0);
    const out = execFileSync(process.execPath, [...flags.execArgv, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], {
      env: { ...process.env, ...flags.env },
      encoding: 'utf8',
    });
    expect((JSON.parse(out) as string[]).slice(0, flags.execArgv.length)).toEqual(flags.execArgv);
    expect(flags.env).toEqual({ MALLOC_ARENA_MAX: '2' });
  });

  it('are what `npm run worker`, docker-compose and the Dockerfile start a worker with', () => {
    const script = (JSON.parse(repoFile('package.json')) as { scripts: Record<string, string> }).scripts.worker;
    expect(script).toBe(`MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2} node ${flags.execArgv.join(' ')} apps/worker/dist/main.js`);
    const compose = parse(repoFile('docker-compose.yml'), { merge: true }) as { services: Record<string, { command: string[]; environment: Record<string, string> }> };
    for (const name of ['worker-1', 'worker-2']) {
      expect(compose.services[name]?.command).toEqual(['node', ...flags.execArgv, 'apps/worker/dist/main.js']);
      expect(compose.services[name]?.environment).toMatchObject(flags.env);
    }
    expect(repoFile('Dockerfile').replace(/\n#\s*/g, ' ')).toContain(`node ${flags.execArgv.join(' ')} apps/worker/dist/main.js`);
    expect(repoFile('scripts/start.mjs')).toContain("workerCommand('apps/worker/dist/main.js', env)");
  });

  it('name what a process was started without', () => {
    expect(missingWorkerFlags(flags, flags.execArgv, flags.env)).toEqual([]);
    expect(missingWorkerFlags(flags, [], {})).toEqual([...flags.execArgv, 'MALLOC_ARENA_MAX=2']);
    expect(missingWorkerFlags(flags, ['--inspect', flags.execArgv[0]!], { MALLOC_ARENA_MAX: '4' })).toEqual(flags.execArgv.slice(1));
  });

  it('make the command that starts a worker: flags before the script, the variables as defaults the caller overrides', () => {
    expect(workerCommand('apps/worker/dist/main.js', { PORT: '1' })).toEqual({
      args: [...flags.execArgv, 'apps/worker/dist/main.js'],
      env: { ...flags.env, PORT: '1' },
    });
    expect(workerCommand('main.js', { MALLOC_ARENA_MAX: '8' }).env.MALLOC_ARENA_MAX).toBe('8');
  });
});
