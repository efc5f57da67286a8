import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../config/app.config.js';

describe('RETENTION_YEARS', () => {
  it('is 20 years unless configured, a whole number from 1 to 100', () => {
    expect(loadConfig({}).RETENTION_YEARS).toBe(20);
    expect(loadConfig({ RETENTION_YEARS: '15' }).RETENTION_YEARS).toBe(15);
    for (const bad of ['0', '101', '2.5', 'twenty']) {
      expect(() => loadConfig({ RETENTION_YEARS: bad })).toThrow(ConfigError);
    }
  });
});
