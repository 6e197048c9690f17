/**
 * `tsx bench/python-export.ts --users=100000 --messages=1000000 --out=DIR [--canonical] [--json-array]`
 *
 * Writes a Python installation's `mongoexport` of `users` and `messages` (deterministic), as a
 * stream, so any size fits in memory. Every user has the passlib hash of `password` (one hash:
 * 29000 rounds per user would take longer than the import).
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { exportDocument, objectId, passlibHash, type Mode } from '../test/helpers/mongoexport.js';

export interface ExportSize {
  users: number;
  messages: number;
  mode: Mode;
  jsonArray: boolean;
}

const START = Date.UTC(2025, 0, 1);

export async function writePythonExport(dir: string, size: ExportSize): Promise<{ users: string; messages: string }> {
  mkdirSync(dir, { recursive: true });
  const files = { users: path.join(dir, 'users.json'), messages: path.join(dir, 'messages.json') };
  const hash = passlibHash('password', Buffer.alloc(16, 7));
  await writeDocuments(files.users, size.users, size, (i) => ({
    _id: objectId(i),
    email: `member${i}@example.com`,
    hashed_password: i % 20 === 0 ? null : hash,
    disabled: false,
    username: i % 50 === 0 ? null : `member${i}`,
    display_name: `Member ${i}`,
    age: 18 + (i % 50),
    bio: 'Writes code, drinks tea.',
    avatar_url: null,
    profile_complete: true,
    created_at: new Date(START + i * 60_000),
    updated_at: null,
    role: i === 0 ? 'admin' : 'user',
    provider: i % 20 === 0 ? 'google' : 'local',
  }));
  await writeDocuments(files.messages, size.messages, size, (i) => ({
    _id: objectId(10_000_000 + i),
    sender_id: `member${(i * 7919) % size.users}@example.com`,
    sender_name: 'ignored',
    content: `Message number ${i}: the usual chatter about builds, tests and lunch.`,
    // Not quite in file order, as a busy chat's writes are not.
    timestamp: new Date(START + i * 1_000 + ((i * 37) % 5) * 300),
    room_id: 'global',
    message_type: 'text',
    is_deleted: i % 100 === 0,
    reply_to_id: i % 10 === 5 ? objectId(10_000_000 + i - 3).hex : null,
    reply_to_username: null,
    reply_to_content: null,
  }));
  return files;
}

async function writeDocuments(
  file: string,
  count: number,
  size: ExportSize,
  make: (i: number) => Parameters<typeof exportDocument>[0],
): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (size.jsonArray) await write('[');
  for (let i = 0; i < count; i++) {
    const doc = exportDocument(make(i), size.mode);
    await write(size.jsonArray ? (i === 0 ? doc : `,${doc}`) : `${doc}\n`);
  }
  if (size.jsonArray) await write(']');
  out.end();
  await once(out, 'finish');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '100000' },
      messages: { type: 'string', default: '1000000' },
      out: { type: 'string', default: 'bench/results/python-export' },
      canonical: { type: 'boolean', default: false },
      'json-array': { type: 'boolean', default: false },
    },
  });
  const files = await writePythonExport(values.out, {
    users: Number(values.users),
    messages: Number(values.messages),
    mode: values.canonical ? 'canonical' : 'relaxed',
    jsonArray: values['json-array'],
  });
  console.log(`wrote ${files.users} and ${files.messages}`);
}
