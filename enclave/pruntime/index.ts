/**
 * The pRuntime program, worker role (phalanet issue 5 item 2), with its contract-cluster side
 * (`clusterRuntime.ts`: cluster key, contract instantiation, commands, queries, checkpoint). The gatekeeper role plugs in beside
 * the worker group: it consumes the same `VerifiedBlockView` message by message (Phala runs the
 * system handlers, then the GK, after each message — DOMAIN.md §14 F10) and pushes to its own
 * `Gatekeeper` egress channel (`openChannel(rt.egress, {tag: 'Gatekeeper'}, {kind: 'master'})`).
 */
export { type BenchCounter, iterationsAt, pauseCounter, pausedCounter, resumeCounter, type SimulatedCpu } from './benchCounter';
export { type BlockViewError, createVerifiedChain, type VerifiedBlockView, type VerifiedChain, type VerifiedMessage, verifyBlock, verifyOutboundMessage } from './blockView';
export { type CheckpointError, checkpointWorker, restoreWorker } from './checkpoint';
export { type ClusterCheckpointError, type ClusterRuntimeState, restoreClusterWorker, sealClusterWorker } from './clusterCheckpoint';
export {
  type ClusterBlockOutput,
  type ClusterQueryError,
  type ClusterRejection,
  type ClusterRuntime,
  type ClusterRuntimeOptions,
  clusterRuntimeFrom,
  createClusterRuntime,
  type HostedContractInfo,
  type RestoreClusterOptions,
  restoreClusterRuntime,
} from './clusterRuntime';
export { type EgressChannel, type EgressQueue, type EgressSigner, openChannel, pendingFrom, purgeChannel, pushMessage } from './egressQueue';
export { type BuildIdentity, createRegistration, type RegistrationParams, registrationInfo, type WorkerRegistration } from './registration';
export { createWorkerGroup, type WorkerEgress, type WorkerGroup } from './workerGroup';
export { createWorkerIdentity, createWorkerIdentityWithVault, restoreWorkerIdentity, type WorkerIdentity } from './workerIdentity';
export {
  applyWorkerEvent,
  type BenchState,
  type BlockContext,
  benchIterations,
  createWorkerRuntime,
  handleHeartbeatChallenge,
  isChallengeable,
  onBlockProcessed,
  pendingEgress,
  purgeEgress,
  sendHeartbeat,
  setDummyMode,
  type WorkerMachine,
  type WorkerRuntime,
  type WorkerRuntimeParts,
  type WorkingInfo,
  workerRuntimeFrom,
} from './workerRuntime';
