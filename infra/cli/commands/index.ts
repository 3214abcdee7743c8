/**
 * Every CLI command, registered on the program. Each command file exports one `register*`
 * function; keep this list in the order `--help` should show them.
 */
import type { Command } from 'commander';
import type { RunSimulation } from '../../../simulations/run/api';
import { registerCluster } from './cluster';
import { registerNodeCommand } from './node';
import { registerQuery } from './query';
import { registerReplay } from './replay';
import { registerServe } from './serve';
import { registerSimulate } from './simulate';
import { registerStore } from './store';

/** What the commands are given by the composition root. */
export interface CommandDeps {
  /** the simulation driver `simulate` runs */
  readonly runSimulation: RunSimulation;
}

/** Registers every command on `program`, with what the composition root hands over. */
export function registerCommands(program: Command, deps: CommandDeps): void {
  registerSimulate(program, { runSimulation: deps.runSimulation });
  registerReplay(program);
  registerQuery(program);
  registerServe(program);
  registerStore(program);
  registerNodeCommand(program);
  registerCluster(program);
}
