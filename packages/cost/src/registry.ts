import { componentKey, type ComponentCost, type ComponentQuery, type CostModel } from "./component.ts";
import { CostRefusal, NoCostModelError } from "./refusal.ts";

export interface EstimateOptions {
  /** Try only this model (its refusal is then final). */
  model?: string;
}

/**
 * Chooses among cost models by priority (highest first, ties in registration order) and falls
 * back to the next one when a model refuses (throws CostRefusal). Any other error propagates.
 * Estimates are memoised per query key, so array sweeps cost one lookup per component.
 */
export class CostRegistry {
  private readonly entries: { model: CostModel; order: number }[] = [];
  private readonly cache = new Map<string, ComponentCost>();
  private gen = 0;

  /** Bumped on every register(), so composed-area caches keyed on this registry are refreshed. */
  get generation(): number {
    return this.gen;
  }

  register(model: CostModel): this {
    if (this.entries.some((e) => e.model.id === model.id)) {
      throw new Error(`CostRegistry.register: a model with id "${model.id}" is already registered`);
    }
    this.entries.push({ model, order: this.entries.length });
    this.entries.sort((a, b) => b.model.priority - a.model.priority || a.order - b.order);
    this.cache.clear();
    this.gen++;
    return this;
  }

  /** Models in the order they are tried. */
  models(): CostModel[] {
    return this.entries.map((e) => e.model);
  }

  estimate(query: ComponentQuery, options: EstimateOptions = {}): ComponentCost {
    const key = `${options.model ?? "*"}|${componentKey(query)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const candidates = options.model ? this.entries.filter((e) => e.model.id === options.model) : this.entries;
    if (options.model && candidates.length === 0) {
      throw new Error(
        `CostRegistry.estimate: options.model "${options.model}" is not registered (have: ${this.models()
          .map((m) => m.id)
          .join(", ")})`,
      );
    }
    const refusals: CostRefusal[] = [];
    for (const { model } of candidates) {
      try {
        const cost = model.estimate(query);
        this.cache.set(key, cost);
        return cost;
      } catch (e) {
        if (e instanceof CostRefusal) refusals.push(e);
        else throw e;
      }
    }
    throw new NoCostModelError(componentKey(query), refusals);
  }
}
