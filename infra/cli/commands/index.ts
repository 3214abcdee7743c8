/**
 * Every CLI command, registered on the program. Each command file exports one `register*`
 * function; keep this list in the order `--help` should show them.
 */
import type { Command } from 'commander';
import { registerQuery } from './query';
import { registerReplay } from './replay';
import { registerServe } from './serve';
import { registerStore } from './store';

export function registerCommands(program: Command): void {
  // still to land: simulate (issue 6), node and cluster (issue 8)
  registerReplay(program);
  registerQuery(program);
  registerServe(program);
  registerStore(program);
}
