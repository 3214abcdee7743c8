/**
 * The public surface of actors/: the actor system and the machines it hosts, with their event,
 * input and context types. Each machine file's header holds its EVENT TABLE. Machines that run
 * timers are factories over the Clock (`workerHostMachine(clock)`); the client also takes its own
 * Random stream. Bind the driver's implementations with `.provide()`.
 */
export { type ActorHealth, type ActorKind, type ActorStatus, type ActorSystem, createActorSystem, RESTORED, SNAPSHOT_SAVED } from './actorSystem';
export {
  type BlockProducerContext,
  type BlockProducerEvent,
  type BlockProducerInput,
  type BlockProducerMachine,
  blockProducerMachine,
  nextSlotAtMs,
  type ProduceBlockInput,
  type ProducedBlock,
} from './blockProducer.machine';
export { type ClientContext, type ClientEvent, type ClientInput, type ClientIntent, type ClientMachine, type ClientPorts, clientMachine } from './client.machine';
export { type Arrival, drawArrival, type IntentKind, totalRatePerBlock, type WorkloadRates } from './client.workload';
export { type ContractContext, type ContractEvent, type ContractInput, type ContractMachine, contractMachine } from './contract.machine';
export { type GatekeeperContext, type GatekeeperEvent, type GatekeeperInput, type GatekeeperMachine, gatekeeperMachine } from './gatekeeper.machine';
export { type MachineClock, msUntil } from './machineClock';
export {
  type SessionFact,
  type WorkerHostContext,
  type WorkerHostEvent,
  type WorkerHostInput,
  type WorkerHostMachine,
  type WorkerHostStateName,
  workerHostMachine,
} from './workerHost.machine';
export { workerHostStatus } from './workerHost.status';
