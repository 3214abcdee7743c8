/**
 * "All gatekeepers agree": every live gatekeeper replays the same chain with the same economics,
 * so its egress for a block (the hash the driver takes over its signed messages' payloads) must
 * be the same as every other gatekeeper's. The driver reports the digests per block
 * (`DriverFacts.gatekeeperDigests`); a block where they differ fails, naming the gatekeepers that
 * left the majority. Nothing is kept between blocks.
 */
import type { Checker, DriverFacts } from './api';
import { verdict } from './verdict';

/** The digest most gatekeepers reported (ties: the smallest digest, so the verdict is deterministic). */
function majority(digests: DriverFacts['gatekeeperDigests']): string {
  const counts = new Map<string, number>();
  for (const d of digests) counts.set(d.digest, (counts.get(d.digest) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))[0]![0];
}

/** The gatekeeper agreement checker. */
export function gatekeepersAgree(): Checker {
  const name = 'gatekeepersAgree';
  const v = verdict(name);
  return {
    name,
    onBlock() {},
    onDriverFacts({ block, gatekeeperDigests }: DriverFacts) {
      if (gatekeeperDigests.length < 2) return;
      const agreed = majority(gatekeeperDigests);
      const dissent = gatekeeperDigests.filter((d) => d.digest !== agreed);
      if (dissent.length === 0) return;
      const agreeing = gatekeeperDigests.length - dissent.length;
      const who = dissent.map((d) => `${d.gatekeeper} reported ${d.digest}`).join(', ');
      v.fail(block, `${dissent.length} of ${gatekeeperDigests.length} gatekeepers disagree with the ${agreeing} that reported ${agreed}: ${who}`);
    },
    finish: () => v.result(),
  };
}
