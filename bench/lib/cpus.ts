import { execFileSync } from 'node:child_process';
import os from 'node:os';

let available: boolean | undefined;

/** taskset (util-linux) is there and the machine has two CPUs or more: server and load can be apart. */
export function canPin(): boolean {
  if (available === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      available = os.cpus().length >= 2;
    } catch {
      available = false;
    }
  }
  return available;
}

/** Pins every thread of the process to one CPU; the CPU, or undefined where that cannot be done. */
export function pin(pid: number, cpu: number): number | undefined {
  if (!canPin() || pid === 0) return undefined;
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  return cpu;
}

/** Lets the process run on every CPU again. */
export function unpin(pid: number): void {
  if (!canPin() || pid === 0) return;
  execFileSync('taskset', ['-a', '-cp', `0-${os.cpus().length - 1}`, String(pid)], { stdio: 'ignore' });
}

/** The server's CPU and the load generators' CPU of the method in bench/README.md. */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;
