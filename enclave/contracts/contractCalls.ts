/**
 * The Phat pallet calls a contract user submits (as signed extrinsics): upload a program, deploy
 * it into a cluster, send it a command. Built here, beside the client that encrypts the command
 * payloads, because a program is named by the code hash of its (name, version) resource.
 */
import { toHex } from '../../domain/codec/hex';
import { contractId } from '../../domain/ids/accounts';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { codeHashOf, programResource } from './programRegistry';

/** The pallet name of the Phat contracts pallet in the runtime. */
const PHAT = 'PhalaPhatContracts';

/** A program by name and version (its code hash is {@link codeHashOf}). */
export interface ProgramRef {
  readonly name: string;
  readonly version: string;
}

const phatCall = (tag: string, value: unknown): RuntimeEvent => ({ tag: PHAT, value: { tag, value } }) as RuntimeEvent;

/** `cluster_upload_resource(cluster, InkCode, SCALE((name, version)))`: the chain records the program's code hash. */
export function uploadProgramCall(clusterId: string, program: ProgramRef): RuntimeEvent {
  return phatCall('clusterUploadResource', { clusterId, resourceType: { tag: 'InkCode', value: undefined }, resourceData: programResource(program.name, program.version) });
}

/** `instantiate_contract` of `program` in `clusterId` with its instantiate data and a salt. */
export function instantiateProgramCall(clusterId: string, program: ProgramRef, instantiateData: Uint8Array, salt: Uint8Array): RuntimeEvent {
  return phatCall('instantiateContract', {
    codeIndex: { tag: 'WasmCode', value: toHex(codeHashOf(program.name, program.version)) },
    data: instantiateData,
    salt,
    clusterId,
    transfer: 0n,
    gasLimit: 0n,
    storageDepositLimit: undefined,
    deposit: 0n,
  });
}

/** The id the chain gives that contract: `blake2_256(deployer ‖ code_hash ‖ cluster ‖ salt)` (`0x` hex). */
export function programContractId(deployer: string, clusterId: string, program: ProgramRef, salt: Uint8Array): string {
  return contractId(deployer, toHex(codeHashOf(program.name, program.version)), clusterId, toHex(salt));
}

/** `push_contract_message(contract, payload, 0)`: the payload is a `Payload` envelope (e.g. `ContractClient.encryptedCommand`). */
export function pushContractMessageCall(contractIdHex: string, payload: Uint8Array): RuntimeEvent {
  return phatCall('pushContractMessage', { contractId: contractIdHex, payload, deposit: 0n });
}
