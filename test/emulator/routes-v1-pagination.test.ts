import { expect } from "chai";
import type { Seed } from "../../emulator";
import { call, emulatorFixture } from "./helpers";

/** 25 agents, 12 teams, 30 numbers in one account. */
function bigSeed(): Seed {
  return {
    accounts: [
      {
        name: "Big",
        apiKey: "demo_api_key",
        apiSecret: "demo_api_secret",
        teams: Array.from({ length: 12 }, (_, i) => ({ name: `Team ${i}` })),
        agents: Array.from({ length: 25 }, (_, i) => ({ firstname: `F${i}`, lastname: `L${i}`, email: `a${i}@big.example` })),
        numbers: Array.from({ length: 30 }, (_, i) => ({ number: `+1415555${String(1000 + i)}`, country: "US", type: "local" })),
      },
    ],
  };
}

describe("emulator: envelopes and pagination", () => {
  const fixture = emulatorFixture();

  it("lists carry status, data, total, page and per_page, defaulting to page 1 of 10", async () => {
    const emu = await fixture.use({ seed: bigSeed() });
    for (const path of ["/v1/agents", "/v1/teams", "/v1/phone-numbers"]) {
      const res = await call(emu, "GET", path);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/^application\/json/);
      expect(Object.keys(res.body).sort()).to.deep.equal(["data", "page", "per_page", "status", "total"]);
      expect(res.body.status).to.equal("success");
      expect(res.body.page).to.equal(1);
      expect(res.body.per_page).to.equal(10);
      expect(res.body.data).to.have.length(10);
    }
  });

  it("pages through every record exactly once, ordered by id ascending", async () => {
    const emu = await fixture.use({ seed: bigSeed() });
    const seen: number[] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await call(emu, "GET", `/v1/agents?page=${page}&per_page=7`);
      expect(res.body.total).to.equal(25);
      expect(res.body.page).to.equal(page);
      expect(res.body.per_page).to.equal(7);
      seen.push(...res.body.data.map((a: { id: number }) => a.id));
    }
    expect(seen).to.have.length(25);
    expect(seen).to.deep.equal([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).to.equal(25);
  });

  it("a page past the end is an empty data array with the real total", async () => {
    const emu = await fixture.use({ seed: bigSeed() });
    const res = await call(emu, "GET", "/v1/phone-numbers?page=99&per_page=100");
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: "success", data: [], total: 30, page: 99, per_page: 100 });
  });

  it("per_page=100 is allowed and returns everything", async () => {
    const emu = await fixture.use({ seed: bigSeed() });
    const res = await call(emu, "GET", "/v1/phone-numbers?per_page=100");
    expect(res.body.data).to.have.length(30);
  });

  const bad: Array<[string, string]> = [
    ["page=0", "page: must be at least 1"],
    ["page=-1", "page: must be an integer"],
    ["page=abc", "page: must be an integer"],
    ["page=1.5", "page: must be an integer"],
    ["page=", "page: must be an integer"],
    ["page=1&page=2", "page: must be an integer"],
    ["per_page=0", "per_page: must be between 1 and 100"],
    ["per_page=101", "per_page: must be between 1 and 100"],
    ["per_page=ten", "per_page: must be an integer"],
  ];
  for (const [query, message] of bad) {
    it(`answers 400 for ?${query}`, async () => {
      const emu = await fixture.use();
      for (const path of ["/v1/agents", "/v1/teams", "/v1/phone-numbers"]) {
        const res = await call(emu, "GET", `${path}?${query}`);
        expect(res.status, path).to.equal(400);
        expect(res.body).to.deep.equal({ status: "error", message });
      }
    });
  }

  it("unknown routes and methods answer 404 with the error envelope", async () => {
    const emu = await fixture.use();
    for (const [method, path] of [
      ["GET", "/v1/users"],
      ["PUT", "/v1/agents/101"],
      ["PATCH", "/v1/agents/101"],
      ["GET", "/"],
      ["GET", "/v2/agents"],
    ]) {
      const res = await call(emu, method, path);
      expect(res.status, `${method} ${path}`).to.equal(404);
      expect(res.body.status).to.equal("error");
      expect(res.body.message).to.equal(`Route ${method} ${path} not found`);
    }
  });

  it("non-numeric and unknown ids answer 404", async () => {
    const emu = await fixture.use();
    for (const path of ["/v1/agents/abc", "/v1/agents/0", "/v1/agents/99999", "/v1/teams/1e3", "/v1/phone-numbers/-5"]) {
      const res = await call(emu, "GET", path);
      expect(res.status, path).to.equal(404);
      expect(res.body.status).to.equal("error");
    }
  });
});
