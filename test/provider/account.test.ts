// An explicit provider's settings (justcall.Provider, docs/accounts.md): from its own inputs, never
// the environment's credentials or base URL, under the same trusted-hosts rule as the default.
import { expect } from "chai";
import { ConfigurationError, requireCredentials, resolveSettings } from "../../provider/settings";
import { accountOfUrn } from "../../roster/stack-state";
import { resourceNames, resourceNamesFor } from "../../roster/program";

const ENV = {
  JUSTCALL_API_KEY: "default-key",
  JUSTCALL_API_SECRET: "default-secret",
  JUSTCALL_BASE_URL: "http://127.0.0.1:1",
  JUSTCALL_RATE_LIMIT: "5/1s",
  JUSTCALL_REQUEST_TIMEOUT: "7",
};

describe("an explicit provider's settings", () => {
  it("never takes the environment's credentials, base URL or rate budget", () => {
    const settings = resolveSettings(() => undefined, ENV, "acme");
    expect(settings.account).to.equal("acme");
    expect(settings.apiKey).to.equal(undefined);
    expect(settings.apiSecret).to.equal(undefined);
    expect(settings.baseUrl).to.equal("https://api.justcall.io");
    expect(settings.rateLimit).to.equal(undefined);
    // A process setting, not the account's: the environment still serves.
    expect(settings.requestTimeoutMs).to.equal(7000);
    // The default account is unchanged.
    expect(resolveSettings(() => undefined, ENV).apiKey).to.equal("default-key");
  });

  it("names the provider and its property when credentials are missing", () => {
    const settings = resolveSettings((k) => ({ "justcall:apiKey": "k" })[k], ENV, "acme");
    expect(() => requireCredentials(settings)).to.throw(ConfigurationError, /justcall\.Provider\("acme"\) has no apiSecret/);
  });

  it("refuses a base URL that is neither JustCall nor loopback, naming the provider's property", () => {
    const get = (k: string) => ({ "justcall:baseUrl": "https://collector.evil.example" })[k];
    expect(() => resolveSettings(get, {}, "acme")).to.throw(
      /justcall\.Provider\("acme"\)\.baseUrl "https:\/\/collector\.evil\.example" is neither/,
    );
    // Only the environment trusts another host, for every account alike.
    expect(resolveSettings(get, { JUSTCALL_TRUSTED_HOSTS: "collector.evil.example" }, "acme").baseUrl).to.equal(
      "https://collector.evil.example",
    );
    expect(() => resolveSettings((k) => ({ "justcall:rateLimit": "fast" })[k], {}, "acme")).to.throw(
      /justcall\.Provider\("acme"\)\.rateLimit "fast"/,
    );
  });
});

describe("roster resource names per account", () => {
  it("prefixes an explicit provider's names with its account, and leaves the default account's unchanged", () => {
    expect(resourceNamesFor(undefined)).to.equal(resourceNames);
    const acme = resourceNamesFor("acme");
    expect(acme.agent("Jane.Doe@Acme.example")).to.equal("acme/jane.doe@acme.example");
    expect(acme.membership("jane@a.example", "Sales")).to.equal("acme/jane@a.example-in-sales");
    expect(acme.number("+14155550100")).to.equal("acme/number-+14155550100");
    expect([acme.audit, acme.guard]).to.deep.equal(["acme/roster-audit", "acme/roster-guard"]);
  });

  it("names agents by a hash of the email with secretContacts, stable under case, prefixed per account", () => {
    const hidden = resourceNamesFor(undefined, true);
    expect(hidden.agent("Jane.Doe@Acme.example")).to.match(/^agent-[0-9a-f]{16}$/);
    expect(hidden.agent("Jane.Doe@Acme.example")).to.equal(hidden.agent("jane.doe@acme.example"));
    expect(hidden.membership("jane.doe@acme.example", "Sales")).to.equal(`${hidden.agent("jane.doe@acme.example")}-in-sales`);
    expect(hidden.guard).to.equal("roster-guard");
    expect(resourceNamesFor("acme", true).agent("jane.doe@acme.example")).to.equal(`acme/${hidden.agent("jane.doe@acme.example")}`);
  });

  it("reads the account back from a URN: none for unprefixed names", () => {
    const type = "pulumi-nodejs:dynamic/justcall:Agent";
    expect(accountOfUrn(`urn:pulumi:dev::p::${type}::acme/jane@a.example`)).to.equal("acme");
    expect(accountOfUrn(`urn:pulumi:dev::p::${type}::jane@a.example`)).to.equal(undefined);
  });
});
