/** The runtime core every pallet builds on: storage, pallets as deciders, runtime assembly. */
export * from './codecs';
export * from './runtime';
export * from './storage';
export * from './types';
