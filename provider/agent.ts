// Agent: one JustCall agent (user), created with an invitation, updated in place, deleted for good.
import type * as pulumi from "@pulumi/pulumi";
import type { Agent as ApiAgent, JustCallClient } from "./client";
import { DuplicateEmailError, unsupportedOperation, type ApiContract } from "./client";
import { configuredApi, isUnknown, operation, previewRead, type PreviewRead, type ResourceImplementation } from "./runtime";
import { agentDeleteDecision, declareAgentEmail, declareAgentId, roleChangeDecision } from "./run-ledger";
import { checkFailures, type ROLES, stateId } from "./validation";
import { AGENT_FIELDS } from "./fields/agent";
import { inputSchema, missingInputs, withOutputs } from "./fields/field";
import { diffResult } from "./diff";
import { AgentOutputProperties, type AgentArgs } from "./resource-types";
import {
  adoptionWrites,
  agentOutputs,
  apiInput,
  availabilityChange,
  AVAILABILITY_FIELDS,
  changedApiFields,
  changedFields,
  checked,
  DEFAULT_MANAGED,
  managedFields,
  OPTIONAL_FIELDS,
  reportedFields,
  REQUIRED_FIELDS,
  sameValue,
  storedManagedFields,
  API_FIELDS,
  storedSwitches,
  SWITCH_DEFAULTS,
  SWITCH_FIELDS,
  type AgentOutputs,
  type AgentProps,
  type CheckedAgent,
  type ManagedField,
} from "./agent-state";

export type { AgentOutputs, CreateAction } from "./agent-state";

// ---- schema: the field table (fields/agent.ts); AgentArgs is generated from it ----------------

export type Role = (typeof ROLES)[number];
export type { AgentArgs };

export const agentInputsSchema = inputSchema(AGENT_FIELDS);

// ---- check ----------------------------------------------------------------------------------

async function check(olds: AgentProps | undefined, news: AgentProps): Promise<pulumi.dynamic.CheckResult<AgentProps>> {
  const known = Object.fromEntries(Object.entries(news).filter(([k, v]) => !isUnknown(v) && !k.startsWith("__")));
  const parsed = agentInputsSchema.partial().safeParse(known);
  const failures = [...missingInputs(AGENT_FIELDS, news), ...(parsed.success ? [] : checkFailures(parsed.error))];
  if (failures.length > 0) return { inputs: news, failures };

  // Defaults are not written into the inputs: they are the same whether or not state holds them.
  const inputs = checked({ ...news, ...agentInputsSchema.partial().parse(known) });
  const api = await configuredApi();
  const versionFailures = [
    ...(api.canWrite("setAvailability") ? [] : availabilityFailures(inputs)),
    ...(api.canWrite("updateAgent") ? [] : await dashboardOnlyFailures(olds, inputs, api.contract)),
  ];
  if (versionFailures.length > 0) return { inputs, failures: versionFailures };

  // Two Agents for one email (case aside) would both manage one agent: refuse the second.
  if (!isUnknown(inputs.email)) {
    const earlier = declareAgentEmail(inputs.email);
    if (earlier !== undefined) {
      const same = earlier === inputs.email ? `${earlier} too` : `${earlier}, the same address: JustCall ignores case in emails`;
      return {
        inputs,
        failures: [
          {
            property: "email",
            reason:
              `another Agent in this program has email ${same}. One JustCall agent can be managed by one Agent only; ` +
              "remove or correct one of them",
          },
        ],
      };
    }
  }

  // A new agent: say in the preview whether create will send an invitation or adopt an existing
  // agent, and what an adoption will overwrite. One cached agent list serves every new agent.
  const isNew = olds === undefined || Object.keys(olds).length === 0 || olds.createAction === undefined;
  const wantsRole = typeof inputs.role === "string" && !isUnknown(inputs.role) && !isUnknown(inputs.email);
  let justcall: PreviewRead<ApiAgent | undefined> | undefined;
  if (isNew && !isUnknown(inputs.email)) {
    justcall = await previewRead(`Agent ${inputs.email}: look-up`, (client) => currentAgent(client, inputs));
    if (justcall.outcome === "failed") return { inputs, failures: [{ property: "email", reason: justcall.message }] };
    // A preview without credentials or network still shows the rest of the plan, this as unknown.
    inputs.createAction = justcall.outcome === "read" ? (justcall.value ? "adopt" : "invite") : "unknown";
    if (justcall.outcome === "read" && justcall.value) {
      if (inputs.adoptExisting === false) {
        return {
          inputs,
          failures: [
            {
              property: "email",
              reason:
                `an agent with email ${inputs.email} already exists in the JustCall account; ` +
                "set adoptExisting: true to manage it with this stack, or remove it from the program",
            },
          ],
        };
      }
      const writes = adoptionWrites(justcall.value, inputs);
      if (Object.keys(writes).length > 0) inputs.adoptionWrites = writes;
    }
  } else {
    inputs.createAction = olds?.createAction;
    if (olds?.adoptionWrites) inputs.adoptionWrites = olds.adoptionWrites;
    // The role the stack last applied (or a refresh read); not recorded: ask JustCall.
    if (wantsRole && olds?.role !== inputs.role && (olds?.role === undefined || olds.role === null)) {
      justcall = await previewRead(`Agent ${inputs.email}: look-up`, (client) => currentAgent(client, inputs));
      if (justcall.outcome === "failed") return { inputs, failures: [{ property: "role", reason: justcall.message }] };
    }
  }

  // A privileged role change (an admin's, the Account Owner's, a custom role's, to admin) needs
  // this run's allowance (run-ledger.ts); a new agent is invited with its role, which is no change.
  const invited = isNew && (justcall?.outcome !== "read" || justcall.value === undefined);
  if (wantsRole && !invited) {
    const known = justcall === undefined ? { role: olds?.role } : justcall.outcome === "read" ? justcall.value : undefined;
    if (known) {
      const decision = roleChangeDecision(inputs.email, known.role, inputs.role as string);
      if (decision.action === "refuse") return { inputs, failures: [{ property: "role", reason: decision.reason }] };
    }
  }
  return { inputs };
}

/**
 * The agent JustCall has for this email, with the fields the program manages (the guide's list
 * lacks some). From the agent list this run's provider holds, however old: one list serves every
 * check of a run (10,000 agents are 100 pages), where a list that expired half way through the
 * checks would be read again. What it decides is shown, not done: create looks again, and
 * JustCall refusing a duplicate email is the real check.
 */
async function currentAgent(client: JustCallClient, inputs: CheckedAgent): Promise<ApiAgent | undefined> {
  const listed = await client.findAgentByEmail(inputs.email, { anyAge: true });
  if (!listed) return undefined;
  return (await client.readAgent(listed.id, { complete: reportedFields(managedFields(inputs)), anyAge: true })) ?? listed;
}

/** The guide's API (v1) has no availability write. */
function availabilityFailures(inputs: AgentProps) {
  return AVAILABILITY_FIELDS.filter((f) => inputs[f] !== undefined).map((f) => ({
    property: f,
    reason: `${f} can only be set with justcall:apiVersion v2.1: the v1 guide documents availability (status) as read-only`,
  }));
}

/**
 * The published API (v2.1) cannot invite, delete or edit users: say so at preview, with the
 * dashboard step, wherever the preview can know it. What it cannot know here fails at up.
 */
async function dashboardOnlyFailures(
  olds: AgentProps | undefined,
  inputs: CheckedAgent,
  contract: ApiContract,
): Promise<{ property: string; reason: string }[]> {
  if (inputs.phone !== undefined) {
    return [
      {
        property: "phone",
        reason: "phone is not part of JustCall's published API (v2.1): remove it from the program, or use justcall:apiVersion v1",
      },
    ];
  }
  if (isUnknown(inputs.email)) return [];
  const isNew = olds === undefined || Object.keys(olds).length === 0;
  if (!isNew) {
    // A change the program makes to a field the API cannot write.
    const fields = API_FIELDS.filter(
      (f) =>
        AGENT_FIELDS[f].wire.v21 !== null &&
        inputs[f] !== undefined &&
        !isUnknown(inputs[f]) &&
        olds[f] !== undefined &&
        !sameValue(f, olds[f], inputs[f]),
    );
    if (fields.length === 0) return [];
    const step = unsupportedOperation(contract, "updateAgent", { email: olds.email ?? inputs.email, fields }).message;
    return fields.map((f) => ({ property: f, reason: step }));
  }
  const lookup = await previewRead(`Agent ${inputs.email}: look-up`, (client) => client.findAgentByEmail(inputs.email));
  if (lookup.outcome === "failed") return [{ property: "email", reason: lookup.message }];
  if (lookup.outcome === "skipped") return []; // create reports it instead
  const existing: ApiAgent | undefined = lookup.value;
  if (!existing) {
    return [{ property: "email", reason: unsupportedOperation(contract, "createAgent", { email: inputs.email }).message }];
  }
  const fields = changedApiFields(agentOutputs(existing, inputs, true), inputs);
  if (fields.length === 0) return [];
  const step = unsupportedOperation(contract, "updateAgent", { agentId: existing.id, email: existing.email, fields }).message;
  return fields.map((f) => ({ property: f, reason: step }));
}

// ---- diff -----------------------------------------------------------------------------------

async function diff(id: string, olds: AgentProps, news: AgentProps): Promise<pulumi.dynamic.DiffResult> {
  // This resource holds its JustCall agent after this run (an Agent is never replaced).
  declareAgentId(id);
  const fields = [...Object.keys(changedFields(olds, news)), ...(availabilityChange(olds, news) ? ["available"] : [])];
  const flags = SWITCH_FIELDS.filter((f) => isUnknown(news[f]) || (news[f] ?? SWITCH_DEFAULTS[f]) !== (olds[f] ?? SWITCH_DEFAULTS[f]));
  // Never a replacement: that would delete the agent's history and send a new invitation.
  return diffResult(olds, news, { changed: [...fields, ...flags], deleteBeforeReplace: false });
}

// ---- create, read, update, delete ------------------------------------------------------------

async function create(props: AgentProps): Promise<pulumi.dynamic.CreateResult<AgentOutputs>> {
  const inputs = checked(props);
  return operation(`Agent ${inputs.email}: create`, async (client) => {
    // Adopt instead of import (dynamic resources cannot be imported): an agent that already has
    // this email is taken over, with no invitation. The same look-up makes a re-run of an
    // interrupted create safe. The list may be as old as the run: an agent added since is refused
    // as a duplicate, and then looked up afresh.
    let existing = await client.findAgentByEmail(inputs.email, { anyAge: true });
    if (!existing) {
      try {
        const created = await applyAvailability(client, await client.createAgent(apiInput(inputs)), inputs);
        declareAgentId(created.id);
        return { id: String(created.id), outs: agentOutputs(created, inputs, false) };
      } catch (err) {
        if (!(err instanceof DuplicateEmailError)) throw err;
        // Created out of band since the cached list was read.
        client.invalidateListCache();
        existing = await client.findAgentByEmail(inputs.email);
        if (!existing) throw err;
      }
    }
    if (inputs.adoptExisting === false) {
      throw new DuplicateEmailError(
        `an agent with email ${inputs.email} already exists (id ${existing.id}); ` +
          "set adoptExisting: true to manage it with this stack, or remove it from the program",
      );
    }
    // The list may not report every field the program sets (the guide's list leaves some managed fields out).
    // From the same list as the look-up (anyAge), not a fresh one: an expired list would be read again in full.
    existing = (await client.readAgent(existing.id, { complete: reportedFields(managedFields(inputs)), anyAge: true })) ?? existing;
    const changes = changedFields(existing, inputs);
    let agent = Object.keys(changes).length > 0 ? await client.updateAgent(existing.id, changes) : existing;
    agent = await applyAvailability(client, agent, inputs);
    // Adopted: if another resource of the stack held this agent (a rename, a replace), its delete leaves the person.
    declareAgentId(agent.id);
    return { id: String(agent.id), outs: agentOutputs(agent, inputs, true) };
  });
}

async function applyAvailability(client: JustCallClient, agent: ApiAgent, inputs: AgentProps): Promise<ApiAgent> {
  const change = availabilityChange(agent, inputs);
  return change ? client.setAvailability(agent.id, change.available, change.reason) : agent;
}

async function read(id: string, props: AgentProps = {}): Promise<{ id: string; props: AgentProps; inputs?: AgentProps }> {
  return operation(`Agent ${props.email ?? id}: read`, async (client) => {
    const managed: ManagedField[] = props.managedFields ?? [...DEFAULT_MANAGED];
    const agent = await client.readAgent(stateId(id, `Agent ${props.email ?? id}: read`), { complete: reportedFields(managed) });
    // Gone: refresh drops it from state and the next up creates it again.
    if (!agent) return { id: "", props: {} };
    // Which of the reported fields the program manages stays as recorded (agentOutputs would take
    // every field the old outputs hold for managed).
    const { managedFields: _reported, ...outs }: AgentOutputs = agentOutputs(agent, props, props.adopted ?? false, props);
    Object.assign(outs, storedManagedFields(managed));
    const inputs: AgentProps = {
      ...Object.fromEntries(REQUIRED_FIELDS.map((f) => [f, outs[f]])),
      ...storedSwitches(outs),
      createAction: props.adopted ? "adopt" : "invite",
    };
    for (const field of [...OPTIONAL_FIELDS, ...AVAILABILITY_FIELDS]) {
      if (managed.includes(field)) Object.assign(inputs, { [field]: outs[field] ?? undefined });
    }
    return { id, props: outs, inputs };
  });
}

async function update(id: string, olds: AgentProps, news: AgentProps): Promise<pulumi.dynamic.UpdateResult<AgentProps>> {
  const changes = changedFields(olds, news);
  if (Object.keys(changes).length === 0 && !availabilityChange(olds, news)) {
    // Only the provider code or a provider-side switch changed: no API call.
    const unchanged = Object.fromEntries(
      Object.entries(olds).filter(([k]) => k !== "managedFields" && !(SWITCH_FIELDS as string[]).includes(k)),
    ) as AgentProps;
    return { outs: { ...unchanged, ...storedSwitches(news), ...storedManagedFields(managedFields(news)) } };
  }
  const agentId = stateId(id, `Agent ${news.email}: update`);
  declareAgentId(agentId);
  return operation(`Agent ${news.email}: update`, async (client) => {
    let agent = Object.keys(changes).length > 0 ? await client.updateAgent(agentId, changes) : await client.readAgent(agentId);
    if (!agent) throw new Error("the agent no longer exists in JustCall; run pulumi refresh, then pulumi up");
    agent = await applyAvailability(client, agent, news);
    return { outs: agentOutputs(agent, news, olds.adopted ?? false, olds) };
  });
}

async function remove(id: string, props: AgentProps): Promise<void> {
  const agentId = stateId(id, `Agent ${props.email ?? id}: delete`);
  // Whether this delete may reach JustCall is decided in one place (run-ledger.ts, docs/deletion.md).
  const decision = agentDeleteDecision(agentId, props.email);
  if (decision.action === "leave") return;
  if (decision.action === "refuse") throw new Error(`Agent ${props.email ?? id}: delete: ${decision.reason}`);
  await operation(`Agent ${props.email ?? id}: delete`, async (client) => {
    // The published API cannot delete: gone already (deleted in the dashboard) is done, otherwise
    // the error names the dashboard step.
    if (!client.supports("deleteAgent")) {
      await client.deleteAgent(agentId);
      return;
    }
    // The guide's warning, enforced: deleting an agent who still holds numbers loses them. The
    // number list is at most a few seconds old, shared by the run's deletes (docs/deletion.md).
    const held = await client.numbersHeldBy(agentId);
    if (held.length > 0 && !props.releaseNumbersOnDelete) {
      const list = held.map((n) => n.number).join(", ");
      throw new Error(
        `not deleted: the agent still holds ${held.length === 1 ? "number" : "numbers"} ${list}. ` +
          "Move them to another agent (a NumberAssignment with that agent), or unassign them in JustCall, " +
          "or set releaseNumbersOnDelete: true on this Agent to unassign them on delete; then run pulumi up again.",
      );
    }
    for (const number of held) await client.assignNumber(number.id, null);
    await client.deleteAgent(agentId);
  });
}

export const agentProvider: ResourceImplementation<AgentProps, AgentProps> = { check, diff, create, read, update, delete: remove };

// ---- the resource -----------------------------------------------------------------------------

/** A JustCall agent. Type token `pulumi-nodejs:dynamic/justcall:Agent`; the Pulumi id is the JustCall id. */
export class Agent extends AgentOutputProperties {
  constructor(name: string, args: AgentArgs, opts?: pulumi.CustomResourceOptions) {
    super("Agent", name, withOutputs(AGENT_FIELDS, args), opts);
  }
}
