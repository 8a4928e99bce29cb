import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { createClient, type JustCallClient, resetSharedClients, sharedClient } from "../../../provider/client";
import { caught, withEmulator } from "./helpers";

const SECRET = "Sx9-very-secret-value-42";
const basic = (key: string, secret: string) => Buffer.from(`${key}:${secret}`).toString("base64");

/** Every way an error can be shown or shipped. */
function renderings(e: unknown): string[] {
  const err = e as Error & { cause?: unknown };
  const own = Object.getOwnPropertyNames(err).map((k) => {
    try {
      return `${k}=${inspect((err as unknown as Record<string, unknown>)[k], { depth: 5 })}`;
    } catch {
      return k;
    }
  });
  return [
    String(err),
    err.message,
    err.stack ?? "",
    JSON.stringify(err),
    JSON.stringify({ ...err }),
    inspect(err, { showHidden: true, depth: null }),
    inspect(err.cause, { showHidden: true, depth: null }),
    ...own,
  ];
}

function expectClean(e: unknown, secrets: string[]): void {
  for (const text of renderings(e)) for (const s of secrets) expect(text, "secret leaked").not.to.contain(s);
}

describe("client: the secret never leaks", () => {
  afterEach(() => resetSharedClients());

  it("is absent from every error, whatever failed", async () => {
    const errors: unknown[] = [];
    await withEmulator({}, { apiSecret: SECRET }, async (_emu, client) => {
      errors.push(await caught(client.listAgents())); // 401
    });
    await withEmulator(
      {
        faults: [
          { route: "GET /v1/teams", kind: "status", status: 503 },
          { route: "GET /v1/phone-numbers", kind: "malformed" },
        ],
      },
      { retry: { maxAttempts: 2 } },
      async (emu, client) => {
        const secrets = [emu.credentials.apiSecret, basic(emu.credentials.apiKey, emu.credentials.apiSecret)];
        const local: unknown[] = [];
        local.push(await caught(client.teams())); // 503 → ServerError
        local.push(await caught(client.numbers())); // not JSON → SchemaError
        local.push(await caught(client.updateAgent(777_777, { firstname: "x" }))); // 404
        local.push(await caught(client.createAgent({ firstname: "a", lastname: "b", email: "nope" }))); // 400
        local.push(await caught(client.createAgent({ firstname: "a", lastname: "b", email: "jane.doe@acme.example" }))); // 409
        for (const e of local) expectClean(e, secrets);
      },
    );
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = createClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: "k",
      apiSecret: SECRET,
      retry: { maxAttempts: 2 },
    });
    try {
      errors.push(await caught(client.teams())); // reset → NetworkError
      errors.push(await caught(client.createAgent({ firstname: "a", lastname: "b", email: "c@d.e" })));
    } finally {
      await client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
    errors.push(
      await caught(Promise.resolve().then(() => createClient({ baseUrl: `http://example.com`, apiKey: "k", apiSecret: SECRET }))),
    );
    expect(errors).to.have.length(4);
    for (const e of errors) expectClean(e, [SECRET, basic("k", SECRET)]);
  });

  it("scrubs a secret that the server echoes back", async () => {
    const server = http.createServer((_req, res) => {
      res.statusCode = 400;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "error", message: `email: bad request with secret ${SECRET}` }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = createClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: "k", apiSecret: SECRET });
    try {
      const e = await caught(client.createAgent({ firstname: "a", lastname: "b", email: "c@d.e" }));
      expect((e as { apiMessage?: string }).apiMessage).to.contain("[redacted]");
      expectClean(e, [SECRET]);
    } finally {
      await client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("scrubs the secret echoed JSON-escaped or URL-encoded, in error answers and in 2xx answers of the wrong shape", async () => {
    const odd = 'Sx9"quote\\back/slash wörd&=+';
    const forms = [odd, JSON.stringify(odd).slice(1, -1), encodeURIComponent(odd), encodeURIComponent(odd).replace(/%20/g, "+")];
    let answer = 0;
    const server = http.createServer((_req, res) => {
      const echo = forms[answer % forms.length];
      res.setHeader("content-type", "application/json");
      // Odd answers: a 400 naming the secret; even ones: a 200 whose shape is wrong, the secret in a field.
      if (answer++ % 2 === 0) {
        res.statusCode = 200;
        res.end(`{"status":"success","data":{"id":"${JSON.stringify(echo).slice(1, -1)}","email":42}}`);
      } else {
        res.statusCode = 400;
        res.end(`{"status":"error","message":"bad request for ${JSON.stringify(echo).slice(1, -1)} and ?s=${encodeURIComponent(odd)}"}`);
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = createClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: "k",
      apiSecret: odd,
      snapshot: false,
    });
    try {
      for (let i = 0; i < 8; i++) {
        const e = await caught(client.readAgent(101));
        expect(e, "each answer fails").to.be.instanceOf(Error);
        expectClean(e, [...forms, basic("k", odd)]);
      }
    } finally {
      await client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("is absent from the client and the process-wide registry, however inspected", async () => {
    const client = sharedClient({ baseUrl: "http://127.0.0.1:9", apiKey: "key-1", apiSecret: SECRET });
    const registry = (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("pulumi-justcall.clients")];
    for (const text of [
      inspect(client, { showHidden: true, depth: null }),
      JSON.stringify(client),
      inspect(registry, { showHidden: true, depth: 4 }),
      Object.keys(client).join(","),
    ]) {
      expect(text).not.to.contain(SECRET);
      expect(text).not.to.contain(basic("key-1", SECRET));
    }
  });

  it("the debug log has method, path, status, attempt and wait, and nothing else", async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    await withEmulator({ faults: [{ route: "GET /v1/teams", kind: "status", status: 503, count: 1 }] }, {}, async (emu, client) => {
      process.env.JUSTCALL_DEBUG = "1";
      (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => {
        lines.push(String(s));
        return true;
      };
      try {
        await client.teams();
        await client.createAgent({ firstname: "Deb", lastname: "Ug", email: "debug.person@acme.example" });
      } finally {
        process.stderr.write = write;
        delete process.env.JUSTCALL_DEBUG;
      }
      const all = lines.join("");
      expect(lines[0]).to.match(
        /^\[justcall\] GET \/v1\/teams\?page=1&per_page=100 \(GET \/v1\/teams\) -> 503 attempt=1 waited=\d+ms took=\d+ms\n$/,
      );
      expect(lines[1]).to.match(/-> 200 attempt=2 /);
      expect(all).to.contain("POST /v1/agents");
      for (const s of [
        emu.credentials.apiSecret,
        basic(emu.credentials.apiKey, emu.credentials.apiSecret),
        "debug.person",
        "authorization",
      ]) {
        expect(all.toLowerCase()).not.to.contain(s.toLowerCase());
      }
    });
  });
});

describe("client: one shared client and governor per key", () => {
  afterEach(() => resetSharedClients());

  it("returns the same client for the same (baseUrl, apiKey) and settings", () => {
    const s = { baseUrl: "http://127.0.0.1:9", apiKey: "k", apiSecret: "s" };
    const a: JustCallClient = sharedClient(s);
    expect(sharedClient({ ...s })).to.equal(a);
    expect(sharedClient({ ...s, baseUrl: "http://127.0.0.1:9/v1" })).to.equal(a);
    expect(sharedClient({ ...s, apiKey: "other" })).not.to.equal(a);
    expect(sharedClient({ ...s, requestTimeoutMs: 5 })).not.to.equal(a);
  });

  it("two clients of one key share the governor: their combined burst stays under the limit", () =>
    withEmulator({ rateLimit: { limit: 20, windowMs: 1000 } }, {}, async (emu) => {
      const s = { baseUrl: emu.url, ...emu.credentials, snapshot: false, rateLimit: { limit: 20, windowMs: 1000 } };
      const a = sharedClient(s);
      const b = sharedClient({ ...s, requestTimeoutMs: 10_000 });
      expect(a).not.to.equal(b);
      await Promise.all([...Array.from({ length: 25 }, () => a.teams()), ...Array.from({ length: 25 }, () => b.numbers())]);
      expect((await emu.admin.requests()).counters.byStatus).to.deep.equal({ "200": 50 });
    }));
});
