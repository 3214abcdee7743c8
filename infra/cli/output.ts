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

let closedStdoutHandled = false;

/**
 * `phalanet query … | head -1`: when the reader closes the pipe, the next write fails with EPIPE,
 * emitted as an `error` event that would crash the process with a stack trace. A closed stdout
 * means nobody wants the rest: exit 0 at once, quietly, as Unix tools do on SIGPIPE. Any other
 * stdout error is rethrown. The listener is installed once per process (the CLI's `main`).
 */
export function exitQuietlyWhenStdoutCloses(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (c) => process.exit(c)): void {
  if (stream === process.stdout) {
    if (closedStdoutHandled) return;
    closedStdoutHandled = true;
  }
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') exit(0);
    else throw error;
  });
}
