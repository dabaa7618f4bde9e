import type { Dataset } from "./dataset.ts";

/**
 * The validation split: the last `VALIDATION_IMAGES` images of the training file (file order),
 * held out from training with arithmetic in the loop. It is used for calibration, early stopping
 * and every choice of an operating point; the test split only for reported numbers.
 * (The zoo's float checkpoints were trained on the whole training file before this split existed;
 * records that use validation accuracy say so.)
 */
export const VALIDATION_IMAGES = 5000;

/** How the training file is divided, for records: `train[0:55000]`, `train[55000:60000]`. */
export interface SplitRanges {
  fit: string;
  validation: string;
}

/**
 * Splits a full training set into the part trained on (`fit`, the first count − `validation`
 * images) and the held-out validation part (the last `validation` images).
 */
export function holdOutValidation(
  train: Dataset,
  validation = VALIDATION_IMAGES,
): { fit: Dataset; validation: Dataset; ranges: SplitRanges } {
  if (train.split !== "train") throw new Error(`holdOutValidation: expected the train split, got ${train.split}`);
  if (!Number.isInteger(validation) || validation < 1 || validation >= train.count)
    throw new Error(`holdOutValidation: validation must be an integer in 1…${train.count - 1}, got ${validation}`);
  const per = train.shape[0] * train.shape[1] * train.shape[2];
  const cut = train.count - validation;
  const part = (from: number, to: number): Dataset => ({
    ...train,
    images: train.images.subarray(from * per, to * per),
    labels: train.labels.subarray(from, to),
    count: to - from,
  });
  return {
    fit: part(0, cut),
    validation: part(cut, train.count),
    ranges: { fit: `train[0:${cut}]`, validation: `train[${cut}:${train.count}]` },
  };
}
