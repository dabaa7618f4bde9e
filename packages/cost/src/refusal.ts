/**
 * A model's refusal to estimate a query: names the model, the parameter and the value, so a
 * registry can fall back to another model and a person can see which input was out of range.
 */
export class CostRefusal extends Error {
  readonly model: string;
  readonly parameter: string;
  readonly value: unknown;
  constructor(model: string, parameter: string, value: unknown, reason: string) {
    super(`cost model "${model}" refuses ${parameter} = ${JSON.stringify(value)}: ${reason}`);
    this.name = "CostRefusal";
    this.model = model;
    this.parameter = parameter;
    this.value = value;
  }
}

/** Every registered model refused: carries each refusal. */
export class NoCostModelError extends Error {
  readonly refusals: CostRefusal[];
  constructor(queryKey: string, refusals: CostRefusal[]) {
    const why = refusals.length === 0 ? "no cost model is registered" : refusals.map((r) => r.message).join("; ");
    super(`no cost model can estimate ${queryKey}: ${why}`);
    this.name = "NoCostModelError";
    this.refusals = refusals;
  }
}
