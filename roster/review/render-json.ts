// The review as JSON, for other tools: the Review itself (classify.ts documents each field),
// with a format version to check before reading it.
import type { Review } from "./classify";

export const REVIEW_JSON_VERSION = 1;

export function renderJson(r: Review): string {
  return `${JSON.stringify({ reviewFormat: REVIEW_JSON_VERSION, ...r }, null, 2)}\n`;
}
