// NumberAssignment: which agent holds one of the account's phone numbers. Numbers are bought in
// the JustCall dashboard; this resource only assigns, reassigns in place, and unassigns.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { PhoneNumber } from "./client";
import { unsupportedOperation, type ApiContract } from "./client";
import {
  configuredApi,
  isUnknown,
  operation,
  previewRead,
  JustCallResource,
  type ResourceImplementation,
  type StoredProvider,
} from "./runtime";
import { checkFailures, E164, stateId, strictId } from "./validation";
import { agentIdInput } from "./team-membership";
import { declareNumber, numberDeleteDecision } from "./run-ledger";

// ---- schema ---------------------------------------------------------------------------------

export interface NumberAssignmentArgs {
  /** The number, E.164 (resolved to its JustCall id at preview). Give this or numberId. */
  number?: pulumi.Input<string>;
  /** The number's JustCall id. Give this or number. */
  numberId?: pulumi.Input<number>;
  /** The agent who holds it: an Agent's `id` (prefer it, see TeamMembership) or `agentId`. Changing it reassigns in place. */
  agentId: pulumi.Input<number | string>;
  /**
   * When the number is held by another agent at create time, take it from them. Default false:
   * the create fails and names the current holder.
   */
  takeOver?: pulumi.Input<boolean>;
}

export interface NumberAssignmentOutputs extends StoredProvider {
  numberId: number;
  number: string;
  agentId: number;
  country: string | null;
  type: string | null;
  takeOver: boolean;
  /** How the program named the number, so refresh can rebuild the inputs. */
  numberInput?: NumberInput;
}

/** What the state holds: what this version writes, or an older version wrote (fields may be missing). */
type StoredAssignment = Partial<NumberAssignmentOutputs>;

/** Which of number and numberId the program gave (set by the resource class). */
type NumberInput = "number" | "id";

/** The inputs as the engine passes them (any value may be unknown at preview), and as check returns them. */
interface AssignmentInputs extends StoredProvider {
  number?: string;
  numberId?: number;
  /** An Agent's id (a numeric string) or agentId; check turns the former into the number. */
  agentId?: number | string;
  takeOver?: boolean;
  numberInput?: NumberInput;
  /** Added by check: the number's id, resolved once. */
  resolvedNumberId?: number;
}

const assignmentInputsSchema = z.object({
  number: z.string().regex(E164, "must be an E.164 number, like +14155550100").optional(),
  numberId: z.number().int().positive().optional(),
  agentId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, "must be a JustCall agent id")]),
  takeOver: z.boolean().optional(),
});

// ---- check ----------------------------------------------------------------------------------

async function check(olds: AssignmentInputs | undefined, news: AssignmentInputs): Promise<pulumi.dynamic.CheckResult<AssignmentInputs>> {
  const known = Object.fromEntries(Object.entries(news).filter(([k, v]) => !isUnknown(v) && !k.startsWith("__")));
  const parsed = assignmentInputsSchema.partial().safeParse(known);
  const failures = parsed.success ? [] : checkFailures(parsed.error);
  if (news.agentId === undefined) failures.push({ property: "agentId", reason: "agentId is required" });
  if ((news.number === undefined) === (news.numberId === undefined)) {
    failures.push({ property: "number", reason: "give the number either as number (E.164) or as numberId (exactly one)" });
  }
  if (failures.length > 0) return { inputs: news, failures };
  const inputs: AssignmentInputs = { ...news, agentId: agentIdInput(news.agentId), takeOver: news.takeOver ?? false };
  if (isUnknown(news.number) || isUnknown(news.numberId)) return { inputs };

  const api = await configuredApi();
  const readOnly = !api.canWrite("assignNumber");
  // Resolve the number when it is new to this resource; an empty update makes no API call.
  const agentId = inputs.agentId;
  if (olds?.resolvedNumberId !== undefined && olds.number === news.number && olds.numberId === news.numberId) {
    if (readOnly && typeof agentId === "number" && olds.agentId !== undefined && Number(olds.agentId) !== agentId) {
      return {
        inputs,
        failures: [{ property: "agentId", reason: cannotAssign(api.contract, news.number ?? olds.number, olds.resolvedNumberId, agentId) }],
      };
    }
    declareNumber(olds.resolvedNumberId);
    return { inputs: { ...inputs, resolvedNumberId: olds.resolvedNumberId } };
  }
  const lookup = await previewRead("NumberAssignment: number look-up", (client) => client.numbers());
  if (lookup.outcome === "failed")
    return { inputs, failures: [{ property: news.number !== undefined ? "number" : "numberId", reason: lookup.message }] };
  if (lookup.outcome === "skipped") return { inputs }; // no API at preview (e.g. no credentials): resolved at create instead
  const numbers: PhoneNumber[] = lookup.value;
  const found = findNumber(numbers, news);
  if (!found) {
    return { inputs, failures: [{ property: news.number !== undefined ? "number" : "numberId", reason: noNumber(news) }] };
  }
  // The published API (v2.1) cannot assign numbers: say so at preview when the agent is known.
  if (readOnly && typeof agentId === "number" && found.assignedTo !== agentId) {
    return { inputs, failures: [{ property: "agentId", reason: cannotAssign(api.contract, found.number, found.id, agentId) }] };
  }
  declareNumber(found.id);
  return { inputs: { ...inputs, resolvedNumberId: found.id } };
}

function cannotAssign(contract: ApiContract, number: string | undefined, numberId: number | undefined, agentId: number): string {
  return unsupportedOperation(contract, "assignNumber", { number, numberId, assignTo: agentId }).message;
}

function findNumber(numbers: PhoneNumber[], ref: { number?: string; numberId?: number; resolvedNumberId?: number }) {
  const id = ref.resolvedNumberId ?? ref.numberId;
  return id !== undefined ? numbers.find((n) => n.id === id) : numbers.find((n) => n.number === ref.number);
}

function noNumber(ref: { number?: string; numberId?: number }): string {
  const which = ref.number !== undefined ? ref.number : `with id ${ref.numberId}`;
  return `the number ${which} is not in the JustCall account; numbers are bought in the JustCall dashboard (Phone Numbers), not through the API`;
}

// ---- diff -----------------------------------------------------------------------------------

async function diff(_id: string, olds: StoredAssignment, news: AssignmentInputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces: string[] = [];
  const wanted = news.resolvedNumberId ?? news.numberId;
  if (isUnknown(news.number) || isUnknown(wanted)) replaces.push(news.number !== undefined ? "number" : "numberId");
  else if (wanted !== undefined ? wanted !== olds.numberId : news.number !== olds.number) {
    replaces.push(news.number !== undefined ? "number" : "numberId");
  }
  // Another agent: one in-place reassignment, never release-then-assign.
  const agentChanged = isUnknown(news.agentId) || Number(news.agentId) !== olds.agentId;
  const takeOverChanged = news.takeOver !== undefined && olds.takeOver !== undefined && news.takeOver !== olds.takeOver;
  const providerChanged = news.__provider !== undefined && olds.__provider !== undefined && news.__provider !== olds.__provider;
  if (replaces.length === 0) declareNumber(olds.numberId);
  return { changes: replaces.length > 0 || agentChanged || takeOverChanged || providerChanged, replaces, deleteBeforeReplace: true };
}

// ---- create, read, update, delete ------------------------------------------------------------

function assignmentOutputs(number: PhoneNumber, agentId: number, takeOver: boolean): NumberAssignmentOutputs {
  return { numberId: number.id, number: number.number, agentId, country: number.country, type: number.type, takeOver };
}

async function create(inputs: AssignmentInputs): Promise<pulumi.dynamic.CreateResult<NumberAssignmentOutputs>> {
  const agentId = Number(inputs.agentId);
  const label = inputs.number ?? `number ${inputs.numberId}`;
  return operation(`NumberAssignment ${label} → agent ${agentId}: create`, async (client) => {
    const current = findNumber(await client.numbers(), inputs);
    if (!current) throw new Error(noNumber(inputs));
    if (current.assignedTo !== null && current.assignedTo !== agentId && !inputs.takeOver) {
      throw new Error(
        `${current.number} is held by agent ${current.assignedTo}. To move it, manage that assignment in this ` +
          "stack and change its agentId (an in-place reassignment), or set takeOver: true on this NumberAssignment.",
      );
    }
    // Already held by this agent (adoption, or a re-run after an interruption): no call.
    const assigned = current.assignedTo === agentId ? current : await client.assignNumber(current.id, agentId);
    declareNumber(assigned.id);
    return {
      id: String(assigned.id),
      outs: { ...assignmentOutputs(assigned, agentId, inputs.takeOver ?? false), numberInput: inputs.numberInput },
    };
  });
}

async function read(id: string, props?: StoredAssignment): Promise<{ id: string; props: StoredAssignment; inputs?: AssignmentInputs }> {
  const numberId = stateId(id, `NumberAssignment ${props?.number ?? id}: read`);
  return operation(`NumberAssignment ${props?.number ?? id}: read`, async (client) => {
    const number = (await client.numbers()).find((n) => n.id === numberId);
    // Gone from the account, or unassigned behind our back: refresh drops it, up assigns again.
    if (!number || number.assignedTo === null) return { id: "", props: {} };
    const outs = assignmentOutputs(number, number.assignedTo, props?.takeOver ?? false);
    // Moved to another agent: the inputs show the holder JustCall reports, so a preview after
    // refresh shows the reassignment that up will make.
    return { id, props: { ...props, ...outs }, inputs: { ...inputsFrom(props), agentId: number.assignedTo } };
  });
}

function inputsFrom(props: StoredAssignment = {}): AssignmentInputs {
  const inputs: AssignmentInputs = {
    takeOver: props.takeOver ?? false,
    resolvedNumberId: props.numberId,
    numberInput: props.numberInput ?? "number",
  };
  if (props.numberInput === "id") inputs.numberId = props.numberId;
  else inputs.number = props.number;
  return inputs;
}

async function update(id: string, olds: StoredAssignment, news: AssignmentInputs): Promise<pulumi.dynamic.UpdateResult<StoredAssignment>> {
  const agentId = Number(news.agentId);
  if (agentId === olds.agentId) return { outs: { ...olds, takeOver: news.takeOver ?? false } };
  return operation(`NumberAssignment ${olds.number}: reassign to agent ${agentId}`, async (client) => {
    const number = await client.assignNumber(stateId(id, `NumberAssignment ${olds.number}: reassign`), agentId);
    return { outs: { ...olds, ...assignmentOutputs(number, agentId, news.takeOver ?? false) } };
  });
}

async function remove(id: string, props: StoredAssignment): Promise<void> {
  const numberId = stateId(id, `NumberAssignment ${props.number ?? id}: unassign`);
  // Decided in one place (run-ledger.ts): held by another assignment of this run, or its agent kept.
  if (numberDeleteDecision(numberId, strictId(props.agentId)).action !== "delete") return;
  await operation(`NumberAssignment ${props.number ?? id}: unassign`, async (client) => {
    const number = (await client.numbers()).find((n) => n.id === numberId);
    // Unassign only if this agent still holds it; never release the number from the account.
    if (number && number.assignedTo === Number(props.agentId)) await client.assignNumber(number.id, null);
  });
}

export const numberAssignmentProvider: ResourceImplementation<AssignmentInputs, StoredAssignment> = {
  check,
  diff,
  create,
  read,
  update,
  delete: remove,
};

// ---- the resource -----------------------------------------------------------------------------

/** Which agent holds a phone number. Id: the number's JustCall id. */
export class NumberAssignment extends JustCallResource {
  declare readonly numberId: pulumi.Output<number>;
  declare readonly number: pulumi.Output<string>;
  declare readonly agentId: pulumi.Output<number>;
  declare readonly country: pulumi.Output<string | null>;
  declare readonly type: pulumi.Output<string | null>;

  constructor(name: string, args: NumberAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputsOnly = { numberId: undefined, number: undefined, country: undefined, type: undefined };
    super("NumberAssignment", name, { ...outputsOnly, ...args, numberInput: args.numberId !== undefined ? "id" : "number" }, opts);
  }
}
