// RosterAudit: with `authoritative: true`, the agents in the account that the roster lacks, as a
// read-only resource. Its check (at preview and up) and its read (at refresh) list them, so a
// preview, a refresh and a drift check all show people added in the JustCall dashboard.
//
// Like the provider's resources, the provider Pulumi stores in state is the short text of
// provider/runtime.ts (storedProvider: the implementation loaded by path inside the provider
// process), and the implementation shares the provider's configured client.
import type * as pulumi from "@pulumi/pulumi";
import { JustCallResource } from "../provider/runtime";

export interface RosterAuditArgs {
  /** The roster's emails; any other agent in the account is reported. */
  managedEmails: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * What check fills in (the account's agents the roster lacks). Give `pulumi.secret([])` to have
   * the state store it encrypted: the engine marks a property secret when its input was.
   */
  unmanaged?: pulumi.Input<string[]>;
}

/** Read-only: agents in the account but absent from the roster. Type `pulumi-nodejs:dynamic/justcall:RosterAudit`. */
export class RosterAudit extends JustCallResource {
  declare readonly unmanaged: pulumi.Output<string[]>;
  declare readonly unmanagedCount: pulumi.Output<number>;

  constructor(name: string, args: RosterAuditArgs, opts?: pulumi.CustomResourceOptions) {
    super("RosterAudit", name, { unmanaged: undefined, unmanagedCount: undefined, ...args }, opts);
  }
}
