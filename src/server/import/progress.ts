import type { ImportProgress } from './import.service.js';

interface Out {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const TTY_EVERY_MS = 100;
const PIPE_EVERY_MS = 2_000;
const BAR_WIDTH = 24;

/**
 * Progress on stderr: on a terminal a bar with the rate and the time left, redrawn in place;
 * piped, a running count line every two seconds. `done()` ends the last phase's line.
 */
export function createProgressRenderer(out: Out, now: () => number = Date.now) {
  let phase: ImportProgress['phase'] | null = null;
  let phaseStart = 0;
  let lastDraw = 0;
  let last: ImportProgress | null = null;

  const finishPhase = () => {
    if (last === null || phase === null) return;
    if (out.isTTY) out.write(`\r${line(last, now() - phaseStart, true)}\x1b[K\n`);
    else if (phase !== 'writing') out.write(`${phase}: ${format(last.documents)} documents read\n`);
  };

  return {
    update(progress: ImportProgress): void {
      const t = now();
      if (progress.phase !== phase) {
        finishPhase();
        phase = progress.phase;
        phaseStart = t;
        lastDraw = 0;
        if (phase === 'writing') out.write('writing the messages in time order…\n');
      }
      last = progress;
      if (phase === 'writing') return;
      if (t - lastDraw < (out.isTTY ? TTY_EVERY_MS : PIPE_EVERY_MS)) return;
      lastDraw = t;
      if (out.isTTY) out.write(`\r${line(progress, t - phaseStart, false)}\x1b[K`);
      else out.write(`${progress.phase}: ${format(progress.documents)} documents read\n`);
    },
    done(): void {
      if (phase !== 'writing') finishPhase();
      phase = null;
      last = null;
    },
  };
}

/** `users [#######.........]  41%  12,000 docs  3,100/s  ETA 0:07` */
export function line(p: ImportProgress, elapsedMs: number, finished: boolean): string {
  const fraction = finished ? 1 : p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = p.documents / seconds;
  const left = fraction > 0 && !finished ? (seconds / fraction) * (1 - fraction) : 0;
  const eta = finished ? `done in ${clock(seconds)}` : `ETA ${fraction > 0 ? clock(left) : '?'}`;
  return `${p.phase.padEnd(8)} ${bar} ${String(Math.round(fraction * 100)).padStart(3)}%  ${format(p.documents)} docs  ${format(Math.round(rate))}/s  ${eta}`;
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}
