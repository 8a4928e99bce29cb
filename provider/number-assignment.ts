// NumberAssignment: which agent holds one of the account's phone numbers. Numbers are bought in
// the JustCall dashboard; this resource only assigns, reassigns in place, and unassigns.
import type * as pulumi from "@pulumi/pulumi";
import type { PhoneNumber } from "./client";
import { unsupportedOperation, type ApiContract } from "./client";
import { configuredApi, isUnknown, operation, previewRead, type ResourceImplementation, type StoredProvider } from "./runtime";
import { checkFailures, stateId, strictId } from "./validation";
import { diffResult, replacedFields } from "./diff";
import { inputSchema, missingInputs, type StoredOutputs, withOutputs } from "./fields/field";
import { NUMBER_ASSIGNMENT_FIELDS } from "./fields/number-assignment";
import { NumberAssignmentOutputProperties, type NumberAssignmentArgs } from "./resource-types";
import { agentIdInput } from "./team-membership";
import { declareNumber, numberDeleteDecision } from "./run-ledger";

// ---- schema ---------------------------------------------------------------------------------

export type { NumberAssignmentArgs };

/** What the state holds: the table's outputs, the takeOver switch, and how the program named the number. */
export type NumberAssignmentOutputs = StoredProvider &
  StoredOutputs<typeof NUMBER_ASSIGNMENT_FIELDS> & {
    takeOver: boolean;
    /** How the program named the number, so refresh can rebuild the inputs. */
    numberInput?: NumberInput;
  };

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

const assignmentInputsSchema = inputSchema(NUMBER_ASSIGNMENT_FIELDS);

// ---- check ----------------------------------------------------------------------------------

async function check(olds: AssignmentInputs | undefined, news: AssignmentInputs): Promise<pulumi.dynamic.CheckResult<AssignmentInputs>> {
  const known = Object.fromEntries(Object.entries(news).filter(([k, v]) => !isUnknown(v) && !k.startsWith("__")));
  const parsed = assignmentInputsSchema.partial().safeParse(known);
  const failures = parsed.success ? [] : checkFailures(parsed.error);
  failures.push(
    ...missingInputs(NUMBER_ASSIGNMENT_FIELDS, news, { number: "give the number either as number (E.164) or as numberId (exactly one)" }),
  );
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
  const replaces = replacedFields(NUMBER_ASSIGNMENT_FIELDS, news as Record<string, unknown>, () => {
    const wanted = news.resolvedNumberId ?? news.numberId;
    if (isUnknown(wanted)) return false;
    return wanted !== undefined ? wanted === olds.numberId : news.number === olds.number;
  });
  // Another agent: one in-place reassignment, never release-then-assign.
  const agentChanged = isUnknown(news.agentId) || Number(news.agentId) !== olds.agentId;
  const takeOverChanged = news.takeOver !== undefined && olds.takeOver !== undefined && news.takeOver !== olds.takeOver;
  if (replaces.length === 0) declareNumber(olds.numberId);
  const changed = [...(agentChanged ? ["agentId"] : []), ...(takeOverChanged ? ["takeOver"] : [])];
  return diffResult(olds, news, { changed, replaces, deleteBeforeReplace: true });
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

type Implementation = ResourceImplementation<AssignmentInputs, StoredAssignment>;
export const numberAssignmentProvider: Implementation = { check, diff, create, read, update, delete: remove };

// ---- the resource -----------------------------------------------------------------------------

/** Which agent holds a phone number. Id: the number's JustCall id. */
export class NumberAssignment extends NumberAssignmentOutputProperties {
  constructor(name: string, args: NumberAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const numberInput = args.numberId !== undefined ? "id" : "number";
    super("NumberAssignment", name, { ...withOutputs(NUMBER_ASSIGNMENT_FIELDS, args), numberInput }, opts);
  }
}
