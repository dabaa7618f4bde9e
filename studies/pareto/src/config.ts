import {
  BINARY_BASELINES,
  type BinaryBaseline,
  type ConventionalSng,
  type RegisterPolicy,
  type Scenario,
} from "@sccnn/cost";

/** config.json (validated by config.schema.json; see the schema for each field's meaning). */
export interface ParetoConfig {
  networks: string[];
  bits: number[];
  lanesPerUnit: number[];
  units: number[];
  parallel: number[];
  scArithmetic: "sc-bisc";
  binaryArithmetic: "fixed";
  /** Binary designs SC is compared with (null: every @sccnn/cost BINARY_BASELINES entry). */
  baselines: BinaryBaseline[] | null;
  /** Conventional (comparator-SNG) SC arrays costed beside BISC, by random source. */
  conventionalSngs: ConventionalSng[];
  scenarios: Scenario[];
  flexibleMaxBits: number;
  useFineTuned: boolean;
  testLimit: number;
  validationLimit: number;
  calibrationImages: number;
  calibration: "max" | "percentile" | "mse";
  percentile: number;
  perChannel: boolean;
  lockstep: boolean;
  zeroWeightCycles: 0 | 1;
  registers: RegisterPolicy;
  technology: string;
  /** Cost-model package ids (the workspace's /sccnn/costModel packages). */
  costModels: string[];
  clockHz: number;
  /** Energy per inference and GOPS/W from the committed energy table (cost-yosys tables/energy-<technology>.json). */
  energy: boolean;
  /** Add the on-chip SRAM weight/activation buffers (@sccnn/cost-memory) to area and energy, both designs alike. */
  memory: boolean;
  accuracyBudgetPt: number;
  /** Data set of .onnx / .ckpt networks (over what the file records); null: the file's own. */
  dataset?: "mnist" | "fashion-mnist" | null;
  /** accuracy-vs-precision results.json whose plain accuracies are reused (null: evaluate all). */
  accuracyFrom: string | null;
  /** mixed-precision results.json whose per-layer-N SC designs join the headline and figure (null: none). */
  mixedPrecisionFrom?: string | null;
}

/** The configured baselines (null: all of @sccnn/cost's BINARY_BASELINES). */
export function configuredBaselines(c: Pick<ParetoConfig, "baselines">): BinaryBaseline[] {
  return c.baselines ?? [...BINARY_BASELINES];
}
