/**
 * Output helpers: data goes to stdout as exactly one JSON object with `--json`; progress and logs
 * go to stderr. Bigints are written as decimal strings.
 */

/** JSON.stringify with bigints as decimal strings and Uint8Arrays as 0x hex. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString(10);
      if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
      return v;
    },
    indent,
  );
}

export interface Output {
  /** one JSON object on stdout (with `--json`) */
  json(value: unknown): void;
  /** human-readable text on stdout */
  text(line: string): void;
  /** progress and diagnostics on stderr */
  info(line: string): void;
}

/** The process's output, or a capturing one in tests. */
export function processOutput(): Output {
  return {
    json: (value) => process.stdout.write(`${toJson(value, 2)}\n`),
    text: (line) => process.stdout.write(`${line}\n`),
    info: (line) => process.stderr.write(`${line}\n`),
  };
}
