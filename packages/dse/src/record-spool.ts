import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { checkRecord, type StudyRecord } from "./outputs.ts";
import { forgetTemporary, temporaryBeside } from "./out-set.ts";

/** Bytes gathered in memory before they are appended to the spool file. */
const FLUSH_BYTES = 1 << 20;

/**
 * Records of a run kept on disk instead of in memory, so a study's memory does not grow with its
 * grid: `push` validates a record and appends it (one JSON line) to a file in a temporary folder
 * beside the output folder (`<out>.tmp-<pid>-<n>/`, removed on every exit path and by the next
 * run after a kill -9, like the output set's own temporary folder); the runner then streams the
 * records back into results.json and results.csv. The column order (keys in order of first
 * appearance) is tracked as records arrive, so the files are byte-identical to those written from
 * an array of the same records.
 */
export class RecordSpool {
  readonly #dir: string;
  readonly #path: string;
  readonly #columns = new Set<string>();
  #fd: number | null;
  #pending: string[] = [];
  #pendingBytes = 0;
  #length = 0;

  constructor(outDir: string) {
    this.#dir = temporaryBeside(outDir);
    mkdirSync(this.#dir, { recursive: true });
    this.#path = join(this.#dir, "records.ndjson");
    this.#fd = openSync(this.#path, "w");
  }

  /** Number of records pushed. */
  get length(): number {
    return this.#length;
  }

  /** The record columns in order of first appearance. */
  columns(): string[] {
    return [...this.#columns];
  }

  /** Validates (naming the record's index and field) and appends one record. */
  push(record: StudyRecord): void {
    if (this.#fd === null) throw new Error("RecordSpool: push after the records were read or discarded");
    checkRecord(record, this.#length);
    for (const k of Object.keys(record)) this.#columns.add(k);
    const line = `${JSON.stringify(record)}\n`;
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    this.#length++;
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
  }

  #flush(): void {
    if (this.#fd === null || this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending.join(""), "utf8");
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset, bytes.length - offset);
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #close(): void {
    this.#flush();
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  /** The records in push order, read back from the file a chunk at a time (push is closed after). */
  *records(): Generator<StudyRecord> {
    this.#close();
    const fd = openSync(this.#path, "r");
    try {
      const chunk = Buffer.alloc(FLUSH_BYTES);
      let rest = "";
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        // a UTF-8 sequence cut at the chunk end stays in the buffer until its line is complete
        const text = rest + chunk.toString("latin1", 0, n);
        const lines = text.split("\n");
        rest = lines.pop()!;
        for (const line of lines) yield JSON.parse(Buffer.from(line, "latin1").toString("utf8")) as StudyRecord;
      }
      if (rest !== "") throw new Error(`RecordSpool: ${this.#path} ends in a partial line`);
    } finally {
      closeSync(fd);
    }
  }

  /** Removes the spool's temporary folder. */
  discard(): void {
    this.#close();
    rmSync(this.#dir, { recursive: true, force: true });
    forgetTemporary(this.#dir);
  }
}
