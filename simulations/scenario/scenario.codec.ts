/**
 * The scenario file format (ARCHITECTURE.md §8): one strict codec per section, every field
 * described. `scenario.schema.json` is generated from these codecs.
 */
import type * as t from 'io-ts';
import { ChainSection } from './chain.codec';
import { strict } from './combinators';
import { FaultsSection, WorkloadSection } from './faults.codec';
import { TopologySection } from './topology.codec';
import { PositiveInt, Text } from './values.codec';

/** A whole scenario file */
export const Scenario = strict(
  'a scenario',
  { name: Text, durationBlocks: PositiveInt, topology: TopologySection },
  { description: Text, chain: ChainSection, workload: WorkloadSection, faults: FaultsSection },
  {
    name: 'short name of the scenario, printed first by the run',
    durationBlocks: 'blocks to produce (the CLI’s --blocks overrides it)',
    topology: 'gatekeepers, worker groups, pools, clusters and clients',
    description: 'what the scenario exercises',
    chain: 'chain-spec overrides (default: Phala’s code defaults)',
    workload: 'rates of user activity per block (default: none)',
    faults: 'faults to inject (default: none)',
  },
);
/** A decoded scenario */
export type Scenario = t.TypeOf<typeof Scenario>;
