import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

export const SECRET_KEY_FILE = 'secret_key';

/**
 * Development convenience: without SECRET_KEY, generate one once and keep it in the data
 * folder (mode 0600) so sessions survive restarts. Production never gets here (config refuses).
 */
export function resolveSecretKey(config: Config, warn: (message: string) => void): Config {
  if (config.secretKey !== null) return config;
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  let secretKey: string;
  if (existsSync(file)) {
    secretKey = readFileSync(file, 'utf8').trim();
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    secretKey = randomBytes(32).toString('hex');
    writeFileSync(file, secretKey + '\n', { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  warn(`SECRET_KEY is not set: using the development key kept in ${file}. Set SECRET_KEY in production.`);
  return Object.freeze({ ...config, secretKey });
}
