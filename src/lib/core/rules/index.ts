/** The colour-rules engine (issue 4): facts in, colour + reasons + path to green out. See docs/rules.md. */
export * from './facts.js';
export * from './rules-schema.js';
export * from './default-rules.js';
export * from './rule-set-in-effect.js';
export * from './geo.js';
export * from './grid.js';
export * from './polygon.js';
export * from './trajectory.js';
export * from './spatial-index.js';
export * from './window.js';
export * from './match-risk-areas.js';
export * from './match-companions.js';
export * from './match-venues.js';
export * from './negative-tests.js';
export * from './evaluate.js';
export * from './diff.js';
export * from './accuracy.js';
