import type { NetworkSpec } from "@sccnn/nn";
import type { ZooEntry } from "./zoo-entry.ts";
import { lenet5 } from "./networks/lenet5.ts";
import { fashionCnn } from "./networks/fashion-cnn.ts";
import { alexnet } from "./networks/alexnet.ts";
import { vgg16 } from "./networks/vgg16.ts";
import { resnet18 } from "./networks/resnet18.ts";
import { mobilenetV1 } from "./networks/mobilenet-v1.ts";
import { vggSmallCifar, vgg16Cifar } from "./networks/vgg-cifar.ts";
import { resnet20Cifar } from "./networks/resnet20-cifar.ts";

/**
 * Every registered network, in listing order. To add one: write a table in networks/<id>.ts
 * with its published counts and their source, and append it here; the registry test then
 * recomputes its MACs and parameters.
 */
export const registry: readonly ZooEntry[] = [
  lenet5,
  fashionCnn,
  vggSmallCifar,
  vgg16Cifar,
  resnet20Cifar,
  alexnet,
  vgg16,
  resnet18,
  mobilenetV1,
];

/** Ids of all registered networks, in listing order. */
export function networkIds(): string[] {
  return registry.map((e) => e.spec.id);
}

/** The registry entry of `id`; the error lists the known ids. */
export function getZooEntry(id: string): ZooEntry {
  const entry = registry.find((e) => e.spec.id === id);
  if (!entry) throw new Error(`network id: unknown ${JSON.stringify(id)}; known: ${networkIds().join(", ")}`);
  return entry;
}

/** The network table of `id`; the error lists the known ids. */
export function getNetwork(id: string): NetworkSpec {
  return getZooEntry(id).spec;
}
