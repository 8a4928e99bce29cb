// What the five resources (Agent, TeamMembership, NumberAssignment, RosterGuard, RosterAudit)
// share inside the provider process, and the short provider text that the engine stores in
// state for each resource.
//
// Why a short text: Pulumi stores a dynamic resource's provider, as code, in every resource's
// state. pulumi.dynamic serializes a closure for it, capturing local modules by value (module
// variables, clients, limiters, zod schemas included), which breaks providers, can leak
// credentials, and costs kilobytes per resource. So the stored text names only this package and
// the resource type, and loads the implementation with `require` inside the provider process.
// The implementation then lives once per process, and the state it shares (configuration; one
// client, with its list caches, per API version, base URL and key; one rate governor per key and
// API version) hangs off globalThis, because the host deserializes one provider per resource type.
import * as pulumi from "@pulumi/pulumi";
import { contractFor, NetworkError, sharedClient, type JustCallClient, type ApiContract, type WriteOperation } from "./client";
import { withDeadline } from "./client/deadline";
import { trimDeclarationStack } from "./declared-at";
import { processGlobal } from "./client/process-global";
import { watchEngine } from "./engine-watch";
import {
  ACCOUNT_CONFIG,
  type ApiVersion,
  clientSettingsFrom,
  ConfigurationError,
  type ProviderSettings,
  requireCredentials,
  resolveSettings,
} from "./settings";

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

/**
 * Called by each resource type's `configure` with the stack config (the default provider) or an
 * explicit provider's inputs; all resource types of one process receive the same. Also
 * called by name by the provider stored in resources written by 0.1.0 (a serialized closure that
 * loads this module, and calls `<exportName>.<method>` of the implementation module).
 */
export function configureProcess(config: { get(key: string): unknown }): void {
  const state = processState();
  // An explicit provider's inputs arrive as they were given (numbers, booleans); stack config as text.
  const get = (key: string): string | undefined => {
    const v = config.get(key);
    return v === undefined || v === null ? undefined : String(v);
  };
  try {
    // An explicit provider (justcall.Provider) has a process of its own, configured with its
    // inputs only (docs/accounts.md): so this process serves one account, with its own client,
    // rate governor and run ledger, whichever provider it is.
    state.settings = resolveSettings(get, process.env, get(ACCOUNT_CONFIG));
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
  } catch (err) {
    // A bad setting fails every operation that needs the API, saying which; check goes on.
    if (!(err instanceof ConfigurationError)) throw err;
    return "v1";
  }
}

/** What the configured API version can do: the resources ask this, never the version itself. */
export interface ApiCapabilities {
  /** The contract, for the dashboard step of a write it lacks (unsupportedOperation). */
  contract: ApiContract;
  canWrite(op: WriteOperation): boolean;
}

/** The configured API's capabilities, without needing credentials (check uses them at preview). */
export async function configuredApi(): Promise<ApiCapabilities> {
  const contract = contractFor(await configuredApiVersion());
  return { contract, canWrite: (op) => typeof contract.endpoints[op] === "function" };
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

/**
 * What a check's read gave: the value; or "skipped", the preview goes on without it; or
 * "failed", which the check reports as a failure of the resource's property (the engine shows a
 * check failure as a line on the resource, where a thrown error would come with a stack trace).
 */
export type PreviewRead<T> = { outcome: "read"; value: T } | { outcome: "skipped"; why: string } | { outcome: "failed"; message: string };

/**
 * A read that a preview can do without: run when JustCall is configured and reachable. Missing
 * credentials (a pull request's preview without secrets) and an unreachable JustCall let the
 * preview go on, and the caller shows the result as not known yet. Anything else (refused
 * credentials, a bad setting, an answer of the wrong shape, a 5xx after retries, a timeout)
 * fails, naming the resource: it would fail the up as well.
 */
export async function previewRead<T>(what: string, fn: (client: JustCallClient) => Promise<T>): Promise<PreviewRead<T>> {
  let settings: ReturnType<typeof resolveSettings>;
  try {
    settings = await configuredSettings();
  } catch (err) {
    return { outcome: "failed", message: describe(what, err).message };
  }
  if (settings.apiKey === undefined || settings.apiSecret === undefined)
    return { outcome: "skipped", why: "no JustCall credentials at preview" };
  try {
    return { outcome: "read", value: await operation(what, fn) };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    if (err instanceof NetworkError) return { outcome: "skipped", why: `JustCall unreachable at preview: ${err.message}` };
    return { outcome: "failed", message: err.message };
  }
}

/**
 * An error for people: which resource and operation failed, then the API's own explanation. The
 * error keeps its class and context (status, route, ...), so callers test it with instanceof. It
 * is a copy: one error can reach many operations (readers sharing one list read), and each
 * names its own resource.
 */
export function describe(what: string, err: unknown): Error {
  if (err instanceof OperationTimeoutError) return err;
  if (!(err instanceof Error)) return new Error(`${what}: ${String(err)}`);
  const copy = Object.create(Object.getPrototypeOf(err), Object.getOwnPropertyDescriptors(err)) as Error;
  copy.message = `${what}: ${err.message}`;
  // V8 keeps `stack` as an accessor bound to the original error: the copy gets its own value.
  const header = err.message === "" ? err.name : `${err.name}: ${err.message}`;
  const stack = err.stack?.startsWith(header) ? `${err.name}: ${copy.message}${err.stack.slice(header.length)}` : err.stack;
  Object.defineProperty(copy, "stack", { value: stack, writable: true, configurable: true, enumerable: false });
  return copy;
}

/** The value Pulumi uses for inputs not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const isUnknown = (v: unknown): boolean => v === UNKNOWN;

/**
 * What each resource module exports for loadProvider: all six operations, typed by the
 * resource's inputs and outputs. Pulumi's own ResourceProvider type, with every operation
 * required, `configure` left to loadProvider, and read's `inputs` typed as inputs (the SDK types
 * them as outputs).
 */
export type ResourceImplementation<Inputs, Outputs> = Required<
  Omit<pulumi.dynamic.ResourceProvider<Inputs, Outputs>, "configure" | "read">
> & {
  /** A resource gone from JustCall answers `{ id: "", props: {} }`: refresh drops it. */
  read(id: string, props?: Outputs): Promise<{ id?: string; props?: Outputs | Record<string, never>; inputs?: Inputs }>;
};

/** What the engine adds to every resource's inputs and outputs: the stored provider text. */
export interface StoredProvider {
  __provider?: string;
}

/** This package's name: the stored provider loads the implementation by it. */
const PACKAGE_NAME = "pulumi-justcall";

/**
 * Where each resource type's implementation is, relative to this module, and its export. Read in
 * the provider process by loadProvider.
 */
const IMPLEMENTATIONS: Record<string, [module: string, exportName: string]> = {
  Agent: ["./agent", "agentProvider"],
  TeamMembership: ["./team-membership", "teamMembershipProvider"],
  NumberAssignment: ["./number-assignment", "numberAssignmentProvider"],
  RosterGuard: ["./roster-guard", "rosterGuardProvider"],
  RosterAudit: ["../roster/audit-provider", "rosterAuditProvider"],
};

/**
 * The text Pulumi stores as `__provider` in every resource of one type, once in its inputs and
 * once in its outputs. The provider host runs it as a module and calls its `handler`, which loads
 * this package by name from the project directory, exactly as the program did (from node_modules,
 * or through the package's self-reference when the project is this package, like the repository's
 * root stack), and takes the implementation from there. So read and delete of an existing
 * resource run the installed version, which must read what older versions wrote.
 *
 * It names the package (whose main module exports loadProvider) and the resource type: no
 * absolute path, no version, nothing that differs between two clones of one commit, so a
 * repository moved to another directory, or a new version of this package, previews with no
 * changes. It is written by
 * hand, not serialized by pulumi.dynamic, and uses single quotes (no escapes in the JSON state),
 * so that it stays one short line: the closure pulumi.dynamic serialized for the same forwarding
 * was about 2.5 kB, stored twice in every resource.
 */
export function storedProvider(type: string): string {
  return `exports.handler=()=>require('module').createRequire(process.cwd()+'/_')('${PACKAGE_NAME}').loadProvider('${type}')`;
}

/** What the stored provider text calls in the provider process: the implementation, as Pulumi wants it. */
export function loadProvider(type: string): pulumi.dynamic.ResourceProvider {
  watchEngine(); // this is the provider process: exit when its engine dies (engine-watch.ts)
  const [module, exportName] = IMPLEMENTATIONS[type];
  // The one untyped step: the module is chosen by name at run time.
  const impl = require(module)[exportName] as ResourceImplementation<unknown, unknown>;
  return {
    configure: async (req) => configureProcess(req.config),
    check: impl.check,
    diff: impl.diff,
    create: impl.create,
    read: impl.read,
    update: impl.update,
    delete: impl.delete,
  };
}

/** The SDK's own test of whether a config key was set with --secret (internal to @pulumi/pulumi, present since 3.x). */
function isConfigSecret(key: string): boolean | undefined {
  const test = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return typeof test === "function" ? test(key) : undefined;
}

/**
 * In the program, before anything reads credentials: a `justcall:apiSecret` stored in plain text
 * in the stack's config file fails the run with the fix, and nothing is sent anywhere.
 */
export function refusePlaintextSecret(): void {
  const key = "justcall:apiSecret";
  if (pulumi.runtime.getConfig(key) === undefined || isConfigSecret(key) !== false) return;
  throw new pulumi.RunError(
    `${key} is stored in plain text in the stack's config file (Pulumi.${pulumi.getStack()}.yaml): anyone who can read the ` +
      "repository has the whole account's API secret. Nothing was sent to JustCall. Store it encrypted: " +
      `\`pulumi config rm ${key}\`, then \`pulumi config set --secret ${key}\` (it asks for the value; in a script, pipe it in: ` +
      `\`printf %s "$JUSTCALL_API_SECRET" | pulumi config set --secret ${key}\`), or leave it out of the config and set ` +
      "JUSTCALL_API_SECRET in the environment. Then rotate the secret in JustCall (Settings > Developer > API): it has been in the file.",
  );
}

/**
 * A resource of this package: a dynamic resource (type token `pulumi-nodejs:dynamic/justcall:<type>`,
 * served by Pulumi's Node provider host) whose `__provider` is the short text of storedProvider,
 * instead of the closure pulumi.dynamic.Resource would serialize. Pulumi records the user's line as
 * where it was declared, not ours (declared-at.ts).
 */
export abstract class JustCallResource extends pulumi.CustomResource {
  protected constructor(type: keyof typeof IMPLEMENTATIONS, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    refusePlaintextSecret();
    const restoreStack = trimDeclarationStack();
    try {
      super(`pulumi-nodejs:dynamic/justcall:${type}`, name, { ...props, __provider: storedProvider(type) }, opts);
    } finally {
      restoreStack();
    }
  }
}
