import { expect } from "chai";
import { RateGovernor } from "../../provider/client/governor";

const budgets = [
  { window: "minute", limit: 30, windowMs: 60_000 },
  { window: "hour", limit: 1800, windowMs: 3_600_000 },
];

describe("client/governor: two windows", () => {
  it("a first request that fails before any answer does not close the windows", async () => {
    const g = new RateGovernor(budgets);
    try {
      let thrown = false;
      await g.run(async () => {
        throw new Error("not sent");
      }).catch(() => (thrown = true));
      expect(thrown).to.equal(true);
      const t0 = Date.now();
      const { value } = await g.run(async () => "sent");
      expect(value).to.equal("sent");
      expect(Date.now() - t0).to.be.lessThan(500);
    } finally {
      await g.stop();
    }
  });

  it("an exhausted hour holds requests although the minute has room, until the hour resets", async () => {
    const g = new RateGovernor(budgets);
    try {
      await g.run(async (t) => g.observe(t, [
        { window: "hour", limit: 1800, remaining: 0, resetMs: 400 },
        { window: "minute", limit: 30, remaining: 29, resetMs: 50_000 },
      ]));
      const t0 = Date.now();
      await g.run(async (t) => g.observe(t, []));
      expect(Date.now() - t0).to.be.within(380, 1500);
    } finally {
      await g.stop();
    }
  });

  it("the minute binds when the hour has room", async () => {
    const g = new RateGovernor(budgets);
    try {
      await g.run(async (t) => g.observe(t, [
        { window: "hour", limit: 1800, remaining: 1500, resetMs: 3_000_000 },
        { window: "minute", limit: 30, remaining: 0, resetMs: 300 },
      ]));
      const t0 = Date.now();
      await g.run(async (t) => g.observe(t, []));
      expect(Date.now() - t0).to.be.within(280, 1500);
    } finally {
      await g.stop();
    }
  });
});
