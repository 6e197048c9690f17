import { pathToFileURL } from 'node:url';
import { findUserByEmail } from './auth/auth.repository.js';
import { RESET_LINK_MINUTES } from '../protocol/auth.js';
import { normalizeEmail, setUserDisabled, setUserRole } from './auth/auth.service.js';
import { createResetLink } from './auth/recovery.service.js';
import { loadConfig, readEnvironment } from './config.js';
import { systemClock, type AppContext } from './context.js';
import { createLocalBus } from './bus/local-bus.js';
import { openDatabase } from './db/database.js';

const USAGE = 'usage: npm run users -- <promote|demote|disable|enable|reset-link> <email>';

type Command = 'promote' | 'demote' | 'disable' | 'enable' | 'reset-link';
const COMMANDS: readonly Command[] = ['promote', 'demote', 'disable', 'enable', 'reset-link'];

/** Account administration from the shell, e.g. making the first admin. Returns the line to print. */
export async function runUsersCommand(
  ctx: Pick<AppContext, 'db' | 'clock' | 'bus' | 'config'>,
  args: readonly string[],
): Promise<string> {
  const [command, email] = args;
  const known = COMMANDS.find((c) => c === command);
  if (known === undefined || email === undefined) throw new Error(USAGE);
  const user = await findUserByEmail(ctx.db, normalizeEmail(email));
  if (user === undefined) throw new Error(`No user with the email ${email}`);
  switch (known) {
    case 'promote':
      await setUserRole(ctx, user.id, 'admin');
      return `${user.email} is now an admin`;
    case 'demote':
      await setUserRole(ctx, user.id, 'user');
      return `${user.email} is no longer an admin`;
    case 'disable':
      await setUserDisabled(ctx, user.id, true);
      return `${user.email} is disabled and signed out everywhere`;
    case 'enable':
      await setUserDisabled(ctx, user.id, false);
      return `${user.email} is enabled`;
    case 'reset-link': {
      const created = await createResetLink(ctx, user.email);
      if (created === undefined) throw new Error(`${user.email} is disabled: enable the account first`);
      return `Link for ${created.email} (works once, for ${RESET_LINK_MINUTES} minutes): ${created.link}`;
    }
  }
}

async function main(): Promise<void> {
  const result = loadConfig(readEnvironment());
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`codechicks: ${error}\n`);
    process.exit(1);
  }
  const database = await openDatabase(result.config.databaseUrl);
  try {
    // A local bus reaches no server: a running server notices disabled users at its next heartbeat (30 s).
    const ctx = { db: database.db, clock: systemClock, bus: createLocalBus(), config: result.config };
    process.stdout.write(`${await runUsersCommand(ctx, process.argv.slice(2))}\n`);
  } catch (error) {
    process.stderr.write(`codechicks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
