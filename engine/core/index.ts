/**
 * The engine's pure core: `engineCore` implements the `EngineCore` contract (contract.ts) over
 * `EngineState`. Everything else in this folder is internal to the core.
 */
export { engineCore, prepareDeployment } from "./engine-core";
export type { EngineState } from "./engine-state";
export type * from "./contract";
export * from "./protocol";
export type * from "./commands";
