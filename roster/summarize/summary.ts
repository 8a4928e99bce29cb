// The summary's shape: who is invited, adopted, removed, moved, edited, and what drifted; and the
// two helpers that group changes by person.
import type { Person } from "./people";

export type { Person } from "./people";

export interface NewAgent {
  person: Person;
  teams: string[];
  numbers: string[];
  /** The preview could not ask JustCall whether the email exists (no credentials or network). */
  uncertain?: boolean;
  /** The stack managed this agent before, and JustCall no longer has it. */
  deletedInJustCall?: boolean;
  /** An adoption: each field it writes, JustCall's value → the roster's. */
  writes?: FieldChange[];
}

/** A role change that grants or takes away control of the account (needs JUSTCALL_ALLOW_ROLE_CHANGES). */
export interface RoleChange {
  person: Person;
  from: string;
  to: string;
  /** On adoption (the stack did not manage the agent before) or on update. */
  on: "adoption" | "update";
}

export interface Removal {
  person: Person;
  /**
   * delete: gone from JustCall for good; keep: stays in JustCall, no longer managed; stays:
   * another roster entry now manages the same JustCall agent (its email changed in JustCall).
   */
  action: "delete" | "keep" | "stays";
}

/** One person whose resource changes name, parent or is replaced: the old resource leaves the stack, the person stays. */
export interface Rename {
  person: Person;
  /** The old and the new resource's name (the same for a replace). */
  from: string;
  to: string;
}

export interface TeamChange {
  person: Person;
  joins: string[];
  leaves: string[];
}

export interface NumberMove {
  number: string;
  /** Undefined: nobody (unassigned). */
  from?: Person;
  to?: Person;
}

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface PersonChanges {
  person: Person;
  changes: FieldChange[];
}

export interface RosterSummary {
  /** preview: what `up` will do; refresh: what changed in JustCall outside the stack. */
  kind: "preview" | "refresh";
  stack?: string;
  failures: string[];
  /** Things the input could not tell (said at the top, next to failures). */
  notices: string[];
  invitations: NewAgent[];
  adoptions: NewAgent[];
  removals: Removal[];
  renames: Rename[];
  /** Privileged role changes, promotions to admin first. */
  roleChanges: RoleChange[];
  teamChanges: TeamChange[];
  numberMoves: NumberMove[];
  fieldEdits: PersonChanges[];
  /** preview: JustCall's value → the roster's, put back by up. refresh: the stack's → JustCall's. */
  drift: PersonChanges[];
  /** Agents in JustCall that the roster lacks (authoritative rosters). */
  unmanaged: string[];
  warnings: string[];
}

export function driftFor(list: PersonChanges[], person: Person, change: FieldChange): void {
  let entry = list.find((p) => p.person.email === person.email);
  if (!entry) list.push((entry = { person, changes: [] }));
  entry.changes.push(change);
}

export function teamChangeFor(list: TeamChange[], person: Person): TeamChange {
  let entry = list.find((t) => t.person.email === person.email);
  if (!entry) list.push((entry = { person, joins: [], leaves: [] }));
  return entry;
}
