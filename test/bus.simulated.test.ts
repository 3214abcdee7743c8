import { virtualScheduler } from '../simulations/scheduler';
import { seededRandom } from '../simulations/seededRandom';
import { simulatedBus } from '../simulations/network/simulatedBus';
import { busContract } from './bus.contract';

/** the simulated network, faults off, with latency jitter so that timing varies */
async function harness(seed: number) {
  const root = seededRandom(seed, 'bus-contract');
  const scheduler = virtualScheduler({ random: root.fork('scheduler'), startMs: 1_000_000 });
  const bus = simulatedBus({ scheduler, random: root.fork('network'), latency: { baseMs: 2, jitterMs: 8 } });
  return {
    bus,
    advance: async (ms: number) => {
      await scheduler.runUntil(scheduler.now() + ms);
    },
    settle: async () => {
      await scheduler.runUntil(scheduler.now());
    },
  };
}

busContract('simulated network (seed 1)', () => harness(1));
busContract('simulated network (seed 2)', () => harness(2));
