// RosterAudit: with `authoritative: true`, the agents in the account that the roster lacks, as a
// read-only resource. Its check (at preview and up) and its read (at refresh) list them, so a
// preview, a refresh and a drift check all show people added in the JustCall dashboard.
//
// Like the provider's resources, the object Pulumi serializes into state captures only strings
// and loads the implementation by path inside the provider process (see provider/runtime.ts for
// why); the implementation shares the provider's configured client through provider/runtime.
import * as pulumi from "@pulumi/pulumi";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface RosterAuditArgs {
  /** The roster's emails; any other agent in the account is reported. */
  managedEmails: pulumi.Input<pulumi.Input<string>[]>;
}

const implFile = path.join(__dirname, "auditProvider.js");
const providerDir = path.join(__dirname, "..", "provider");

/** Package version and a hash of the implementation, so that a new build shows as a provider change. */
function build(): string {
  const version = require("../../package.json").version as string;
  const text = fs.existsSync(implFile) ? fs.readFileSync(implFile) : Buffer.from("");
  return `${version}+${crypto.createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}

function serializableProvider(rosterDir: string, runtimeDir: string, buildId: string): pulumi.dynamic.ResourceProvider {
  const load = (dir: string, fallback: string, name: string): any => {
    void buildId; // part of the serialized text on purpose: a new build is a visible provider change
    try {
      return require(`${dir}/${name}`);
    } catch (err: any) {
      if (err?.code !== "MODULE_NOT_FOUND") throw err;
      return require(`pulumi-justcall/dist/${fallback}/${name}`);
    }
  };
  const impl = () => load(rosterDir, "roster", "auditProvider.js").rosterAuditProvider;
  return {
    async configure(req: pulumi.dynamic.ConfigureRequest) {
      load(runtimeDir, "provider", "runtime.js").configureProcess(req.config);
    },
    async check(olds: any, news: any) {
      return impl().check(olds, news);
    },
    async diff(id: string, olds: any, news: any) {
      return impl().diff(id, olds, news);
    },
    async create(inputs: any) {
      return impl().create(inputs);
    },
    async read(id: string, props: any) {
      return impl().read(id, props);
    },
    async update(id: string, olds: any, news: any) {
      return impl().update(id, olds, news);
    },
    async delete(id: string, props: any) {
      return impl().delete(id, props);
    },
  };
}

let provider: pulumi.dynamic.ResourceProvider | undefined;

/** Read-only: agents in the account but absent from the roster. Type `pulumi-nodejs:dynamic/justcall:RosterAudit`. */
export class RosterAudit extends pulumi.dynamic.Resource {
  declare readonly unmanaged: pulumi.Output<string[]>;
  declare readonly unmanagedCount: pulumi.Output<number>;

  constructor(name: string, args: RosterAuditArgs, opts?: pulumi.CustomResourceOptions) {
    provider ??= serializableProvider(__dirname, providerDir, build());
    super(provider, name, { unmanaged: undefined, unmanagedCount: undefined, ...args }, opts, "justcall", "RosterAudit");
  }
}
