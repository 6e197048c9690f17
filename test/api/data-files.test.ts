import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupSqlite } from '../../src/server/db/backup.js';
import { openDatabase } from '../../src/server/db/database.js';
import { resolveSecretKey } from '../../src/server/secret-key.js';
import { testConfig } from '../helpers/app.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('files in the data folder', () => {
  it('creates the SQLite file, its WAL and SHM and backups 0600, in a new folder 0700', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'codechicks-modes-'));
    const dir = path.join(root, 'data');
    const file = path.join(dir, 'codechicks.db');
    const handle = await openDatabase(`sqlite:${file}`);
    try {
      expect(modeOf(dir)).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe(0o600);
      const copy = path.join(root, 'backups', 'copy.db');
      expect(await backupSqlite(`sqlite:${file}`, copy)).toBeGreaterThan(0);
      expect(modeOf(copy)).toBe(0o600);
    } finally {
      await handle.close();
    }
  });

  it('writes the development secret key 0600 and refuses a short or corrupt one with one line', () => {
    const config = { ...testConfig(), secretKey: null };
    const warnings: string[] = [];
    const resolved = resolveSecretKey(config, (m) => warnings.push(m));
    const file = path.join(config.dataDir, 'secret_key');
    expect(resolved.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(resolved.secretKey);
    expect(modeOf(file)).toBe(0o600);
    expect(resolveSecretKey(config, () => {}).secretKey).toBe(resolved.secretKey);

    for (const bad of ['', 'abc', '\u0000'.repeat(64), 'z'.repeat(64)]) {
      writeFileSync(file, bad);
      expect(() => resolveSecretKey(config, () => {})).toThrow(
        `${file} is not a secret key (64+ hex characters): delete it to have a new one made.`,
      );
    }
  });
});
