import { pathToFileURL } from 'node:url';
import { changeUser, findAccountByEmail } from './admin/account.commands.js';
import type { AdminDeps } from './admin/admin.service.js';
import type { AdminUserChange } from '../protocol/admin.js';
import { RESET_LINK_MINUTES } from '../protocol/auth.js';
import { createResetLink, type LinkDeps } from './auth/recovery.service.js';
import { createLocalBus } from './bus/local-bus.js';
import { createRedisBus } from './bus/redis-bus.js';
import { openRedis } from './bus/redis-connections.js';
import { loadConfig, readEnvironment, type Config } from './config.js';
import { systemClock } from './context.js';
import { openDatabase } from './db/database.js';

const USAGE = 'usage: npm run users -- <promote|demote|disable|enable|reset-link> <email>';

type Command = 'promote' | 'demote' | 'disable' | 'enable';

/** Each command, the change it asks for and the line it prints. */
const COMMANDS: Record<Command, { change: AdminUserChange; done: string }> = {
  promote: { change: { role: 'admin' }, done: 'is now an admin' },
  demote: { change: { role: 'user' }, done: 'is no longer an admin' },
  disable: { change: { disabled: true }, done: 'is disabled and signed out everywhere' },
  enable: { change: { disabled: false }, done: 'is enabled' },
};

const isCommand = (name: string | undefined): name is Command => name !== undefined && Object.hasOwn(COMMANDS, name);

/**
 * Account administration from the shell, through the same commands as the admin API: the same
 * rules (never the last enabled admin), the same pushes to open pages, an audit row by `cli`.
 * Returns the line to print.
 */
export async function runUsersCommand(
  deps: AdminDeps & Pick<LinkDeps, 'config'>,
  args: readonly string[],
): Promise<string> {
  const [command, email] = args;
  if ((command !== 'reset-link' && !isCommand(command)) || email === undefined) throw new Error(USAGE);
  const account = await findAccountByEmail(deps, email);
  if (account === undefined) throw new Error(`No user with the email ${email}`);
  if (command === 'reset-link') return resetLink(deps, account.email);
  const { change, done } = COMMANDS[command];
  await changeUser(deps, { kind: 'cli' }, account.id, change);
  return `${account.email} ${done}`;
}

/** A password reset link for an administrator to hand over by hand: the same link as the mail's. */
async function resetLink(deps: LinkDeps, email: string): Promise<string> {
  const created = await createResetLink(deps, email);
  if (created === undefined) throw new Error(`${email} is disabled: enable the account first`);
  return `Link for ${created.email} (works once, for ${RESET_LINK_MINUTES} minutes): ${created.link}`;
}

const stderrLog = {
  warn: (...args: unknown[]) => process.stderr.write(`codechicks: ${String(args[args.length - 1])}\n`),
  info: () => undefined,
};

/** With REDIS_URL, changes reach open pages at once; without, a server notices them at its next heartbeat (30 s). */
async function openBus(config: Pick<Config, 'redisUrl'>) {
  if (config.redisUrl === null) return createLocalBus();
  const redis = openRedis(config.redisUrl);
  if (!(await redis.ready(3_000))) stderrLog.warn('Redis unreachable: open pages see the change within 30 s');
  return createRedisBus(redis, stderrLog);
}

async function main(): Promise<void> {
  const result = loadConfig(readEnvironment());
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`codechicks: ${error}\n`);
    process.exit(1);
  }
  const database = await openDatabase(result.config.databaseUrl);
  const bus = await openBus(result.config);
  try {
    const deps = { db: database.db, clock: systemClock, bus, config: result.config };
    process.stdout.write(`${await runUsersCommand(deps, process.argv.slice(2))}\n`);
  } catch (error) {
    process.stderr.write(`codechicks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await bus.close();
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
