// What the three resources share inside the provider process, and the small serializable shim
// that the engine stores in state for each resource.
//
// Why a shim: Pulumi serializes a dynamic provider, and everything it captures, into every
// resource's state. Local modules are captured by value (module variables, clients, limiters,
// zod schemas included), which breaks providers and can leak credentials. So the object the
// engine serializes captures only strings, the path of the real implementation, and loads it
// with `require` inside the provider process. The implementation then lives once per process,
// and the state it shares (configuration, one client, one rate governor, one read snapshot per
// API key) hangs off globalThis, because the host deserializes one provider per resource type.
import type * as pulumi from "@pulumi/pulumi";
import { sharedClient, JustCallClient } from "./client";
import { withDeadline } from "./client/deadline";
import { processGlobal } from "./client/processGlobal";
import { ApiVersion, clientSettingsFrom, ConfigurationError, ProviderSettings, requireCredentials, resolveSettings } from "./settings";

interface ProcessState {
  settings?: ReturnType<typeof resolveSettings>;
  configError?: Error;
  configured: Promise<void>;
  markConfigured: () => void;
}

function processState(): ProcessState {
  return processGlobal<ProcessState>("runtime", () => {
    let markConfigured!: () => void;
    const configured = new Promise<void>((resolve) => (markConfigured = resolve));
    return { configured, markConfigured };
  });
}

/** Called by each resource type's `configure` with the stack config; all receive the same. */
export function configureProcess(config: { get(key: string): string | undefined }): void {
  const state = processState();
  try {
    state.settings = resolveSettings((key) => config.get(key), process.env);
    state.configError = undefined;
  } catch (err) {
    state.configError = err as Error;
  }
  state.markConfigured();
}

const CONFIGURE_WAIT_MS = 60_000;

/**
 * The provider host caches a provider before its `configure` has finished, so a concurrent call
 * can arrive first: every operation waits here until configuration is done.
 */
export async function configuredSettings(): Promise<ReturnType<typeof resolveSettings>> {
  const state = processState();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConfigurationError("the JustCall provider was never configured by the Pulumi engine")),
      CONFIGURE_WAIT_MS,
    );
  });
  try {
    await Promise.race([state.configured, timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (state.configError) throw state.configError;
  return state.settings!;
}

/** The configured API version, without needing credentials (check uses it at preview). */
export async function configuredApiVersion(): Promise<ApiVersion> {
  try {
    return (await configuredSettings()).apiVersion;
  } catch {
    return "v1";
  }
}

/** The process-wide client for the configured account (created lazily, never serialized). */
export async function apiClient(): Promise<{ client: JustCallClient; settings: ProviderSettings }> {
  const settings = requireCredentials(await configuredSettings());
  const client = sharedClient(clientSettingsFrom(settings));
  return { client, settings };
}

export class OperationTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(
      `${what} did not finish within ${Math.round(ms / 1000)}s (justcall:operationTimeout). ` +
        "A request may still have reached JustCall: run `pulumi refresh`, then `pulumi up` again.",
    );
    this.name = "OperationTimeoutError";
  }
}

/** Runs one resource operation under the configured deadline, naming the resource in any error. */
export async function operation<T>(what: string, fn: (client: JustCallClient) => Promise<T>): Promise<T> {
  let configured: Awaited<ReturnType<typeof apiClient>>;
  try {
    configured = await apiClient();
  } catch (err) {
    throw describe(what, err); // missing credentials, a refused base URL: name the resource too
  }
  const { client, settings } = configured;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeoutError(what, settings.operationTimeoutMs)), settings.operationTimeoutMs);
  });
  try {
    // Past the deadline the engine records a failure, so the operation must not write any more.
    return await Promise.race([withDeadline(Date.now() + settings.operationTimeoutMs, () => fn(client)), deadline]);
  } catch (err) {
    throw describe(what, err);
  } finally {
    clearTimeout(timer);
  }
}

/** An error for people: which resource and operation failed, then the API's own explanation. */
export function describe(what: string, err: unknown): Error {
  if (err instanceof OperationTimeoutError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const wrapped = new Error(`${what}: ${message}`);
  wrapped.name = err instanceof Error ? err.name : "Error";
  return wrapped;
}

/** The value Pulumi uses for inputs not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const isUnknown = (v: unknown): boolean => v === UNKNOWN;

/** What each resource module exports for the shim to call. */
export interface ResourceImplementation {
  check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: any): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: any): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult>;
  delete(id: string, props: any): Promise<void>;
}

/** This package's name: the serialized provider loads the implementation by it. */
const PACKAGE_NAME = "pulumi-justcall";

/** The package root: dist/provider/ is two folders below it, in this repository and in node_modules. */
const PACKAGE_ROOT = require("node:path").resolve(__dirname, "..", "..") as string;

/**
 * One provider object per resource type: Pulumi caches a provider's serialization per object, so
 * reusing the object keeps the program fast. `moduleFile` is the compiled module (its
 * `__filename`) that exports the implementation as `exportName`.
 */
export function providerFactory(moduleFile: string, exportName: string): () => pulumi.dynamic.ResourceProvider {
  let provider: pulumi.dynamic.ResourceProvider | undefined;
  return () => (provider ??= serializableProvider(packagePath(moduleFile), packagePath(__filename), exportName));
}

/** A compiled file's path within the package, e.g. `dist/provider/agent.js`. */
function packagePath(file: string): string {
  const path = require("node:path") as typeof import("node:path");
  return path.relative(PACKAGE_ROOT, file).split(path.sep).join("/");
}

/**
 * The object Pulumi serializes into state for one resource type. It captures only the
 * implementation's and the runtime's paths within the package and the export to use: no absolute
 * path, no version, nothing that differs between two clones of one commit. So a repository moved
 * to another directory, or a new version of this package, previews with no changes.
 *
 * The provider process runs in the project directory, and loads this package by name from there,
 * exactly as the program did: from node_modules, or (when the project is this package itself, like
 * the repository's root stack) through the package's self-reference. Read and delete of an
 * existing resource therefore run the installed version, which must read what older versions
 * wrote. Each method only forwards its name and arguments: this text is stored in every resource.
 */
function serializableProvider(implFile: string, runtimeFile: string, exportName: string): pulumi.dynamic.ResourceProvider {
  const call = (method: string, args: any[]): any => {
    const { createRequire } = require("node:module");
    const fromProject = createRequire(require("node:path").join(process.cwd(), "pulumi-justcall-provider.js"));
    const mod = fromProject(`${PACKAGE_NAME}/${method === "configure" ? runtimeFile : implFile}`);
    return method === "configure" ? mod.configureProcess(args[0].config) : mod[exportName][method](...args);
  };
  return {
    configure: (...a: any[]) => call("configure", a),
    check: (...a: any[]) => call("check", a),
    diff: (...a: any[]) => call("diff", a),
    create: (...a: any[]) => call("create", a),
    read: (...a: any[]) => call("read", a),
    update: (...a: any[]) => call("update", a),
    delete: (...a: any[]) => call("delete", a),
  };
}
