// Which JustCall agents stay in JustCall although their resources leave the stack in this run.
//
// The roster guard (rosterGuard.ts) decides it: at up in its check, which the engine runs after
// every other registration and before any delete; at destroy in its delete, which runs first and
// alone. The engine then deletes the leaving Agents, TeamMemberships and NumberAssignments in the
// same provider process (one process serves every dynamic resource of an engine run), and those
// deletes ask here first. A kept agent's membership or number cannot tell from its own state that
// its agent is leaving: a team dropped from an agent who stays must still be removed.
//
// Kept on globalThis like the rest of the process state (runtime.ts, claims.ts). Outside a run
// with a roster guard nothing is recorded, and every delete proceeds as before.

import { processGlobal } from "./client/processGlobal";

function keptAgentIds(): Set<number> {
  return processGlobal("removal-plan", () => new Set<number>());
}

/** Records agents (JustCall ids) that stay in JustCall, with their memberships and numbers, in this run. */
export function keepInJustCall(agentIds: Iterable<number | string>): void {
  for (const id of agentIds) {
    if (/^\d+$/.test(String(id))) keptAgentIds().add(Number(id));
  }
}

/** True when this run keeps the agent in JustCall: its resources leave the stack with no API call. */
export function isKeptInJustCall(agentId: number | string): boolean {
  return keptAgentIds().has(Number(agentId));
}
