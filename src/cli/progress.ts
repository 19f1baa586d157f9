/** Progress reporting for long-running commands (a bar for anything over a second). */

/** A stream the progress bar can draw on (process.stderr in real use). */
export interface ProgressSink {
  write(text: string): unknown;
}

/**
 * A text progress bar that stays silent for the first `delayMs` (default 1 s) and then redraws
 * `[#####-----]  50%` in place with a carriage return; `done()` ends the line if anything was drawn.
 */
export function createProgressBar(
  sink: ProgressSink,
  opts: { label?: string; delayMs?: number; width?: number; now?: () => number } = {},
): { update(fraction: number): void; done(): void } {
  const now = opts.now ?? (() => Date.now());
  const start = now();
  const delay = opts.delayMs ?? 1000;
  const width = opts.width ?? 30;
  const label = opts.label ?? '';
  let drawn = false;
  let last = -1;
  return {
    update(fraction: number) {
      if (now() - start < delay) return;
      const f = Math.min(1, Math.max(0, fraction));
      const percent = Math.floor(f * 100);
      if (percent === last) return;
      last = percent;
      const filled = Math.round(f * width);
      sink.write(
        `\r${label}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%`,
      );
      drawn = true;
    },
    done() {
      if (drawn) sink.write('\n');
    },
  };
}
