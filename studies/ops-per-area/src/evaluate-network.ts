import { loadCostRegistry } from "@sccnn/cost";
import { laneEnergy, laneTiming } from "./costs.ts";
import { evaluateNetwork, type OpsPerAreaConfig, type OpsPerAreaRecord } from "./evaluate.ts";
import { networkLayerWeights } from "@sccnn/zoo";

/** One network's evaluation: the configuration without the network list (so each network has its own cache entry). */
export interface NetworkInput {
  network: string;
  config: Omit<OpsPerAreaConfig, "networks">;
  /** SHA-256 of the network's trained checkpoint or file (null: none, synthetic weights); part of its cache key only. */
  weightsSha256: string | null;
  /** Version of the network package's source (zoo networkPackageDirs): part of its cache key only. */
  networkSource: string;
}

export interface NetworkValue {
  /** Where the weights came from (trained checkpoint, synthetic, file). */
  source: string;
  records: OpsPerAreaRecord[];
}

/** The dse evaluator: every record of one network (all scenarios, clocks, N and b). */
export async function evaluateOpsPerAreaNetwork(input: NetworkInput): Promise<NetworkValue> {
  const c: OpsPerAreaConfig = { ...input.config, networks: [input.network] };
  const net = networkLayerWeights(input.network, { seed: c.syntheticSeed, useTrained: c.useTrainedWeights });
  const timing = c.clocks.some((k) => k.startsWith("target")) ? laneTiming(c.technology) : undefined;
  const costs = await loadCostRegistry({ technology: c.technology, models: c.costModels });
  const energy = c.energy ? laneEnergy(c.technology) : undefined;
  return { source: net.source, records: evaluateNetwork(net, c, costs, timing, energy) };
}
