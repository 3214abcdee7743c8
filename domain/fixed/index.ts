/** Fixed-point arithmetic with the exact rounding of Phala's Rust code (DOMAIN.md §14 F3). */
export * from './balance';
export * from './decimal';
export * from './u32f32';
export * from './u64f64';
