/**
 * CLI exit codes and the errors that map to them (issue 2 "CLI conventions"):
 * 0 success; 1 the command ran and found a problem; 2 the user's input is wrong.
 */
export const ExitCode = { ok: 0, problem: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The user's input is wrong: unknown flag, bad value, missing or invalid file, bad URL. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran and found a problem: failed check, mismatch, corrupt store. Exit 1. */
export class ProblemError extends Error {
  readonly exitCode = ExitCode.problem;
  constructor(message: string) {
    super(message);
    this.name = 'ProblemError';
  }
}

/** The exit code an error maps to; anything unexpected is a problem (1). */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage;
  return ExitCode.problem;
}

/** One line for stderr: the message without a stack, folded to a single line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
