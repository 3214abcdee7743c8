/**
 * The `phalanet` CLI: the composition root (ARCHITECTURE.md §2). Commands register themselves
 * in `commands/`; this file owns the conventions every command follows: `--help`, `--version`,
 * `--debug`, one-line errors on stderr, exit codes 0/1/2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { runSimulation } from '../../simulations/run/runSimulation';
import { initCrypto } from '../crypto/initCrypto';
import { type CommandDeps, registerCommands } from './commands';
import { ExitCode, exitCodeOf, oneLine } from './errors';
import { exitQuietlyWhenStdoutCloses } from './output';

function packageVersion(): string {
  // dist/infra/cli/main.js and infra/cli/main.ts are both three levels below the package root.
  for (const rel of ['../../..', '../..']) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(__dirname, rel, 'package.json'), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'phalanet' && 'version' in pkg) {
        return String(pkg.version);
      }
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

/**
 * Builds the program; `exitOverride` turns commander's own exits into exceptions we map. `deps`
 * are the ports commands need (the real simulation driver unless a test gives another).
 */
export function buildProgram(deps: CommandDeps = { runSimulation }): Command {
  const program = new Command('phalanet')
    .description(
      'Phala Network as an event-sourced actor system: simulate a network, replay its ledger, deploy an actor cluster, query projections.',
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeErr: (str) => process.stderr.write(str),
      writeOut: (str) => process.stdout.write(str),
      // commander's own usage errors read like ours: `phalanet: …`
      outputError: (str, write) => write(str.replace(/^error: /, 'phalanet: ')),
    });
  registerCommands(program, deps);
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`) and resolves to the exit code. */
export async function main(argv: readonly string[], deps?: CommandDeps): Promise<number> {
  exitQuietlyWhenStdoutCloses();
  const program = buildProgram(deps);
  if (argv.length <= 2) {
    program.outputHelp();
    return ExitCode.ok;
  }
  return runProgram(program, argv, { init: initCrypto });
}

/** How `runProgram` starts and where its one-line errors go. */
export interface RunProgramOptions {
  /** awaited before parsing (the crypto wasm), inside the error mapping */
  readonly init?: () => Promise<void>;
  readonly writeErr?: (text: string) => void;
}

/**
 * Parses and runs `argv` on a built program and maps the outcome to an exit code: errors become
 * one line on stderr (the stack only with `--debug`). Tests run single commands through it.
 */
export async function runProgram(program: Command, argv: readonly string[], options: RunProgramOptions = {}): Promise<number> {
  const debug = argv.includes('--debug');
  const writeErr = options.writeErr ?? ((text: string) => process.stderr.write(text));
  try {
    await options.init?.();
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are successful exits; everything else commander reports is bad usage
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return ExitCode.ok;
      }
      return ExitCode.usage; // commander already printed its one-line message
    }
    writeErr(`phalanet: ${oneLine(error)}\n`);
    if (debug && error instanceof Error && error.stack) writeErr(`${error.stack}\n`);
    else if (exitCodeOf(error) !== ExitCode.usage && !(error instanceof Error && 'exitCode' in error)) {
      writeErr('(run with --debug for the stack trace)\n');
    }
    return exitCodeOf(error);
  }
}
