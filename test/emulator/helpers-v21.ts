/**
 * Helpers for the v2.1 tests: the published raw `api_key:api_secret` Authorization header and a
 * call that sends it (with Accept: application/json, as the published reference asks).
 */
import type { RunningEmulator } from "../../emulator";
import { call, type CallOptions, type Response } from "./helpers";

export const raw = (apiKey: string, apiSecret: string) => `${apiKey}:${apiSecret}`;
export const DEMO_RAW = raw("demo_api_key", "demo_api_secret");
export const GLOBEX_RAW = raw("globex_api_key", "globex_api_secret");

export function v21(emu: RunningEmulator, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  return call(emu, method, path, {
    ...opts,
    auth: opts.auth === undefined ? DEMO_RAW : opts.auth,
    headers: { accept: "application/json", ...(opts.headers ?? {}) },
  });
}

export const num = (res: { headers: Headers }, name: string): number | null => {
  const value = res.headers.get(name);
  return value === null ? null : Number(value);
};
