export { canonicalJson, contentHash } from "./canonical.ts";
export { writeFileAtomic } from "./atomic.ts";
export {
  ConfigError,
  compileSchema,
  formatSchemaError,
  parseOverrides,
  pointerToJsonPath,
  resolveConfig,
  REGISTRY_KEYWORD,
  schemaAt,
  withRegistryIds,
} from "./config.ts";
export type { JsonSchema, Override, ResolveConfigOptions } from "./config.ts";
export { expandSpace } from "./space.ts";
export type { Axes, Point } from "./space.ts";
export { codeVersion } from "./code-version.ts";
export { openStore, ResultStore } from "./store.ts";
export type { Lookup } from "./store.ts";
export { closeEvaluationPools, evaluatePoints, EvaluationError } from "./evaluate.ts";
export type { EvaluateOptions, EvaluateResult, Evaluator } from "./evaluate.ts";
export { progressLine, progressLines, startProgress } from "./progress.ts";
export { configFields, formatConfigFields, schemaType, type ConfigField } from "./config-help.ts";
export type { Progress } from "./progress.ts";
export { dominates, ParetoArchive, paretoFront, paretoFrontIndices, paretoFrontsBy } from "./pareto.ts";
export type { Objective, ParetoOptions } from "./pareto.ts";
export {
  checkRecord,
  formatResultsCsv,
  formatResultsCsvChunks,
  formatResultsJson,
  formatResultsJsonChunks,
  recordColumns,
  writeStudyOutputs,
} from "./outputs.ts";
export { RecordSpool } from "./record-spool.ts";
export type { StudyOutputs, StudyRecord } from "./outputs.ts";
export { main, runStudy } from "./study.ts";
export type { StudyContext, StudyDefinition, StudyFigure, StudyResult } from "./study.ts";
export { readStudyConfigFiles, runStudyForTest, runStudyScript } from "./study-test.ts";
export type { StudyScriptRun, StudyTestRun } from "./study-test.ts";
export { countDesignPoints, DESIGN_POINT_LIMIT } from "./study.ts";
export { defaultOutDir, recoverOutDir, removeLiveTemporaries, writeOutputSet } from "./out-set.ts";
export type { FileData, RunKind } from "./out-set.ts";
export { moduleGraph, moduleVersion } from "./module-version.ts";
export type { ModuleGraph } from "./module-version.ts";
