/** What an import did, for the lines printed at its end. Lists keep their first entries only. */
export interface ImportReport {
  dryRun: boolean;
  users: {
    read: number;
    imported: number;
    alreadyThere: number;
    withoutPassword: number;
    merged: Listed<{ email: string; reason: string }>;
    renamed: Listed<{ email: string; username: string; reason: string }>;
    cleared: Listed<{ email: string; fields: string[] }>;
  };
  messages: {
    read: number;
    imported: number;
    alreadyThere: number;
    deleted: number;
    replies: number;
    empty: number;
    unknownSenders: { email: string; count: number }[];
    unknownSenderMessages: number;
  };
}

export interface Listed<T> {
  count: number;
  items: T[];
}

const LISTED_AT_MOST = 50;

export function emptyReport(dryRun: boolean): ImportReport {
  const list = () => ({ count: 0, items: [] });
  return {
    dryRun,
    users: {
      read: 0,
      imported: 0,
      alreadyThere: 0,
      withoutPassword: 0,
      merged: list(),
      renamed: list(),
      cleared: list(),
    },
    messages: {
      read: 0,
      imported: 0,
      alreadyThere: 0,
      deleted: 0,
      replies: 0,
      empty: 0,
      unknownSenders: [],
      unknownSenderMessages: 0,
    },
  };
}

/** Adds an entry, keeping only the first ones so a huge import's report stays small. */
export function listed<T>(list: Listed<T>, item: T): void {
  list.count++;
  if (list.items.length < LISTED_AT_MOST) list.items.push(item);
}

export function formatReport(report: ImportReport): string[] {
  const { users, messages } = report;
  const lines: string[] = [];
  const verb = report.dryRun ? 'would be imported' : 'imported';
  if (users.imported === 0 && messages.imported === 0 && users.merged.count === 0) {
    lines.push(
      `Nothing to add: ${users.alreadyThere} users and ${messages.alreadyThere} messages were imported before.`,
    );
  } else {
    lines.push(
      `Users: ${users.imported} ${verb} (${users.withoutPassword} without a password: they get in by password recovery)` +
        `, ${users.alreadyThere} already there, ${users.merged.count} merged, ${users.renamed.count} renamed.`,
    );
    lines.push(
      `Messages: ${messages.imported} ${verb} (${messages.deleted} deleted there, kept as deleted; ${messages.replies} replies)` +
        `, ${messages.alreadyThere} already there, ${messages.unknownSenderMessages} skipped (unknown sender)` +
        `, ${messages.empty} skipped (empty).`,
    );
  }
  for (const m of users.merged.items) lines.push(`  merged ${m.email}: ${m.reason}`);
  for (const r of users.renamed.items) lines.push(`  renamed ${r.email} to ${r.username}: ${r.reason}`);
  for (const c of users.cleared.items) lines.push(`  cleared ${c.fields.join(', ')} of ${c.email}: not valid here`);
  for (const s of messages.unknownSenders) lines.push(`  skipped ${s.count} messages of ${s.email}: no such user`);
  const more = (shown: number, count: number, what: string) =>
    count > shown ? [`  … and ${count - shown} more ${what}`] : [];
  lines.push(...more(users.merged.items.length, users.merged.count, 'merged'));
  lines.push(...more(users.renamed.items.length, users.renamed.count, 'renamed'));
  if (report.dryRun) lines.push('Dry run: nothing was written.');
  return lines;
}
