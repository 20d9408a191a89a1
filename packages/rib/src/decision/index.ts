export { Candidates } from './candidates';
export { type DecisionOptions, type ResolvedDecisionOptions, resolveDecisionOptions } from './options';
export { DecisionProcess, type SameAsPath } from './process';
