/** `microgen diff` as a library: compare two spec sources. */
export { diffModels } from './compare.js';
export { locateChanges } from './locate.js';
export * from './change.js';
export * from './format.js';
