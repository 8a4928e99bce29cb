// RosterGuard: the roster stack's brake on deletions that cannot be undone (JustCall has no soft
// delete). The roster program declares it last, depending on every other resource of the roster:
//
// - up / preview: its check runs after every other registration and before any delete (the engine
//   deletes what the program dropped only at the end of a successful run). It counts what the
//   engine will delete: every Agent in the stack's state that this run's roster no longer declares
//   (read by the program when the run starts, roster/stack-state.ts), however it got there. It
//   fails the run when more agents would be deleted from JustCall than the removal budget allows,
//   at preview and with --skip-preview alike; otherwise it approves exactly those JustCall ids in
//   the run ledger (run-ledger.ts), and an Agent delete it did not approve is refused there. It
//   also adds `removals` to its inputs, so the preview says what happens to each leaving agent.
// - destroy: a resource that depends on all others is deleted first and alone; its delete refuses
//   unless allowed, so a refused destroy writes nothing (with --continue-on-error too: the engine
//   skips every dependency of a failed delete).
//
// Allowing is per run, through the environment of the pulumi command (the provider process
// inherits it; destroy runs with the provider config stored in state, the environment is current).
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown, JustCallResource, type ResourceImplementation, type StoredProvider } from "./runtime";
import { allowanceFrom, heldAgentIds, recordGuardDecision } from "./run-ledger";
import { strictId, type OnRemove } from "./validation";
import { providerChanged } from "./diff";

// ---- schema ---------------------------------------------------------------------------------

export type { OnRemove };

export interface RosterGuardArgs {
  /** The stack's name (`pulumi.getStack()`): JUSTCALL_ALLOW_DESTROY must name it. */
  stack: pulumi.Input<string>;
  /** Every agent the roster manages: lower-case email → what happens to it in JustCall when it leaves. */
  agents: pulumi.Input<Record<string, OnRemove>>;
  /** Lower-case email → the Agent's id (its JustCall id). */
  agentIds: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Most agents one run may delete from JustCall. Default: the larger of 3 and 10% of the agents the stack managed. */
  removalBudget?: pulumi.Input<number>;
  /** The Agents of the stack's state that this run's roster does not declare, as the program read them (see InState). */
  inState?: pulumi.Input<InState>;
  /**
   * What check fills in (each leaving agent and what happens to it). Give `pulumi.secret({})` to
   * have the state store it encrypted: the engine marks a property secret when its input was.
   */
  removals?: pulumi.Input<Record<string, Removal>>;
}

/**
 * What the program read of the stack's state when the run started: how many Agents it holds and,
 * of those, the ones this run's roster does not declare (lower-case email → JustCall id). Or why
 * it could not be read: the guard then counts from its own record, and still approves only what
 * it counted.
 */
export type InState = { read: true; agents: number; notDeclared: Record<string, number> } | { read: false; why: string };

/**
 * What happens in JustCall to an agent that leaves the stack in this run. delete: deleted for
 * good; keep: stays, no longer managed (onRemove: keep); stays: another entry of the roster now
 * manages the same JustCall agent (its email changed), so nobody leaves.
 */
export type Removal = OnRemove | "stays";

/** Environment variable: how many agent deletions this one run may make, beyond the budget. */
export const ALLOW_REMOVALS_ENV = "JUSTCALL_ALLOW_REMOVALS";
/** Environment variable: the stack name whose destroy may delete its agents. */
export const ALLOW_DESTROY_ENV = "JUSTCALL_ALLOW_DESTROY";

export const DEFAULT_BUDGET_MIN = 3;
export const DEFAULT_BUDGET_SHARE = 0.1;

/** The default removal budget for a stack that managed `managed` agents: a few, or a small share, whichever is larger. */
export function defaultRemovalBudget(managed: number): number {
  return Math.max(DEFAULT_BUDGET_MIN, Math.floor(managed * DEFAULT_BUDGET_SHARE));
}

/**
 * The guard's inputs as the engine passes them to check: the program's values, any of which may be
 * unknown at preview (Pulumi's sentinel string), then `removals` that check adds.
 */
export interface GuardInputs extends StoredProvider {
  stack: string;
  agents?: Record<string, OnRemove>;
  agentIds?: Record<string, string | number>;
  removalBudget?: number;
  /** Read by the program for this run's check; not stored. */
  inState?: InState;
  /** Added by check: each leaving agent and what happens to it in JustCall (for the preview). */
  removals?: Record<string, Removal>;
}

/** What the state holds: what the last run managed. */
export interface GuardOutputs extends StoredProvider {
  stack: string;
  agents: Record<string, OnRemove>;
  agentIds: Record<string, string | number>;
  removalBudget?: number;
}

// ---- check ----------------------------------------------------------------------------------

/** What plannedRemovals reads, as the engine passes it (values not yet checked). */
type RosterRecord = { agents?: Record<string, string>; agentIds?: Record<string, unknown>; inState?: InState };

export interface PlannedRemovals {
  /** Each leaving agent (lower-case email) and what happens to it in JustCall. */
  removals: Record<string, Removal>;
  /** The JustCall id of each leaving agent, where known. */
  ids: Record<string, number>;
  /** How many agents the stack managed: the removal budget's base. */
  managed: number;
}

/**
 * The removals of one run. Counted from the stack's state (news.inState) when the program could
 * read it: every Agent there that the roster no longer declares will be deleted by the engine. If
 * not, from the guard's record of the last successful run (olds). `held`: JustCall ids another
 * Agent of this run holds (the run ledger), which nobody leaves.
 */
export function plannedRemovals(
  olds: RosterRecord | undefined,
  news: RosterRecord,
  held: ReadonlySet<number> = new Set(),
): PlannedRemovals {
  const policy: Record<string, string> = olds?.agents ?? {};
  const stayingIds = new Set([
    ...held,
    ...Object.values(news.agentIds ?? {})
      .map(strictId)
      .filter((id): id is number => id !== undefined),
  ]);
  const candidates: Record<string, number | undefined> = {};
  let managed: number;
  const inState = news.inState;
  if (inState && !isUnknown(inState) && inState.read) {
    Object.assign(candidates, inState.notDeclared);
    managed = inState.agents;
  } else {
    const current: Record<string, unknown> = isUnknown(news.agents) ? policy : (news.agents ?? {});
    for (const email of Object.keys(policy)) if (!(email in current)) candidates[email] = strictId(olds?.agentIds?.[email]);
    managed = Object.keys(policy).length;
  }
  const removals: Record<string, Removal> = {};
  const ids: Record<string, number> = {};
  for (const email of Object.keys(candidates).sort()) {
    const id = candidates[email];
    if (id !== undefined) ids[email] = id;
    // An entry that leaves while another entry now manages the same JustCall agent (the email was
    // changed in JustCall, then in the roster, and the new entry adopted it) is not a person leaving.
    removals[email] = id !== undefined && stayingIds.has(id) ? "stays" : policy[email] === "keep" ? "keep" : "delete";
  }
  return { removals, ids, managed };
}

/** JUSTCALL_ALLOW_REMOVALS as a number of agents, undefined when unset; an Error when it is not a count. */
export function removalAllowance(env: NodeJS.ProcessEnv): number | undefined | Error {
  return allowanceFrom(env, ALLOW_REMOVALS_ENV, "agents this run may delete");
}

/** "a, b, c" with at most `max` names, then "and N more". */
export function nameList(emails: string[], max = 30): string {
  if (emails.length <= max) return emails.join(", ");
  return `${emails.slice(0, max).join(", ")} and ${emails.length - max} more`;
}

const agentsWord = (n: number) => `${n} ${n === 1 ? "agent" : "agents"}`;

async function check(olds: GuardInputs | undefined, news: GuardInputs): Promise<pulumi.dynamic.CheckResult<GuardInputs>> {
  const { removals, ids, managed } = plannedRemovals(olds, news, heldAgentIds());
  // The state read serves this run's check only; `removals` says what it found.
  const { inState, ...stored } = news;
  const inputs = { ...stored, removals };
  const leaving = Object.keys(removals);
  const deletions = leaving.filter((e) => removals[e] === "delete");
  const kept = leaving.filter((e) => removals[e] === "keep");
  const fromRecord =
    inState && !isUnknown(inState) && !inState.read
      ? ` (the stack's state could not be read, ${inState.why}: counted from the roster guard's record of the last successful run)`
      : "";

  const explicitBudget = typeof news.removalBudget === "number";
  const budget = typeof news.removalBudget === "number" ? news.removalBudget : defaultRemovalBudget(managed);
  const approve = (): { inputs: GuardInputs } => {
    // The one decision every Agent delete of this run asks (run-ledger.ts): exactly these ids.
    recordGuardDecision({
      run: "up",
      stack: news.stack,
      approved: new Map(deletions.filter((e) => ids[e] !== undefined).map((e) => [ids[e], e])),
      kept: new Set(kept.filter((e) => ids[e] !== undefined).map((e) => ids[e])),
    });
    return { inputs };
  };
  if (deletions.length <= budget) return approve();

  const allowance = removalAllowance(process.env);
  if (allowance instanceof Error) return { inputs, failures: [{ property: "", reason: allowance.message }] };
  if (allowance !== undefined && deletions.length <= allowance) return approve();

  const why = explicitBudget
    ? "removalBudget in the roster"
    : `the larger of ${DEFAULT_BUDGET_MIN} and ${DEFAULT_BUDGET_SHARE * 100}% of the ${managed} agents this stack manages`;
  const allowed = allowance !== undefined ? ` (${ALLOW_REMOVALS_ENV}=${allowance} allows only ${allowance})` : "";
  const reason =
    `this run would delete ${agentsWord(deletions.length)} from JustCall, for good, more than the removal budget of ${budget} ` +
    `(${why})${allowed}: ${nameList(deletions)}.${kept.length > 0 ? ` Kept in JustCall: ${nameList(kept)}.` : ""}${fromRecord} ` +
    "Nothing was deleted. If the roster is wrong (a truncated export, a bad merge, the wrong justcall:rosterFile), correct it. " +
    `If these people really leave, allow this one run with ${ALLOW_REMOVALS_ENV}=${deletions.length} in the environment of ` +
    `pulumi (e.g. ${ALLOW_REMOVALS_ENV}=${deletions.length} pulumi up). To keep them in JustCall instead, set onRemove: keep ` +
    "on them (or on the roster) and run pulumi up before removing them. See docs/deletion.md.";
  return { inputs, failures: [{ property: "", reason }] };
}

// ---- diff -----------------------------------------------------------------------------------

function sameRecord(a: unknown, b: unknown): boolean {
  const entries = (o: unknown) =>
    o && typeof o === "object"
      ? JSON.stringify(Object.entries(o as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : JSON.stringify(o ?? null);
  return entries(a) === entries(b);
}

async function diff(_id: string, olds: GuardOutputs, news: GuardInputs): Promise<pulumi.dynamic.DiffResult> {
  // `removals` describes one run and is not compared: the run after a removal shows no change.
  const changed =
    !sameRecord(olds.agents, news.agents) ||
    !sameRecord(olds.agentIds, news.agentIds) ||
    (olds.removalBudget ?? null) !== (news.removalBudget ?? null) ||
    olds.stack !== news.stack;
  return { changes: changed || providerChanged(olds, news), replaces: [], deleteBeforeReplace: false };
}

// ---- create, read, update, delete ------------------------------------------------------------

function outputs(inputs: GuardInputs): GuardOutputs {
  const outs: GuardOutputs = { stack: inputs.stack, agents: inputs.agents ?? {}, agentIds: inputs.agentIds ?? {} };
  if (inputs.removalBudget !== undefined) outs.removalBudget = inputs.removalBudget;
  return outs;
}

async function create(inputs: GuardInputs): Promise<pulumi.dynamic.CreateResult<GuardOutputs>> {
  return { id: "roster-guard", outs: outputs(inputs) };
}

async function read(id: string, props?: GuardOutputs): Promise<{ id: string; props?: GuardOutputs }> {
  // Nothing in JustCall to read: the guard holds what the last run managed.
  return { id, props };
}

async function update(_id: string, _olds: GuardOutputs, news: GuardInputs): Promise<pulumi.dynamic.UpdateResult<GuardOutputs>> {
  return { outs: outputs(news) };
}

/**
 * Destroy (or a program that no longer declares the roster): refused while any agent would be
 * deleted from JustCall, unless JUSTCALL_ALLOW_DESTROY names this stack. Runs before every other
 * delete of the stack, so a refusal writes nothing.
 */
async function remove(_id: string, props: GuardOutputs): Promise<void> {
  const agents: Record<string, OnRemove> = props.agents ?? {};
  const emails = Object.keys(agents).sort();
  const deletions = emails.filter((e) => agents[e] !== "keep");
  const kept = emails.filter((e) => agents[e] === "keep");
  const allowed = process.env[ALLOW_DESTROY_ENV]?.trim();
  if (deletions.length > 0 && allowed !== props.stack) {
    const wrong = allowed ? ` (${ALLOW_DESTROY_ENV}=${allowed} names another stack)` : "";
    throw new Error(
      `not destroyed: removing this roster stack would delete ${agentsWord(deletions.length)} from JustCall for good, ` +
        `with their team memberships and number assignments: ${nameList(deletions)}.` +
        `${kept.length > 0 ? ` Kept in JustCall (onRemove: keep): ${nameList(kept)}.` : ""} Nothing was changed${wrong}. ` +
        `To delete them, run it again with ${ALLOW_DESTROY_ENV}=${props.stack} in the environment ` +
        `(e.g. ${ALLOW_DESTROY_ENV}=${props.stack} pulumi destroy). To stop managing them and leave JustCall as it is, ` +
        "set onRemove: keep at the top of the roster, run pulumi up, then pulumi destroy. See docs/deletion.md.",
    );
  }
  // Allowed (or nothing to delete): the run ledger lets this destroy's deletes through; the kept
  // agents' memberships and numbers stay in JustCall too.
  const keptIds = kept.map((e) => strictId(props.agentIds?.[e])).filter((id): id is number => id !== undefined);
  recordGuardDecision({ run: "destroy", stack: props.stack, kept: new Set(keptIds) });
}

export const rosterGuardProvider: ResourceImplementation<GuardInputs, GuardOutputs> = { check, diff, create, read, update, delete: remove };

// ---- the resource -----------------------------------------------------------------------------

/**
 * The roster's removal budget and destroy guard. Declare it last, with `dependsOn` every other
 * resource of the roster. Type token `pulumi-nodejs:dynamic/justcall:RosterGuard`.
 */
export class RosterGuard extends JustCallResource {
  declare readonly agents: pulumi.Output<Record<string, OnRemove>>;

  constructor(name: string, args: RosterGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super("RosterGuard", name, { ...args }, opts);
  }
}
