// The review's reads: the agent, team and number lists, every page, and nothing else (no get by
// id, no write). Progress is told per page from the client's own counts of answered requests.
import type { JustCallClient } from "../../provider/client";
import type { Agent, PhoneNumber, Team } from "../../provider/client/types";

export type ReadPhase = "agents" | "teams" | "numbers";

export interface ReadProgress {
  phase: ReadPhase;
  /** Pages of this list answered so far. */
  pages: number;
  /** Requests so far (429s included) and time spent waiting for the rate limit. */
  requests: number;
  waitedMs: number;
}

export interface AccountLists {
  agents: Agent[];
  teams: Team[];
  numbers: PhoneNumber[];
}

/**
 * Reads the three lists one after the other. `onProgress` is called every `tickMs` (a long wait
 * for the rate limit still moves a terminal's line) with `newPage` true once per page answered.
 */
export async function readAccount(
  client: JustCallClient,
  onProgress: (p: ReadProgress, newPage: boolean) => void = () => undefined,
  tickMs = 200,
): Promise<AccountLists> {
  const counts = () => {
    const m = client.metrics();
    let requests = 0;
    let answered = 0;
    for (const byStatus of Object.values(m.requests))
      for (const [status, n] of Object.entries(byStatus)) {
        requests += n;
        if (/^2\d\d$/.test(status)) answered += n;
      }
    return { requests, answered, waitedMs: m.waitedMs };
  };
  let phase: ReadPhase = "agents";
  let phaseStart = 0;
  let told = 0;
  const tick = () => {
    const c = counts();
    // A page answered before this tick is told with the requests made up to it (the later pages' left out).
    const at = (page: number) => ({ phase, pages: page - phaseStart, requests: c.requests - (c.answered - page), waitedMs: c.waitedMs });
    if (c.answered === told) onProgress(at(told), false);
    while (told < c.answered) onProgress(at(++told), true);
  };
  const timer = setInterval(tick, tickMs);
  const read = async <T>(next: ReadPhase, list: () => Promise<T>): Promise<T> => {
    phase = next;
    phaseStart = told;
    const result = await list();
    tick();
    return result;
  };
  try {
    const agents = await read("agents", () => client.listAgents());
    const teams = await read("teams", () => client.teams());
    const numbers = await read("numbers", () => client.numbers());
    return { agents, teams, numbers };
  } finally {
    clearInterval(timer);
  }
}
