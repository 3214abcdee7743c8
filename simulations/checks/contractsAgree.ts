/**
 * "Contracts agree": every worker of a contract cluster replays the same contract commands from
 * the chain, so per block each must emit the same cluster and contract messages, refuse the same
 * commands and give the same answer to every contract's public query. The driver reports one
 * digest per live cluster worker and block (`DriverFacts.clusterDigests`); a block where two
 * workers of one cluster differ fails, naming them. Nothing is kept between blocks.
 */
import type { Checker, DriverFacts } from './api';
import { verdict } from './verdict';

/** The contract-cluster agreement checker. */
export function contractsAgree(): Checker {
  const name = 'contractsAgree';
  const v = verdict(name);
  return {
    name,
    onBlock() {},
    onDriverFacts({ block, clusterDigests }: DriverFacts) {
      const byCluster = new Map<string, { worker: string; digest: string }[]>();
      for (const d of clusterDigests ?? []) byCluster.set(d.cluster, [...(byCluster.get(d.cluster) ?? []), d]);
      for (const [cluster, digests] of byCluster) {
        const first = digests[0]!;
        const other = digests.find((d) => d.digest !== first.digest);
        if (other === undefined) continue;
        v.fail(block, `cluster ${cluster}: ${first.worker} and ${other.worker} disagree on the contracts' egress, refusals or answers (${first.digest} vs ${other.digest})`);
      }
    },
    finish: () => v.result(),
  };
}
