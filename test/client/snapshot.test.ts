// The shared list reads (Snapshot): how long a list serves the reads after it.
import { expect } from "chai";
import { setTimeout as delay } from "node:timers/promises";
import { Snapshot } from "../../provider/client/snapshot";

/** A snapshot whose every read takes `readMs`, counting its reads. */
function slowList(ttlMs: number, readMs: number) {
  let reads = 0;
  const snapshot = new Snapshot(ttlMs, async () => {
    reads++;
    await delay(readMs);
    return [`read ${reads}`];
  });
  return { snapshot, reads: () => reads };
}

describe("client/snapshot: how long a list serves", () => {
  it("a list that takes longer than the TTL to read still serves the reads after it (10,000 agents at 100 requests a minute)", async () => {
    const { snapshot, reads } = slowList(1_000, 1_500);
    const first = await Promise.all([snapshot.get(), snapshot.get()]);
    expect(first).to.deep.equal([["read 1"], ["read 1"]]);
    // Right after it arrived: served, not read again (the TTL counts from arrival, not from the read's start).
    expect(await snapshot.get()).to.deep.equal(["read 1"]);
    expect(reads()).to.equal(1);
  });

  it("a bound on staleness (the delete guard's maxAgeMs) counts from when the read started", async () => {
    const { snapshot, reads } = slowList(60_000, 300);
    await snapshot.get();
    // Started 300 ms or more ago: older than a 200 ms bound, so it is read again; a looser bound is served.
    expect(await snapshot.get(60_000)).to.deep.equal(["read 1"]);
    expect(await snapshot.get(200)).to.deep.equal(["read 2"]);
    expect(reads()).to.equal(2);
  });
});
