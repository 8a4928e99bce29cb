// Where the account-wide API key may be sent: decided from the base URL before any connection,
// with only the environment (never stack config or the program, which a pull request can edit)
// able to name another host. (On the plain CLI: test/reliability/security.test.ts.)
import { expect } from "chai";
import { credentialHostProblem, resolveSettings } from "../../provider/settings";

describe("the API key goes only to JustCall, loopback, or a host the environment names", () => {
  it("allows JustCall's own host over https and loopback on any port", () => {
    for (const url of [
      "https://api.justcall.io",
      "https://api.justcall.io/",
      "http://127.0.0.1:8787",
      "http://localhost:9",
      "http://[::1]:8787",
      "https://127.0.0.2",
    ]) {
      expect(credentialHostProblem(url, {}), url).to.equal(undefined);
    }
  });

  it("refuses any other host, naming the environment variable that would allow it", () => {
    const problem = credentialHostProblem("https://collector.evil.example:8443/v1", {});
    expect(problem).to.include('justcall:baseUrl "https://collector.evil.example:8443" is neither JustCall\'s API');
    expect(problem).to.include("JUSTCALL_TRUSTED_HOSTS=collector.evil.example:8443");
    // Look-alikes of JustCall's host are other hosts.
    for (const url of [
      "https://api.justcall.io.evil.example",
      "https://evil.example/api.justcall.io",
      "https://api-justcall.io",
      "https://0.0.0.0",
      "https://10.0.0.5",
    ]) {
      expect(credentialHostProblem(url, {}), url).to.match(/is neither JustCall's API/);
    }
  });

  it("refuses JustCall's host over plain http, and credentials or odd schemes in the URL", () => {
    expect(credentialHostProblem("http://api.justcall.io", {})).to.match(/is not https/);
    expect(credentialHostProblem("https://user:pw@api.justcall.io", {})).to.match(/must not carry a user name or password/);
    expect(credentialHostProblem("ftp://api.justcall.io", {})).to.match(/must be an http or https URL/);
    expect(credentialHostProblem("not a url", {})).to.match(/is not a URL/);
  });

  it("trusts hosts named in JUSTCALL_TRUSTED_HOSTS or JUSTCALL_BASE_URL (the environment), over https", () => {
    const env = { JUSTCALL_TRUSTED_HOSTS: "proxy.acme.example, staging.acme.example:8443" };
    expect(credentialHostProblem("https://proxy.acme.example", env)).to.equal(undefined);
    expect(credentialHostProblem("https://staging.acme.example:8443", env)).to.equal(undefined);
    expect(credentialHostProblem("https://staging.acme.example:9443", env), "another port of a host named with one").to.match(/is neither/);
    expect(credentialHostProblem("http://proxy.acme.example", env)).to.match(/is not https/);
    expect(credentialHostProblem("https://proxy.acme.example", { JUSTCALL_BASE_URL: "https://proxy.acme.example" })).to.equal(undefined);
  });

  it("fails the provider's settings with that message, whatever the stack config holds", () => {
    const config: Record<string, string> = {
      "justcall:baseUrl": "https://collector.evil.example",
      "justcall:apiKey": "k",
      "justcall:apiSecret": "s",
    };
    expect(() => resolveSettings((k) => config[k], {})).to.throw(/is neither JustCall's API/);
    // The environment's own base URL is the operator's: allowed, and stack config cannot redirect it elsewhere.
    expect(resolveSettings(() => undefined, { JUSTCALL_BASE_URL: "https://proxy.acme.example" }).baseUrl).to.equal(
      "https://proxy.acme.example",
    );
    expect(() => resolveSettings((k) => config[k], { JUSTCALL_BASE_URL: "https://proxy.acme.example" })).to.throw(
      /is neither JustCall's API/,
    );
  });
});
