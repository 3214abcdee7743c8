/**
 * The `--out` directory of `phalanet simulate`: refuse one that is not empty (unless `--force`),
 * and with `--force` remove only the files a previous run writes — anything else in the directory
 * makes the command refuse, so a mistyped `--out ~ --force` never deletes a user's files. Files
 * are written atomically (temporary file + rename): a crash never leaves half a `summary.json`.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesSink } from '../../../simulations/report/series';
import { oneLine, UsageError } from '../errors';

/** What a run writes in `--out`. */
export const OUT_FILES = {
  summary: 'summary.json',
  series: 'series.csv',
  report: 'report.html',
  resolvedScenario: 'scenario.resolved.json',
  ledger: 'ledger.db',
} as const;

/** the ledger's SQLite companions and the projection store that `query`/`replay` put beside it */
const LEDGER_COMPANIONS = ['-wal', '-shm', '-journal', '.projections.db', '.projections.db-wal', '.projections.db-shm', '.projections.db-journal'];

/** True for a file name a previous run (or a crashed one) may have left in `--out`. */
export function isRunFile(name: string): boolean {
  const written: string[] = Object.values(OUT_FILES);
  if (written.includes(name)) return true;
  if (LEDGER_COMPANIONS.some((suffix) => name === `${OUT_FILES.ledger}${suffix}`)) return true;
  // temporary files of an atomic write interrupted by a crash
  return written.some((f) => new RegExp(`^${f.replaceAll('.', '\\.')}\\.tmp-\\d+$`).test(name));
}

/** The `code` of a Node.js system error (`ENOENT`, …), if `error` is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** What is in `--out` now: nothing (absent or empty), or its entries. */
function entriesOf(path: string, shown: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw new UsageError(`simulate: --out ${shown}: ${oneLine(error)}; choose another directory`);
  }
  if (!isDirectory) throw new UsageError(`simulate: --out ${shown} is a file, not a directory; choose another --out`);
  return readdirSync(path).sort();
}

/**
 * Checks `--out` without touching it: an absent or empty directory is fine; a non-empty one needs
 * `force`, and then may hold only files a run writes. Returns the files `prepareOutDir` removes.
 */
export function checkOutDir(path: string, shown: string, force: boolean): readonly string[] {
  const entries = entriesOf(path, shown);
  if (entries.length === 0) return [];
  if (!force) {
    throw new UsageError(`simulate: --out ${shown} is not empty (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose another --out or pass --force to replace the previous run`);
  }
  const foreign = entries.filter((name) => !isRunFile(name) || !statSync(join(path, name)).isFile());
  if (foreign.length > 0) {
    throw new UsageError(
      `simulate: --out ${shown} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which no run writes; --force replaces only a previous run's files: move them or choose another --out`,
    );
  }
  return entries;
}

/** Creates `--out` (and its parents) and removes the previous run's files `checkOutDir` listed. */
export function prepareOutDir(path: string, previousRunFiles: readonly string[]): void {
  mkdirSync(path, { recursive: true });
  for (const name of previousRunFiles) unlinkSync(join(path, name));
}

/** Writes `text` to `path` atomically: a reader sees the old file, no file, or all of the new one. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** A buffered file sink for the series writer: rows reach the disk in ~64 KB chunks. */
export function fileSink(path: string): SeriesSink {
  const fd = openSync(path, 'w');
  let buffer: string[] = [];
  let size = 0;
  let open = true;
  const flush = () => {
    if (size > 0) writeSync(fd, buffer.join(''));
    buffer = [];
    size = 0;
  };
  return {
    write(chunk) {
      if (!open) throw new Error(`series sink ${path}: write after close`);
      buffer.push(chunk);
      size += chunk.length;
      if (size >= 65_536) flush();
    },
    close() {
      if (!open) return;
      open = false;
      try {
        flush();
      } finally {
        closeSync(fd);
      }
    },
  };
}
