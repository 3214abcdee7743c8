/**
 * The plain-text table `phalanet query` prints without `--json`: one header line, one line per
 * row, columns padded to their widest cell; nested values are written as compact JSON.
 */
import { toJson } from '../output';

const cell = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : toJson(v));

/** Rows as aligned text lines (the header first); `columns` fixes which keys and in what order. */
export function formatTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): string[] {
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)];
}

/** One record as `key: value` lines, keys padded to the widest. */
export function formatRecord(item: Record<string, unknown>): string[] {
  const keys = Object.keys(item);
  const width = Math.max(...keys.map((k) => k.length));
  return keys.map((k) => `${`${k}:`.padEnd(width + 1)} ${cell(item[k])}`);
}
