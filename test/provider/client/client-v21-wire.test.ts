/**
 * The v2.1 client over real HTTP against a tiny hand-written server (not the emulator): what goes
 * on the wire, both rate-limit windows, a 429 without Retry-After, and pagination that follows
 * next_page_link.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type JustCallClient } from "../../../provider/client";
import type { ClientSettings } from "../../../provider/client";

interface Window {
  limit: number;
  windowMs: number;
  start?: number;
  used: number;
}

interface Fake {
  url: string;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  statuses: number[];
  close(): Promise<void>;
}

function tick(w: Window, now: number): void {
  if (w.start === undefined || now >= w.start + w.windowMs) {
    w.start = now;
    w.used = 0;
  }
}

function limitHeaders(prefix: string, w: Window, now: number): Record<string, string> {
  return {
    [`${prefix}-limit`]: String(w.limit),
    [`${prefix}-remaining`]: String(Math.max(0, w.limit - w.used)),
    [`${prefix}-reset`]: String(Math.max(0, (w.start! + w.windowMs - now) / 1000)),
  };
}

const user = (id: number) => ({
  id,
  name: `User ${id}`,
  email: `u${id}@example.com`,
  role: "agent",
  available: "Yes",
  unavailability_reason: null,
  owned_numbers: [],
});

/** Fixed windows per key, hour and minute, as the reference describes; 429 past either. */
async function fakeV21(opts: {
  hour: { limit: number; windowMs: number };
  minute: { limit: number; windowMs: number };
  users?: number;
  capPerPage?: number;
  retryAfter?: boolean;
  first429?: boolean;
}): Promise<Fake> {
  const hour: Window = { ...opts.hour, used: 0 };
  const minute: Window = { ...opts.minute, used: 0 };
  const users = Array.from({ length: opts.users ?? 3 }, (_, i) => user(i + 1));
  const seen: Fake["seen"] = [];
  const statuses: number[] = [];
  let forced429 = opts.first429 ?? false;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const now = Date.now();
      tick(hour, now);
      tick(minute, now);
      const send = (status: number, json: unknown, extra: Record<string, string> = {}) => {
        statuses.push(status);
        res.writeHead(status, {
          "content-type": "application/json",
          ...limitHeaders("x-rate-limit", hour, now),
          ...limitHeaders("x-rate-limit-burst", minute, now),
          ...extra,
        });
        res.end(JSON.stringify(json));
      };
      if (forced429) {
        // Another client spent the minute: the burst window is exhausted for now.
        forced429 = false;
        minute.used = minute.limit;
        return send(429, { status: "error", message: "Too many requests" });
      }
      if (hour.used >= hour.limit || minute.used >= minute.limit) {
        const wait = hour.used >= hour.limit ? hour.start! + hour.windowMs - now : minute.start! + minute.windowMs - now;
        return send(
          429,
          { status: "error", message: "Too many requests" },
          opts.retryAfter ? { "retry-after": String(Math.ceil(wait / 1000)) } : {},
        );
      }
      hour.used++;
      minute.used++;
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/v2.1/users") {
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 50), opts.capPerPage ?? 100);
        const page = Number(url.searchParams.get("page") ?? 0);
        const data = users.slice(page * perPage, (page + 1) * perPage);
        const last = (page + 1) * perPage >= users.length;
        return send(200, {
          status: "success",
          count: data.length,
          total_count: users.length,
          current_page: page,
          per_page: perPage,
          next_page_link: last ? null : `/v2.1/users?page=${page + 1}&per_page=${perPage}`,
          prev_page_link: page === 0 ? null : `/v2.1/users?page=${page - 1}&per_page=${perPage}`,
          data,
        });
      }
      const m = url.pathname.match(/^\/v2\.1\/users\/(\d+)$/);
      if (m) {
        const u = users.find((x) => x.id === Number(m[1]));
        return u ? send(200, { status: "success", data: u }) : send(404, { status: "error", message: "User not found" });
      }
      send(404, { status: "error", message: "Not found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    statuses,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function withFake<T>(fake: Fake, settings: Partial<ClientSettings>, fn: (c: JustCallClient) => Promise<T>): Promise<T> {
  const client = createClient({
    baseUrl: fake.url,
    apiKey: "key-1",
    apiSecret: "secret-1",
    apiVersion: "v2.1",
    snapshot: false,
    ...settings,
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
    await fake.close();
  }
}

describe("client v2.1 on the wire (hand-written server)", () => {
  it("sends raw key:secret, Accept: application/json, /v2.1 paths from a host-only base URL", async () => {
    const fake = await fakeV21({ hour: { limit: 100, windowMs: 60_000 }, minute: { limit: 100, windowMs: 60_000 } });
    await withFake(fake, {}, async (client) => {
      expect(client.apiVersion).to.equal("v2.1");
      expect((await client.readAgent(2))?.firstname).to.equal("User");
      expect(await client.readAgent(99)).to.equal(undefined);
      const [first] = fake.seen;
      expect(first.headers.authorization).to.equal("key-1:secret-1");
      expect(first.headers.accept).to.equal("application/json");
      expect(fake.seen.map((s) => s.url)).to.deep.equal(["/v2.1/users/2", "/v2.1/users/99"]);
    });
  });

  it("follows next_page_link past a server that caps per_page below 100, from page 0", async () => {
    const fake = await fakeV21({
      hour: { limit: 1000, windowMs: 60_000 },
      minute: { limit: 1000, windowMs: 60_000 },
      users: 120,
      capPerPage: 50,
    });
    await withFake(fake, {}, async (client) => {
      const all = await client.listAgents();
      expect(all.map((a) => a.id)).to.deep.equal(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(fake.seen.map((s) => s.url)).to.deep.equal([
        "/v2.1/users?page=0&per_page=100",
        "/v2.1/users?page=1&per_page=100",
        "/v2.1/users?page=2&per_page=100",
      ]);
    });
  });

  it("honours the hour window when it binds (the minute has room): zero 429", async () => {
    const fake = await fakeV21({ hour: { limit: 8, windowMs: 1500 }, minute: { limit: 50, windowMs: 500 } });
    await withFake(fake, { rateLimits: { hour: { limit: 8, windowMs: 1500 }, minute: { limit: 50, windowMs: 500 } } }, async (client) => {
      const t0 = Date.now();
      const got = await Promise.all(Array.from({ length: 20 }, (_, i) => client.readAgent((i % 3) + 1)));
      expect(got.every((a) => a !== undefined)).to.equal(true);
      expect(fake.statuses.filter((s) => s === 429)).to.deep.equal([]);
      expect(client.metrics().rateLimited).to.equal(0);
      // 20 requests at 8 per 1.5 s window need the third window.
      expect(Date.now() - t0).to.be.greaterThan(2 * 1500);
    });
  });

  it("honours the minute window when it binds (the hour has room): zero 429", async () => {
    const fake = await fakeV21({ hour: { limit: 500, windowMs: 60_000 }, minute: { limit: 6, windowMs: 700 } });
    await withFake(fake, { plan: "business" }, async (client) => {
      const got = await Promise.all(Array.from({ length: 20 }, (_, i) => client.readAgent((i % 3) + 1)));
      expect(got.every((a) => a !== undefined)).to.equal(true);
      expect(fake.statuses).to.have.length(20);
      expect(fake.statuses.every((s) => s === 200)).to.equal(true);
    });
  });

  it("after a 429 without Retry-After, waits for the exhausted window's reset from the headers", async () => {
    const fake = await fakeV21({ hour: { limit: 500, windowMs: 60_000 }, minute: { limit: 5, windowMs: 1000 }, first429: true });
    await withFake(fake, { retry: { maxAttempts: 1 } }, async (client) => {
      const t0 = Date.now();
      expect((await client.readAgent(1))?.id).to.equal(1);
      const waited = Date.now() - t0;
      expect(fake.statuses).to.deep.equal([429, 200]);
      expect(waited).to.be.within(900, 3000);
      const m = client.metrics();
      expect(m).to.include({ rateLimited: 1, retries: 0 });
    });
  });
});
