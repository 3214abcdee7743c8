import { assertEconomicsBlock } from './messageValidation';
import type { EconomicsBlock, WorkingInfoUpdate } from './messages';

type BlockStep = (block: EconomicsBlock) => WorkingInfoUpdate | undefined;

/**
 * Wraps an engine's block step with gk.rs's failure semantics, shared by every engine: input is
 * validated (and block numbers must increase) before anything changes, and a throw while
 * processing — a poisoned heartbeat, an overflow — is a Rust panic: the engine refuses every later
 * block, naming the first failure.
 */
export function panickingStep(run: BlockStep, after?: number): BlockStep & { readonly lastBlock: () => number | undefined } {
  let lastBlock: number | undefined = after;
  let poisoned: unknown;
  const step = (block: EconomicsBlock): WorkingInfoUpdate | undefined => {
    if (poisoned !== undefined) {
      const why = poisoned instanceof Error ? poisoned.message : String(poisoned);
      throw new Error(`economics engine halted after an earlier failure: ${why}`, { cause: poisoned });
    }
    assertEconomicsBlock(block, lastBlock);
    lastBlock = block.number;
    try {
      return run(block);
    } catch (error) {
      poisoned = error;
      throw error;
    }
  };
  return Object.assign(step, { lastBlock: () => lastBlock });
}
