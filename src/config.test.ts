import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('serves on 127.0.0.1:3000 with the embedded database in ./data by default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, viewFlushMs: 1000 });
    expect(config.dataDir).toBe(path.resolve('data'));
  });

  it('takes PORT, HOST, DATA_DIR and DATABASE_URL from the environment', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/srv/halfsky', DATABASE_URL: 'postgres://u@db/halfsky' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: '/srv/halfsky', databaseUrl: 'postgres://u@db/halfsky' });
  });

  it('trusts a reverse proxy only when told to', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toBe('10.0.0.1, 10.0.0.2');
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow('invalid TRUST_PROXY="yes please"');
  });

  it('names the variable and the value it refuses, in one line', () => {
    for (const [environment, fragment] of [
      [{ PORT: 'eighty' }, 'invalid PORT="eighty"'],
      [{ PORT: '70000' }, 'invalid PORT="70000"'],
      [{ DATABASE_URL: 'mysql://x' }, 'invalid DATABASE_URL="mysql://x"'],
      [{ LOG_LEVEL: 'loud' }, 'invalid LOG_LEVEL="loud"'],
    ] as const) {
      expect(() => loadConfig(environment)).toThrow(ConfigError);
      try {
        loadConfig(environment);
      } catch (error) {
        expect((error as Error).message).toContain(fragment);
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});
