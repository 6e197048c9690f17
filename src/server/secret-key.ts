import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config, LoadedConfig } from './config.js';

export const SECRET_KEY_FILE = 'secret_key';

/**
 * The config with its secret key: SECRET_KEY when set; else (development convenience) one
 * generated once and kept in the data folder (mode 0600) so sessions survive restarts.
 * Production never gets that far (config refuses).
 */
export function resolveSecretKey(config: LoadedConfig, warn: (message: string) => void): Config {
  if (config.secretKey !== null) return Object.freeze({ ...config, secretKey: config.secretKey });
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  let secretKey: string;
  if (existsSync(file)) {
    secretKey = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64,}$/i.test(secretKey)) {
      throw new Error(`${file} is not a secret key (64+ hex characters): delete it to have a new one made.`);
    }
  } else {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    secretKey = randomBytes(32).toString('hex');
    // Written whole or not at all: a crash mid-write must not leave a short key behind.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, secretKey + '\n', { mode: 0o600 });
    renameSync(temporary, file);
  }
  chmodSync(file, 0o600);
  warn(`SECRET_KEY is not set: using the development key kept in ${file}. Set SECRET_KEY in production.`);
  return Object.freeze({ ...config, secretKey });
}
