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
  /** the pherry of a host (worker or gatekeeper) relaying one of its channels */
  relayer: (host: string, channel?: string) => (channel === undefined ? `relayer/${host}` : `relayer/${host}/${channel}`),
  /** a worker's operator when it is in no pool (in a pool, the pool's owner operates it) */
  operator: (host: string) => `operator/${host}`,
} as const;
