// The shared list reads (ListCache): how long a list serves the reads after it.
import { expect } from "chai";
import { setTimeout as delay } from "node:timers/promises";
import { ListCache } from "../../../provider/client/list-cache";

/** A list cache whose every read takes `readMs`, counting its reads. */
function slowList(ttlMs: number, readMs: number) {
  let reads = 0;
  const cache = new ListCache(ttlMs, async () => {
    reads++;
    await delay(readMs);
    return [`read ${reads}`];
  });
  return { cache, reads: () => reads };
}

describe("client/list-cache: how long a list serves", () => {
  it("a list that takes longer than the TTL to read still serves the reads after it (10,000 agents at 100 requests a minute)", async () => {
    const { cache, reads } = slowList(1_000, 1_500);
    const first = await Promise.all([cache.get(), cache.get()]);
    expect(first).to.deep.equal([["read 1"], ["read 1"]]);
    // Right after it arrived: served, not read again (the TTL counts from arrival, not from the read's start).
    expect(await cache.get()).to.deep.equal(["read 1"]);
    expect(reads()).to.equal(1);
  });

  it("a bound on staleness (the delete guard's maxAgeMs) counts from when the read started", async () => {
    const { cache, reads } = slowList(60_000, 300);
    await cache.get();
    // Started 300 ms or more ago: older than a 200 ms bound, so it is read again; a looser bound is served.
    expect(await cache.get(60_000)).to.deep.equal(["read 1"]);
    expect(await cache.get(200)).to.deep.equal(["read 2"]);
    expect(reads()).to.equal(2);
  });
});

/** A list read page by page, each page released by the test: `release()` lets the next page arrive. */
function pagedList(pages: string[][]) {
  let reads = 0;
  const gates: (() => void)[] = [];
  const cache = new ListCache<string[]>(60_000, async (progress) => {
    reads++;
    const out: string[] = [];
    for (const page of pages) {
      await new Promise<void>((resolve) => gates.push(resolve));
      for (const item of page) {
        out.push(item);
        progress(out);
      }
    }
    return out;
  });
  const release = async () => {
    while (gates.length === 0) await delay(1);
    gates.shift()!();
    await delay(1);
  };
  return { cache, release, reads: () => reads };
}

/** Whether the promise has settled, without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true), delay(5).then(() => false)]);
}

describe("client/list-cache: one item of a list being read", () => {
  it("a reader after one item has it when its page arrives, not when the last page does (a refresh's agents under the floor)", async () => {
    const { cache, release, reads } = pagedList([["ann", "bob"], ["cy"], ["dee"]]);
    const bob = cache.find((x) => x === "bob");
    const dee = cache.find((x) => x === "dee");
    await release();
    expect(await settled(bob)).to.equal(true);
    expect(await bob).to.equal("bob");
    expect(await settled(dee)).to.equal(false);
    // A reader arriving after the first page finds an item of it at once.
    expect(await cache.find((x) => x === "ann")).to.equal("ann");
    await release();
    expect(await settled(dee)).to.equal(false);
    await release();
    expect(await dee).to.equal("dee");
    expect(reads()).to.equal(1);
  });

  it("an item that is not in the list is known absent only when the last page has arrived", async () => {
    const { cache, release } = pagedList([["ann"], ["bob"]]);
    const zed = cache.find((x) => x === "zed");
    await release();
    expect(await settled(zed)).to.equal(false);
    await release();
    expect(await zed).to.equal(undefined);
    // Served from the list now held, without another read.
    expect(await cache.find((x) => x === "bob")).to.equal("bob");
  });

  it("while a confirmed write waits to be laid over the load, readers wait for the whole list (the write may change their item)", async () => {
    const { cache, release } = pagedList([["ann", "bob"], ["cy"]]);
    const first = cache.find((x) => x.startsWith("bob"));
    cache.patchAll((list) => list.map((x) => (x === "bob" ? "bob (released)" : x)));
    await release();
    expect(await settled(first)).to.equal(false);
    await release();
    expect(await first).to.equal("bob (released)");
  });
});
