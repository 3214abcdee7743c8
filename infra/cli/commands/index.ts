/**
 * Every CLI command, registered on the program. Each command file exports one `register*`
 * function; keep this list in the order `--help` should show them.
 */
import type { Command } from 'commander';

export function registerCommands(_program: Command): void {
  // commands land here as their issues do: simulate, replay, query, serve, node, cluster, store
}
