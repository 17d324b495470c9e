import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const key32 = () => randomBytes(32).toString('base64');

function problemsOf(value: string): string[] {
  try {
    loadConfig({ ENCRYPTION_KEYS: value });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('ENCRYPTION_KEYS', () => {
  it('leaves encryption off when unset or empty', () => {
    expect(loadConfig({}).encryptionKeys).toBeNull();
    expect(loadConfig({ ENCRYPTION_KEYS: '' }).encryptionKeys).toBeNull();
  });

  it('takes the first key as current and the rest as previous', () => {
    const [a, b] = [key32(), key32()];
    const { encryptionKeys } = loadConfig({ ENCRYPTION_KEYS: `k2:${a}, k1:${b}` });
    expect(encryptionKeys?.current).toEqual({ id: 'k2', key: Buffer.from(a, 'base64') });
    expect(encryptionKeys?.previous).toEqual([{ id: 'k1', key: Buffer.from(b, 'base64') }]);
  });

  it('lists every bad entry at once, with other bad variables, and never echoes a key', () => {
    const short = randomBytes(16).toString('base64');
    const good = key32();
    let error: unknown;
    try {
      loadConfig({ ENCRYPTION_KEYS: `k1:${short},nocolon,k 3:${good},k4:not*base64,k5:${good},k5:${good}`, PORT: 'x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    const text = problems.join('\n');
    expect(text).toContain('PORT');
    expect(text).toContain('ENCRYPTION_KEYS: key "k1" must be 32 bytes in base64 (make one with: openssl rand -base64 32)');
    expect(text).toContain('ENCRYPTION_KEYS: entry 2 must be <key id>:<base64 key>');
    expect(text).toContain('ENCRYPTION_KEYS: entry 3: key id must be');
    expect(text).toContain('key "k4" must be 32 bytes');
    expect(text).toContain('key id "k5" is listed twice');
    expect(text).not.toContain(short);
    expect(text).not.toContain(good);
  });

  it.each([
    ['a key of 31 bytes', `k1:${randomBytes(31).toString('base64')}`],
    ['a key of 33 bytes', `k1:${randomBytes(33).toString('base64')}`],
    ['a hex key', `k1:${randomBytes(32).toString('hex')}`],
    ['only commas', ',,'],
  ])('refuses %s', (_name, value) => {
    expect(problemsOf(value).join('\n')).toMatch(/ENCRYPTION_KEYS: /);
  });
});
