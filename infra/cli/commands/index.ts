/**
 * Every CLI command, registered on the program. Each command file exports one `register*`
 * function; keep this list in the order `--help` should show them.
 */
import type { Command } from 'commander';
import { registerQuery } from './query';
import { registerStore } from './store';

export function registerCommands(program: Command): void {
  // commands land here as their issues do: simulate, replay, query, serve, node, cluster
  registerStore(program);
  registerQuery(program);
}
