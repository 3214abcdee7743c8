/**
 * The cluster side of the worker hosts a scenario's clusters use: each such worker's pRuntime gets
 * a cluster runtime (`enclave/pruntime/clusterRuntime.ts`), fed every verified block right after
 * the worker group processed it, as Phala's pRuntime handles a block's system and cluster
 * messages together. pherry relays the `Cluster(id)` and `Contract(id)` channels with one relayer
 * account per (host, origin), so each relayer's extrinsic nonce pairs with one channel's sequence
 * (`relay.ts`); the `Worker` channel (cluster reports included) goes with the host's usual relay.
 *
 * For the `contractsAgree` check each worker reports a digest per block: the relayer-independent
 * part of its cluster and contract egress, its refusals, and its answers to each contract's public
 * query on the state after the block. Workers of one cluster replay the same commands, so the
 * digests must match; `Worker(pk)` egress is left out (it names the worker by design). The answers
 * of a contract are compared in the blocks that carried a command to it or a cluster operation.
 */
import * as E from 'fp-ts/Either';
import { nextIngressSequence } from '../../domain/chain/pallets/mq.pallet';
import { fromHex, toHex } from '../../domain/codec/hex';
import { type MessageOrigin, originKey } from '../../domain/codec/mq.codec';
import { blake2_256 } from '../../domain/crypto/hashing';
import type { Random } from '../../domain/ports/random';
import { type ContractClient, createContractClient } from '../../enclave/contracts/contractClient';
import { codeHashOf } from '../../enclave/contracts/programRegistry';
import { shippedProgramRegistry } from '../../enclave/contracts/programs';
import type { VerifiedBlockView } from '../../enclave/pruntime/blockView';
import { decodeClusterInbound } from '../../enclave/pruntime/clusterInbound';
import { type ClusterBlockOutput, type ClusterRuntime, createClusterRuntime } from '../../enclave/pruntime/clusterRuntime';
import { pendingFrom, purgeChannel } from '../../enclave/pruntime/egressQueue';
import { WORKLOAD_PROGRAMS, type WorkloadProgram } from './clusterPrograms';
import type { WorkerHost } from './hosts';
import type { World } from './simulation';

/** A worker host serving a cluster. */
export interface ClusterHost {
  readonly cluster: string;
  readonly host: WorkerHost;
  /** replaced when the worker restarts from its sealed cluster checkpoint */
  runtime: ClusterRuntime;
  /** left its cluster (destroyed or removed): processes nothing more */
  exited: boolean;
}

/** What the cluster hosts did with one block. */
export interface ClusterSyncFacts {
  /** contract commands the block carried (each counted once, not per worker) */
  readonly commands: number;
  /** commands a contract refused, as the first live worker of each cluster saw them */
  readonly refused: number;
  /** per live cluster worker, its digest of the block (see the file comment) */
  readonly digests: { cluster: string; worker: string; digest: string }[];
}

/** The program of a hosted contract, by code hash. */
export const programByCodeHash: ReadonlyMap<string, WorkloadProgram> = new Map(WORKLOAD_PROGRAMS.map((p) => [toHex(codeHashOf(p.ref.name, p.ref.version)), p]));

/** Takes each cluster's workers from its worker group, in order, never sharing one between clusters. */
export function createClusterHosts(world: World): ClusterHost[] {
  const taken = new Set<WorkerHost>();
  const out: ClusterHost[] = [];
  for (const spec of world.scenario.topology.clusters) {
    const members = world.workers.filter((w) => w.group === spec.workerGroup && !taken.has(w)).slice(0, spec.workers);
    if (members.length < spec.workers) throw new Error(`cluster ${spec.name}: worker group ${spec.workerGroup} has ${members.length} free workers, ${spec.workers} needed — give the group more workers`);
    for (const host of members) {
      taken.add(host);
      const runtime = createClusterRuntime({
        worker: host.runtime,
        registry: shippedProgramRegistry(),
        queryRandom: world.random.fork(`cluster-query/${host.name}`),
        platform: host.platform,
        measurement: world.env.measurement,
      });
      out.push({ cluster: spec.name, host, runtime, exited: false });
    }
  }
  return out;
}

/** Feeds `view` to every live cluster host (after the worker group), tells `onHostBlock` (the contract actors), relays their cluster/contract egress. */
export function syncClusterHosts(
  world: World,
  hosts: readonly ClusterHost[],
  view: VerifiedBlockView,
  auditor: ContractClient,
  onHostBlock?: (h: ClusterHost, out: ClusterBlockOutput) => void,
): ClusterSyncFacts {
  const digests: ClusterSyncFacts['digests'] = [];
  const inbound = view.messages.map((m) => decodeClusterInbound(m.message)).filter((m) => m !== undefined);
  // a contract's state only changes with a command to it (or a cluster/contract operation);
  // auditing answers costs two ECDH per contract and worker, so only those contracts are asked
  const operations = inbound.some((m) => m.kind !== 'command');
  const commanded = new Set(inbound.flatMap((m) => (m.kind === 'command' ? [m.contractIdHex] : [])));
  const audit = (contractId: string) => operations || commanded.has(contractId);
  const firstSeen = new Set<string>();
  let refused = 0;
  for (const h of hosts) {
    if (h.exited || h.host.down) continue;
    const out = h.runtime.processBlock(view);
    onHostBlock?.(h, out);
    if (out.exitRequired) {
      h.exited = true;
      world.note(`${h.host.name} left cluster ${h.cluster} and exits`);
    }
    if (!firstSeen.has(h.cluster)) {
      firstSeen.add(h.cluster);
      refused += out.rejected.filter((r) => r.reason === 'CommandRejected').length;
    }
    digests.push({ cluster: h.cluster, worker: h.host.name, digest: digestOf(out, publicAnswers(h.runtime, auditor, audit)) });
  }
  relayClusterChannels(world, hosts);
  return { commands: inbound.filter((m) => m.kind === 'command').length, refused, digests };
}

/** The answers to the public query of each hosted contract `audit` selects, in contract order (`?` when it got none). */
function publicAnswers(runtime: ClusterRuntime, auditor: ContractClient, audit: (contractId: string) => boolean): string[] {
  return runtime.contracts().filter((c) => audit(c.contractId)).map((c) => {
    const program = programByCodeHash.get(c.codeHash);
    if (program === undefined) return `${c.contractId}:unknown-program`;
    const prepared = auditor.query(runtime.worker.pubkey, fromHex(c.contractId, 'contract id', 32), program.publicQuery, { kind: 'anonymous' });
    const reply = E.chainW(prepared.open)(runtime.query(prepared.request));
    return `${c.contractId}:${E.isRight(reply) ? toHex(reply.right.result) : '?'}`;
  });
}

function digestOf(out: ClusterBlockOutput, answers: readonly string[]): string {
  const parts: string[] = [];
  for (const m of out.egress) {
    if (m.message.sender.tag === 'Worker') continue;
    parts.push(`${originKey(m.message.sender)}/${m.sequence}/${toHex(m.message.destination)}/${toHex(m.message.payload)}`);
  }
  for (const r of out.rejected) parts.push(`${r.reason}:${r.detail}`);
  parts.push(...answers);
  return Buffer.from(blake2_256(new TextEncoder().encode(parts.join('\n')))).toString('hex');
}

/** pherry's relay of the non-`Worker` channels, one relayer per (host, origin); drops what the chain accepted. */
function relayClusterChannels(world: World, hosts: readonly ClusterHost[]): void {
  const nextSeq = (o: MessageOrigin) => nextIngressSequence(world.chain.storage, o);
  for (const h of hosts) {
    if (h.exited || h.host.down || h.host.silent) continue;
    for (const channel of h.runtime.worker.egress.values()) {
      if (channel.origin.tag === 'Worker') continue;
      const next = nextSeq(channel.origin);
      purgeChannel(channel, next);
      const key = `${h.host.name}/${channel.originHex}`;
      world.relay(h.host.name, key, pendingFrom(channel, next), next, world.account(`relayer/${key}`));
    }
  }
}

/** The client whose anonymous queries audit the workers (its keys are fresh, it signs nothing). */
export const auditorClient = (random: Random): ContractClient => createContractClient(random.fork('contract-auditor'));
