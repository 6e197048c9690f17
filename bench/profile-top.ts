/**
 * `npx tsx bench/profile-top.ts <file.cpuprofile> [count]`: the functions with the most self time
 * in a V8 CPU profile (as `npm run bench -- edge… --profile` writes them), and how much of the
 * sampled time was spent under each of the app's own source files and functions (inclusive).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, countArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: npx tsx bench/profile-top.ts <file.cpuprofile> [count]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const self = new Map<string, number>();
const underFile = new Map<string, number>();
const underFunction = new Map<string, number>();
let total = 0;
const short = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/');
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  total += ms;
  const node = byId.get(id);
  if (node === undefined) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + ms);
  const files = new Set<string>();
  const functions = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame === undefined || !frame.url.includes('/src/')) continue;
    files.add(short(frame.url));
    functions.add(`${frame.functionName || '(anonymous)'} ${short(frame.url)}`);
  }
  for (const f of files) underFile.set(f, (underFile.get(f) ?? 0) + ms);
  for (const f of functions) underFunction.set(f, (underFunction.get(f) ?? 0) + ms);
});

const count = Number(countArg ?? 25);
const pct = (ms: number) => `${((100 * ms) / total).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled\n\nself time:`);
for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(ms)}  ${key}`);
console.log("\nunder the app's files (inclusive):");
for (const [key, ms] of [...underFile].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(ms)}  ${key}`);
console.log("\nunder the app's functions (inclusive):");
for (const [key, ms] of [...underFunction].sort((a, b) => b[1] - a[1]).slice(0, count))
  console.log(`${pct(ms)}  ${key}`);
