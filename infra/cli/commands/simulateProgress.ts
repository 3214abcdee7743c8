/**
 * Progress of `phalanet simulate` on stderr: a bar with ETA on a terminal, a plain line every 5 %
 * of the blocks otherwise (logs, CI), nothing with `--quiet`. The driver's notes (a gatekeeper
 * joined, a fault switched on) are lines of their own, also silenced by `--quiet`.
 */
import { SingleBar } from 'cli-progress';
import type { SimulationProgress } from '../../../simulations/run/api';
import type { Output } from '../output';

/** Where the bar is drawn: stderr, or a fake terminal in tests. */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** What the command feeds the reporter while the run goes. */
export interface RunProgress {
  progress(p: SimulationProgress): void;
  note(block: number, line: string): void;
  /** ends the bar (idempotent); call it before printing anything else */
  stop(): void;
}

/** How the reporter shows progress. */
export interface ProgressOptions {
  readonly quiet: boolean;
  readonly stream: ProgressStream;
  readonly out: Output;
  /** milliseconds, monotonic (elapsed and remaining time of plain lines) */
  readonly now: () => number;
}

/** Plain lines: one every 5 % of the run (at least every block of a short run), and the last block. */
function plainProgress(o: ProgressOptions): RunProgress {
  const started = o.now();
  return {
    progress({ block, totalBlocks }) {
      const step = Math.max(1, Math.ceil(totalBlocks / 20));
      if (block % step !== 0 && block !== totalBlocks) return;
      const elapsedMs = o.now() - started;
      const leftMs = block === 0 ? 0 : (elapsedMs / block) * (totalBlocks - block);
      const percent = totalBlocks === 0 ? 100 : Math.floor((block / totalBlocks) * 100);
      o.out.info(`simulate: block ${block}/${totalBlocks} (${percent}%), ${seconds(elapsedMs)} elapsed, about ${seconds(leftMs)} left`);
    },
    note: (block, line) => o.out.info(`simulate: block ${block}: ${line}`),
    stop: () => undefined,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The terminal bar; a note clears the bar's line, prints, and the next update redraws the bar. */
function barProgress(o: ProgressOptions): RunProgress {
  const bar = new SingleBar({
    stream: o.stream as NodeJS.WritableStream,
    format: 'simulate [{bar}] block {value}/{total} | {percentage}% | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 50,
  });
  let started = false;
  let stopped = false;
  return {
    progress({ block, totalBlocks }) {
      if (stopped) return;
      if (!started) {
        bar.start(totalBlocks, 0);
        started = true;
      }
      bar.update(block);
    },
    note(block, line) {
      if (started && !stopped) o.stream.write('\r\x1b[K');
      o.out.info(`simulate: block ${block}: ${line}`);
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

/** The reporter for this run. */
export function createProgress(o: ProgressOptions): RunProgress {
  if (o.quiet) return { progress: () => undefined, note: () => undefined, stop: () => undefined };
  return o.stream.isTTY === true ? barProgress(o) : plainProgress(o);
}
