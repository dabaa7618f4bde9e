/**
 * One way for studies to name a network: a zoo id ("lenet5", "resnet18"), a path to an .onnx
 * file (imported with importOnnxFile), or a path to an engine checkpoint (.ckpt).
 */
import { existsSync } from "node:fs";
import { loadCheckpoint, type NetworkSpec, type WeightRecord } from "@sccnn/nn";
import { importOnnxFile } from "@sccnn/onnx";
import { getZooEntry, networkIds } from "./registry.ts";
import { checkpointPath, loadTrainedWeights, trainedNetworkIds } from "./trained.ts";

export interface NetworkSource {
  spec: NetworkSpec;
  /** Real weights (every tensor the spec builds) when there are any; absent for an untrained zoo network. */
  weights?: WeightRecord;
  /**
   * True when there are no real weights: a latency model must fall back to the zoo's documented
   * synthetic weight distribution (syntheticWeightStats), and every record built on it says so.
   */
  synthetic: boolean;
  kind: "zoo" | "onnx" | "checkpoint";
  /** Where the spec and weights come from, for records and figure captions. */
  source: string;
  /** Import notes (dropped Softmax, folded constants, …). */
  notes: string[];
}

/** Resolves a zoo id or an .onnx / .ckpt path; the error lists the zoo ids when `ref` is neither. */
export function loadNetworkSource(ref: string): NetworkSource {
  if (/\.onnx$/i.test(ref)) {
    const imported = importOnnxFile(ref);
    return {
      spec: imported.spec,
      weights: imported.weights,
      synthetic: false,
      kind: "onnx",
      source: `ONNX file ${ref}`,
      notes: imported.notes,
    };
  }
  if (/\.ckpt$/i.test(ref)) {
    if (!existsSync(ref)) throw new Error(`${ref}: checkpoint file not found`);
    const ckpt = loadCheckpoint(ref);
    return {
      spec: ckpt.spec,
      weights: ckpt.weights,
      synthetic: false,
      kind: "checkpoint",
      source: `checkpoint ${ref}`,
      notes: [],
    };
  }
  if (!networkIds().includes(ref)) {
    throw new Error(
      `network "${ref}": not a zoo id (known: ${networkIds().join(", ")}) and not a path ending in .onnx or .ckpt`,
    );
  }
  const entry = getZooEntry(ref);
  if (trainedNetworkIds().includes(ref)) {
    const ckpt = loadTrainedWeights(ref);
    return {
      spec: ckpt.spec,
      weights: ckpt.weights,
      synthetic: false,
      kind: "zoo",
      source: `zoo ${ref}, trained checkpoint ${checkpointPath(ref)}`,
      notes: [],
    };
  }
  return {
    spec: entry.spec,
    synthetic: true,
    kind: "zoo",
    source: `zoo ${ref}, no trained weights (synthetic weight distribution)`,
    notes: [],
  };
}
