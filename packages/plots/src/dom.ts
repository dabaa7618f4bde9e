import { parseHTML } from "linkedom";

/** The SVG namespace; resvg rejects an `<svg>` without it. */
export const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The slice of the DOM this package touches. Declared here so packages that import this one do
 * not need TypeScript's "DOM" lib.
 */
export interface SvgNode {
  tagName: string;
  textContent: string | null;
  readonly outerHTML: string;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  appendChild(child: SvgNode): unknown;
  querySelector(selector: string): SvgNode | null;
}

export interface SvgDocument {
  createElementNS(namespace: string, name: string): SvgNode;
}

/**
 * A fresh server-side DOM document for one figure. Plot only needs createElement/createElementNS,
 * attributes and serialisation, which linkedom provides without a browser.
 */
export function createDocument(): SvgDocument {
  const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");
  return document as unknown as SvgDocument;
}
