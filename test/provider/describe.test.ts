// describe(): the typed client error reaches the resource layer with its class and context,
// its message prefixed by what failed.
import { expect } from "chai";
import { ConflictError, DuplicateEmailError, JustCallError, NetworkError } from "../../provider/client";
import { describe as describeError, OperationTimeoutError } from "../../provider/runtime";

describe("runtime: describe keeps the typed error", () => {
  it("keeps the class and the context, and prefixes the message", () => {
    const original = new DuplicateEmailError("JustCall POST /v1/agents failed with HTTP 409.", {
      status: 409,
      method: "POST",
      path: "/v1/agents",
      route: "POST /v1/agents",
      attempts: 1,
    });
    const e = describeError("Agent ann@example.com: create", original);
    expect(e).to.be.instanceOf(DuplicateEmailError).and.instanceOf(ConflictError).and.instanceOf(JustCallError);
    expect(e).not.to.be.instanceOf(NetworkError);
    expect(e.name).to.equal("DuplicateEmailError");
    expect(e.message).to.equal("Agent ann@example.com: create: JustCall POST /v1/agents failed with HTTP 409.");
    expect(e).to.include({ status: 409, route: "POST /v1/agents", attempts: 1 });
    expect(e.stack?.split("\n")[0]).to.equal(
      "DuplicateEmailError: Agent ann@example.com: create: JustCall POST /v1/agents failed with HTTP 409.",
    );
    // A message that also occurs in the class name: the header is rewritten, not the first match.
    const short = describeError("x", new DuplicateEmailError("m"));
    expect(short.stack?.split("\n")[0]).to.equal("DuplicateEmailError: x: m");
    expect(JSON.parse(JSON.stringify(e))).to.include({ name: "DuplicateEmailError", status: 409, message: e.message });
  });

  it("copies: an error shared by many operations is prefixed once for each", () => {
    const shared = new NetworkError("Could not reach JustCall.", { code: "ECONNREFUSED" });
    const a = describeError("Agent a@example.com: read", shared);
    const b = describeError("Agent b@example.com: read", shared);
    expect(shared.message).to.equal("Could not reach JustCall.");
    expect(a.message).to.equal("Agent a@example.com: read: Could not reach JustCall.");
    expect(b.message).to.equal("Agent b@example.com: read: Could not reach JustCall.");
    expect(b).to.be.instanceOf(NetworkError).and.include({ code: "ECONNREFUSED" });
  });

  it("keeps other classes too, wraps a thrown non-error, and leaves an OperationTimeoutError as it is", () => {
    const t = describeError("x", new TypeError("bad"));
    expect(t).to.be.instanceOf(TypeError);
    expect(t.message).to.equal("x: bad");
    const s = describeError("x", "plain text");
    expect(s).to.be.instanceOf(Error);
    expect(s.message).to.equal("x: plain text");
    const timeout = new OperationTimeoutError("Agent a: create", 1000);
    expect(describeError("Agent a: create", timeout)).to.equal(timeout);
  });
});
