// The --queue value, parsed without loading the Redis client (local runs never load it).

/** A `--queue` value: `redis://host:port` (optionally `redis://[user:password@]host:port[/db]`). */
export interface QueueAddress {
  url: string;
  host: string;
  port: number;
}

/** Parses a `--queue` value; throws a one-line error naming the flag and the value otherwise. */
export function parseQueueAddress(value: string, flag = "--queue"): QueueAddress {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${flag}: expected redis://host:port (got "${value}")`);
  }
  if (url.protocol !== "redis:") throw new Error(`${flag}: expected redis://host:port (got "${value}")`);
  if (!url.hostname) throw new Error(`${flag}: no host in "${value}" (expected redis://host:port)`);
  const port = url.port === "" ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${flag}: port must be 1…65535 (got "${url.port}")`);
  if (url.pathname !== "" && url.pathname !== "/" && !/^\/\d+$/.test(url.pathname))
    throw new Error(`${flag}: the path of "${value}" must be a database number (redis://host:port/0)`);
  return { url: value, host: url.hostname, port };
}
