/** The `workload` and `faults` sections: rates per block and what goes wrong, when. */
import * as t from 'io-ts';
import { oneKeyOf, refine, strict } from './combinators';
import { Name, NonNegative, NonNegativeInt, PositiveInt, Probability, Text } from './values.codec';

/** The `workload` section: mean events per block (Poisson), all default 0 */
export const WorkloadSection = strict(
  'workload',
  {},
  { contributionsPerBlock: NonNegative, withdrawalsPerBlock: NonNegative, contractCommandsPerBlock: NonNegative, contractQueriesPerBlock: NonNegative },
  {
    contributionsPerBlock: 'stake-pool contributions per block, mean (default 0)',
    withdrawalsPerBlock: 'stake-pool withdrawal requests per block, mean (default 0)',
    contractCommandsPerBlock: 'encrypted contract commands per block, mean (default 0)',
    contractQueriesPerBlock: 'contract queries per block, mean (default 0)',
  },
);

function window<C extends t.Mixed>(codec: C) {
  return refine<C, { readonly BlockWindow: unique symbol }>(
    codec,
    'a window with fromBlock < untilBlock',
    (w: { fromBlock: number; untilBlock: number }) =>
      w.fromBlock < w.untilBlock ? undefined : `fromBlock (${w.fromBlock}) must be before untilBlock (${w.untilBlock}); the cut heals at untilBlock`,
    {},
  );
}

const nodes = t.array(Text, 'a list of node ids');
const blockDocs = { fromBlock: 'first block of the cut', untilBlock: 'block at which the cut heals' };

/** A network partition, in blocks */
export const NetworkCut = oneKeyOf(
  'a network cut',
  {
    isolate: window(strict('an isolating cut', { nodes, fromBlock: NonNegativeInt, untilBlock: NonNegativeInt }, {}, { nodes: 'nodes cut off from the bus', ...blockDocs })),
    split: window(
      strict('a split', { sides: t.tuple([nodes, nodes], 'two lists of node ids'), fromBlock: NonNegativeInt, untilBlock: NonNegativeInt }, {}, { sides: 'the two sides that cannot reach each other', ...blockDocs }),
    ),
  },
  { isolate: 'nodes that cannot reach the bus (messages held, not lost)', split: 'two sides that cannot reach each other' },
);

const delayObject = strict(
  'message delays',
  { probability: Probability, delayMsMin: NonNegativeInt, delayMsMax: NonNegativeInt },
  {},
  { probability: 'chance a delivery is delayed', delayMsMin: 'shortest extra delay, ms', delayMsMax: 'longest extra delay, ms' },
);

/** Faults of the simulated network (`simulations/network/faults.ts`) */
export const NetworkFaults = strict(
  'network faults',
  {},
  {
    drop: strict('message drops', { probability: Probability }, {}, { probability: 'chance an accepted message is lost' }),
    duplicate: strict('duplicates', { probability: Probability, delayMsMax: NonNegativeInt }, {}, { probability: 'chance a message is appended twice', delayMsMax: 'latest the copy comes, ms' }),
    reorder: strict('reordering', { windowMs: NonNegativeInt }, {}, { windowMs: 'messages published less than this apart may swap, ms' }),
    delay: refine<typeof delayObject, { readonly Delay: unique symbol }>(
      delayObject,
      'delays with delayMsMin ≤ delayMsMax',
      (d) => (d.delayMsMin <= d.delayMsMax ? undefined : `delayMsMin (${d.delayMsMin}) must not exceed delayMsMax (${d.delayMsMax}); swap them`),
      {},
    ),
    cuts: t.array(NetworkCut, 'a list of network cuts'),
  },
  { drop: 'lost messages', duplicate: 'duplicated messages', reorder: 'reordered messages', delay: 'delayed deliveries', cuts: 'network partitions' },
);

const workerFaultDocs = { workerGroup: 'group the workers come from', count: 'how many workers of the group', atBlock: 'block at which it happens' };

/** The `faults` section */
export const FaultsSection = strict(
  'faults',
  {},
  {
    network: NetworkFaults,
    workerCrashes: t.array(
      strict('a worker crash', { workerGroup: Name, count: PositiveInt, atBlock: NonNegativeInt }, { restartAfterBlocks: NonNegativeInt }, { ...workerFaultDocs, restartAfterBlocks: 'restart from sealed state this many blocks later (default: never)' }),
      'a list of worker crashes',
    ),
    unresponsiveWorkers: t.array(
      strict('unresponsive workers', { workerGroup: Name, count: PositiveInt, atBlock: NonNegativeInt }, { forBlocks: PositiveInt }, { ...workerFaultDocs, forBlocks: 'blocks without answering heartbeats before recovering (default: for good)' }),
      'a list of unresponsive spells',
    ),
    gatekeeperCrashes: t.array(
      strict('a gatekeeper crash', { gatekeeper: NonNegativeInt, atBlock: NonNegativeInt }, { rejoinAfterBlocks: NonNegativeInt }, { gatekeeper: 'index of the gatekeeper, 0 = the first', atBlock: 'block at which it crashes', rejoinAfterBlocks: 'rejoin this many blocks later (default: never)' }),
      'a list of gatekeeper crashes',
    ),
    forgedMessagesPerBlock: NonNegative,
    replayedMessagesPerBlock: NonNegative,
    malformedMessagesPerBlock: NonNegative,
  },
  {
    network: 'network faults (default none)',
    workerCrashes: 'worker processes that crash and restart from sealed state',
    unresponsiveWorkers: 'workers that stop answering heartbeats for a while',
    gatekeeperCrashes: 'gatekeepers that crash and rejoin',
    forgedMessagesPerBlock: 'messages with a forged signature per block, mean (default 0)',
    replayedMessagesPerBlock: 'replays of earlier signed messages per block, mean (default 0)',
    malformedMessagesPerBlock: 'undecodable messages per block, mean (default 0)',
  },
);
/** The decoded `faults` section */
export type FaultsSection = t.TypeOf<typeof FaultsSection>;
