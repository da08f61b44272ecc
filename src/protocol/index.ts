// The Robokassa protocol core: pure, platform-neutral (no DOM, no node:*); hashing is injected.
export * from './errors.js';
export * from './hash.js';
export * from './money.js';
export * from './schemas.js';
export * from './signature.js';
export * from './payment.js';
export * from './verify.js';
export * from './opstate.js';
export * from './contract.js';
