// The benchmark's account and roster: N agents, each in one of a few teams, one in ten holding a
// number. Pure functions of N, so every run (and every approach) sees the same workload.
import type * as pulumi from "@pulumi/pulumi";
import type { Seed } from "../emulator";
import { Agent, NumberAssignment, TeamMembership } from "../provider";

export const BENCH_CREDENTIALS = { apiKey: "bench_api_key", apiSecret: "bench_api_secret" };
export const TEAMS = ["Support", "Sales", "Billing", "Onboarding", "Escalations"];
/** Numbers beyond the N/10 the roster assigns, so the account also holds unassigned ones. */
const SPARE_NUMBERS = 5;

/** The phone number the i-th number-holding agent gets (E.164, US local). */
export function benchNumber(k: number): string {
  return `+1415600${String(k).padStart(4, "0")}`;
}

export function numberCount(n: number): number {
  return Math.ceil(n / 10) + SPARE_NUMBERS;
}

/**
 * One account with the teams and enough numbers for N agents, and no agents: refresh then lists
 * exactly the managed agents, so its page count can be compared with ceil(N/100).
 */
export function benchSeed(n: number): Seed {
  return {
    accounts: [
      {
        name: "Bench",
        ...BENCH_CREDENTIALS,
        teams: TEAMS.map((name) => ({ name })),
        numbers: Array.from({ length: numberCount(n) }, (_, k) => ({ number: benchNumber(k), country: "US", type: "local" })),
        agents: [],
      },
    ],
  };
}

export interface BenchAgent {
  index: number;
  email: string;
  firstname: string;
  lastname: string;
  team: string;
  number?: string;
}

/** Agents changed by the "up that changes 10%" step: every tenth, which includes every drifted one. */
export const isChanged = (i: number): boolean => i % 10 === 0;
/** Agents edited out of band before the drift refresh: every twentieth (5%). */
export const isDrifted = (i: number): boolean => i % 20 === 0;

export function benchRoster(n: number, variant: "initial" | "changed" = "initial"): BenchAgent[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    email: `agent${i}@bench.example`,
    firstname: variant === "changed" && isChanged(i) ? `Renamed${i}` : `First${i}`,
    lastname: `Last${i}`,
    team: TEAMS[i % TEAMS.length],
    number: i % 10 === 0 ? benchNumber(i / 10) : undefined,
  }));
}

/** The same roster as roster-file data (rosterStack's `roster` option). */
export function benchRosterData(n: number, variant: "initial" | "changed" = "initial") {
  return {
    agents: benchRoster(n, variant).map((a) => ({
      email: a.email,
      firstname: a.firstname,
      lastname: a.lastname,
      role: "agent",
      teams: [a.team],
      ...(a.number ? { numbers: [a.number] } : {}),
    })),
  };
}

/**
 * The inline program: one Agent per entry, one TeamMembership, and a NumberAssignment for one
 * agent in ten. Memberships and assignments take `agent.id`, as test/support/justcall.ts does;
 * no per-agent stack outputs, so the engine's work is the resources alone.
 */
export function benchProgram(agents: BenchAgent[]) {
  return async () => {
    for (const a of agents) {
      const agent = new Agent(`a${a.index}`, { email: a.email, firstname: a.firstname, lastname: a.lastname, role: "agent" });
      new TeamMembership(`a${a.index}-team`, { teamName: a.team, agentId: agent.id });
      if (a.number) new NumberAssignment(`a${a.index}-number`, { number: a.number, agentId: agent.id });
    }
    return { agents: agents.length } as Record<string, pulumi.Input<unknown>>;
  };
}

/** Resources the program declares (without the stack itself). */
export function resourceCount(n: number): number {
  return n + n + Math.ceil(n / 10);
}
