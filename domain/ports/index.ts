/** The ports of ARCHITECTURE.md §6: interfaces only; adapters live in infra/ and simulations/. */
export * from './bus';
export * from './clock';
export * from './eventStore';
export * from './eventStoreErrors';
export * from './random';
