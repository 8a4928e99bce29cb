import { expect } from "chai";
import { RateGovernor } from "../../../provider/client/governor";

const budgets = [
  { window: "minute", limit: 30, windowMs: 60_000 },
  { window: "hour", limit: 1800, windowMs: 3_600_000 },
];

describe("client/governor: two windows", () => {
  it("a first request that fails before any answer does not close the windows", async () => {
    const g = new RateGovernor(budgets);
    try {
      let thrown = false;
      await g
        .run(async () => {
          throw new Error("not sent");
        })
        .catch(() => (thrown = true));
      expect(thrown).to.equal(true);
      const t0 = Date.now();
      const { value } = await g.run(async () => "sent");
      expect(value).to.equal("sent");
      expect(Date.now() - t0, "not held for the guessed minute window").to.be.lessThan(20_000);
    } finally {
      await g.stop();
    }
  });

  it("an exhausted hour holds requests although the minute has room, until the hour resets", async () => {
    const g = new RateGovernor(budgets);
    try {
      await g.run(async (t) =>
        g.observe(t, [
          { window: "hour", limit: 1800, remaining: 0, resetMs: 400 },
          { window: "minute", limit: 30, remaining: 29, resetMs: 50_000 },
        ]),
      );
      const t0 = Date.now();
      await g.run(async (t) => g.observe(t, []));
      expect(Date.now() - t0, "held until the hour's reset").to.be.at.least(380);
    } finally {
      await g.stop();
    }
  });

  it("the minute binds when the hour has room", async () => {
    const g = new RateGovernor(budgets);
    try {
      await g.run(async (t) =>
        g.observe(t, [
          { window: "hour", limit: 1800, remaining: 1500, resetMs: 3_000_000 },
          { window: "minute", limit: 30, remaining: 0, resetMs: 300 },
        ]),
      );
      const t0 = Date.now();
      await g.run(async (t) => g.observe(t, []));
      expect(Date.now() - t0, "held until the minute's reset").to.be.at.least(280);
    } finally {
      await g.stop();
    }
  });
});

describe("client/governor: a server window that ends before our estimate", () => {
  /** Lets bottleneck apply reservoir changes and start what they admit (it works in later turns). */
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it("takes the server's word that a new window began, and sends what it has left, no more", async () => {
    const g = new RateGovernor({ limit: 5, windowMs: 3_600_000 });
    const observeLeft = (t: Parameters<Parameters<RateGovernor["run"]>[0]>[0], remaining: number) =>
      g.observe(t, [{ limit: 5, remaining, resetMs: 3_000_000 }]);
    try {
      // Two requests counted in a window our estimate says lasts 50 minutes; then the server
      // counts the third as the first of a new window (4 left), long before that estimate.
      for (const remaining of [4, 3, 4]) await g.run(async (t) => observeLeft(t, remaining));
      let started = 0;
      const release: (() => void)[] = [];
      const queued = Array.from({ length: 8 }, () =>
        g.run(async (t) => {
          started++;
          await new Promise<void>((resolve) => release.push(() => resolve()));
          observeLeft(t, 0);
        }),
      );
      await settle();
      // Following the old window alone would send 2 (5 - 3); the server's new window has 4.
      expect(started).to.equal(4);
      for (const r of release.splice(0)) r();
      await settle();
      expect(started, "the new window is spent: the rest wait for its reset").to.equal(4);
      await g.stop();
      await Promise.allSettled(queued);
    } finally {
      await g.stop();
    }
  });
});
