/**
 * Shared test helpers: a fresh emulator per test (closed in afterEach) and a raw HTTP call that
 * returns status, headers and parsed body without interpreting them.
 */
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator";

export interface Response {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function basic(apiKey: string, apiSecret: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString("base64")}`;
}

export const DEMO_AUTH = basic("demo_api_key", "demo_api_secret");
export const GLOBEX_AUTH = basic("globex_api_key", "globex_api_secret");

export interface CallOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  raw?: string;
  auth?: string | null;
  headers?: Record<string, string>;
}

export async function call(emu: RunningEmulator, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const auth = opts.auth === undefined ? DEMO_AUTH : opts.auth;
  if (auth !== null) headers.authorization = auth;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, opts.headers ?? {});
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Registers before/afterEach hooks in the calling suite; `use(options)` starts a fresh emulator. */
export function emulatorFixture(): { use(options?: EmulatorOptions): Promise<RunningEmulator> } {
  const running: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });
  return {
    async use(options: EmulatorOptions = {}) {
      // These suites describe the emulator's full shapes field by field; shapes.test.ts covers `guide`.
      const emu = await startEmulator({ shapes: "full", ...options });
      running.push(emu);
      return emu;
    },
  };
}

export const newAgent = (email: string, extra: Record<string, unknown> = {}) => ({
  firstname: "John",
  lastname: "Smith",
  email,
  ...extra,
});
