/**
 * The names of a simulation's accounts, as `GenesisKeys.account(name)` receives them. The driver
 * signs with the same names, so genesis endowments and later extrinsics meet on one account.
 */
export const accountNames = {
  /** the Sudo key */
  root: 'root',
  poolOwner: (poolSet: string, pool: number) => `owner/${poolSet}/${pool}`,
  staker: (poolSet: string, pool: number, staker: number) => `staker/${poolSet}/${pool}/${staker}`,
  client: (i: number) => `client/${i}`,
  /** the pherry of the worker with this global index */
  relayer: (globalWorkerIndex: number) => `relayer/${globalWorkerIndex}`,
  /** the pherry of gatekeeper `i` (genesis ones first, then those joining later) */
  gatekeeperRelayer: (i: number) => `gatekeeper-relayer/${i}`,
} as const;
