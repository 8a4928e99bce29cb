// Several JustCall accounts in one program, the way Pulumi's own providers do it: an explicit
// provider object passed as the `provider` resource option (`new aws.Provider("prod", {...})`,
// then `{ provider }`). See docs/accounts.md.
//
// A justcall.Provider is a provider resource of package `pulumi-nodejs`, the package of every
// dynamic resource. The engine starts one provider process per provider resource and configures
// it with that resource's inputs only (not the stack config: that goes to the default provider).
// The inputs are named like the stack config keys (`justcall:apiKey`, ...), so the process reads
// them exactly as the default provider reads stack config (runtime.ts, configureProcess), plus
// `justcall:account`, which marks the process as an explicit provider's. Each account thus has its
// own process, and with it its own client, rate governor and run ledger.
import * as pulumi from "@pulumi/pulumi";
import {
  ACCOUNT_CONFIG,
  credentialHostProblem,
  DEFAULT_BASE_URL,
  resolveSettings,
  SETTINGS,
  type SettingName,
  settingSource,
} from "./settings";

/**
 * The inputs of a justcall.Provider: one JustCall account, one property per setting (SETTINGS).
 * The account's own (ACCOUNT_SETTINGS: credentials, base URL, API version, rate budgets) have no
 * environment fallback; the others fall back to JUSTCALL_* like the default account's.
 */
export interface ProviderArgs {
  /**
   * The account's short name: it prefixes the names of the resources a roster stack makes for it
   * (`<account>/<email>`), so two accounts' agents never collide. Letters, digits, `.`, `_`, `-`.
   * Default: the provider's name.
   */
  account?: string;
  /** The account's API key (JustCall: Settings > Developer > API). Stored encrypted in the state. */
  apiKey: pulumi.Input<string>;
  /** The account's API secret. Stored encrypted in the state; take it from `config.requireSecret`. */
  apiSecret: pulumi.Input<string>;
  /**
   * Default `https://api.justcall.io`. Loopback (the emulator), or a host the environment of
   * pulumi names in JUSTCALL_TRUSTED_HOSTS, otherwise refused before anything is sent.
   */
  baseUrl?: pulumi.Input<string>;
  /** `v1` (default) or `v2.1` (docs/configuration.md, two API versions). */
  apiVersion?: pulumi.Input<"v1" | "v2.1">;
  /** v2.1: `team` (default), `pro` or `business`. */
  plan?: pulumi.Input<"team" | "pro" | "business">;
  /** Starting rate budget of this account's key, e.g. `100/60s`; the API's headers then rule. */
  rateLimit?: pulumi.Input<string>;
  /** v2.1: starting budget of the hourly window. */
  hourlyRateLimit?: pulumi.Input<string>;
  /** Seconds one resource operation may take, default 600. */
  operationTimeout?: pulumi.Input<number>;
  /** Seconds one HTTP attempt may take, default 30. */
  requestTimeout?: pulumi.Input<number>;
  /** Attempts of one request, default 6. */
  retryMaxAttempts?: pulumi.Input<number>;
  /** Seconds one request may spend on retries and 429 waits, default 120. */
  retryMaxElapsed?: pulumi.Input<number>;
  /** Batched reads, default true. */
  snapshot?: pulumi.Input<boolean>;
}

/** An account name: safe in a resource name and unambiguous as its prefix (emails have no `/`). */
export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * One JustCall account. Pass it as the `provider` option of Agent, TeamMembership and
 * NumberAssignment, to `rosterStack({ provider })` and to the look-ups (`getTeams({ provider })`).
 * Resources without one use the stack's default account (stack config `justcall:*` and the
 * environment).
 */
export class Provider extends pulumi.ProviderResource {
  /** The account's short name (ProviderArgs.account). */
  readonly account: string;
  /** The inputs as given, for the program's own reads (look-ups, the roster's check); never registered twice. */
  private readonly settingInputs: Partial<Record<SettingName, pulumi.Input<unknown>>>;

  constructor(name: string, args: ProviderArgs, opts?: pulumi.ResourceOptions) {
    const account = args.account ?? name;
    if (!ACCOUNT_NAME.test(account)) {
      throw new pulumi.RunError(
        `justcall.Provider "${name}": account "${account}" must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit ` +
          "(it prefixes resource names: <account>/<email>)",
      );
    }
    refuseCredentialHost(name, args.baseUrl);
    const settingInputs: Partial<Record<SettingName, pulumi.Input<unknown>>> = {};
    for (const setting of SETTINGS) {
      const value = args[setting];
      if (value === undefined) continue;
      // Key and secret are secrets whatever the caller passed: the state holds them encrypted.
      settingInputs[setting] = setting === "apiKey" || setting === "apiSecret" ? pulumi.secret(value) : value;
    }
    const inputs: pulumi.Inputs = { [ACCOUNT_CONFIG]: account };
    for (const [setting, value] of Object.entries(settingInputs)) inputs[settingSource(setting as SettingName).config] = value;
    super("pulumi-nodejs", name, inputs, opts);
    this.account = account;
    this.settingInputs = settingInputs;
  }

  /**
   * The account's settings, resolved in the program from this provider's inputs (undefined ones
   * unknown at preview) by the same rules the provider process applies.
   */
  async programSettings(): Promise<ReturnType<typeof resolveSettings>> {
    const values: Record<string, string | undefined> = {};
    for (const [setting, input] of Object.entries(this.settingInputs)) {
      const value = await knownValue(input);
      values[settingSource(setting as SettingName).config] = value === undefined ? undefined : String(value);
    }
    return resolveSettings((key) => values[key], process.env, this.account);
  }
}

/** At construction, when the base URL is known: refused hosts fail the program before anything is registered. */
function refuseCredentialHost(name: string, baseUrl: pulumi.Input<string> | undefined): void {
  const check = (url: string | undefined) => {
    const problem = credentialHostProblem(
      (url ?? DEFAULT_BASE_URL).replace(/\/+$/, ""),
      process.env,
      `justcall.Provider("${name}").baseUrl`,
    );
    if (problem) throw new pulumi.RunError(problem);
  };
  if (typeof baseUrl === "string" || baseUrl === undefined) check(baseUrl);
  else pulumi.output(baseUrl).apply(check);
}

/**
 * The value of an input in the program, or undefined while it is unknown (a preview): `apply`
 * alone would never call back for an unknown value. Output's `isKnown` and `promise` are the SDK's
 * own (internal, present throughout 3.x).
 */
async function knownValue(input: pulumi.Input<unknown>): Promise<unknown> {
  const output = pulumi.output(input) as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
  if (!(await output.isKnown)) return undefined;
  return output.promise();
}

/** How the program's reads and messages name an account: the provider's, or the stack's default. */
export function accountLabel(provider?: Provider): string {
  return provider ? `justcall.Provider("${provider.account}")` : "the stack's JustCall account";
}
