/** OrdMap order of worker pubkeys: byte order, which is string order for `0x` + lowercase hex. */
export const byPubkey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
