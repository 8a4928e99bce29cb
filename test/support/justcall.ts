// Helpers for provider tests on the real engine: a fresh emulator, stack config pointing at it,
// and a small roster-shaped inline program built from plain data.
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator, type EmulatorOptions } from "../../emulator";
import { Agent, NumberAssignment, TeamMembership } from "../../provider";

/** A fast rate limit for tests; the provider is told the same budget through config. */
export const TEST_RATE_LIMIT = { limit: 1000, windowMs: 1000 };

export async function freshEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ rateLimit: TEST_RATE_LIMIT, ...options });
}

export function providerConfig(emu: RunningEmulator, extra: ConfigMap = {}): ConfigMap {
  return {
    "justcall:apiKey": { value: emu.credentials.apiKey },
    "justcall:apiSecret": { value: emu.credentials.apiSecret, secret: true },
    "justcall:baseUrl": { value: emu.url },
    "justcall:rateLimit": { value: `${TEST_RATE_LIMIT.limit}/${TEST_RATE_LIMIT.windowMs}ms` },
    ...extra,
  };
}

export interface AgentSpec {
  name: string;
  email: string;
  firstname: string;
  lastname: string;
  role?: "agent" | "supervisor" | "admin";
  phone?: string;
  timezone?: string;
  teams?: string[];
  numbers?: string[];
  adoptExisting?: boolean;
  releaseNumbersOnDelete?: boolean;
  available?: boolean;
  unavailabilityReason?: string;
}

/**
 * An inline program declaring the given agents with their teams and numbers. Memberships and
 * assignments take `agent.id`, so the engine orders them after their agent (and deletes them
 * before it); `id` stays known while the agent is being updated, so a preview of an agent edit
 * leaves its memberships alone. Assignments are named by number: moving one is an update.
 */
export function rosterProgram(agents: AgentSpec[]) {
  return async () => {
    const out: Record<string, pulumi.Output<unknown>> = {};
    for (const spec of agents) {
      const { name, teams = [], numbers = [], ...args } = spec;
      const agent = new Agent(name, args);
      out[`${name}Id`] = agent.agentId;
      out[`${name}Status`] = agent.status;
      out[`${name}CreateAction`] = agent.createAction;
      for (const team of teams) new TeamMembership(`${name}-in-${team}`, { teamName: team, agentId: agent.id });
      for (const number of numbers) new NumberAssignment(`number-${number}`, { number, agentId: agent.id });
    }
    return out;
  };
}

/** Write calls (anything but GET) in the emulator's request log. */
export async function writeCalls(emu: RunningEmulator): Promise<string[]> {
  const { requests } = await emu.admin.requests();
  return requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}

export async function allCalls(emu: RunningEmulator): Promise<string[]> {
  const { requests } = await emu.admin.requests();
  return requests.map((r) => `${r.route} ${r.status}`);
}

export async function agentByEmail(emu: RunningEmulator, email: string) {
  const state = await emu.admin.state();
  return state.accounts[0].agents.find((a) => a.email.toLowerCase() === email.toLowerCase());
}
