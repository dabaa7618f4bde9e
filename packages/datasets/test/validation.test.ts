import { describe, expect, it } from "vitest";
import { holdOutValidation, loadMnist, VALIDATION_IMAGES } from "../src/index.ts";

describe("holdOutValidation", () => {
  const train = loadMnist("train");
  it("holdOutValidation(mnist train) keeps the first 55 000 images for fitting and the last 5 000 for validation", () => {
    const { fit, validation, ranges } = holdOutValidation(train);
    expect(VALIDATION_IMAGES).toBe(5000);
    expect([fit.count, validation.count]).toEqual([55000, 5000]);
    expect(ranges).toEqual({ fit: "train[0:55000]", validation: "train[55000:60000]" });
    expect(validation.labels[0]).toBe(train.labels[55000]);
    expect(validation.images[784 * 4999 + 400]).toBe(train.images[784 * 59999 + 400]);
    expect(fit.images.length).toBe(55000 * 784);
  });
  it("holdOutValidation names a bad split or size", () => {
    expect(() => holdOutValidation(train, 0)).toThrow(/validation must be an integer/);
    expect(() => holdOutValidation({ ...train, split: "test" })).toThrow(/expected the train split/);
  });
});
