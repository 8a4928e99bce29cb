// `npm run demo`: the roster stack against a local emulator, no JustCall account needed. It
// starts the emulator with its demo seed, runs `pulumi up`, shows a change (`preview --diff`)
// and a drift (`refresh`), then stops the emulator. State goes to a local file backend under the
// repository's ignored .pulumi-local/.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { rosterStack } from "./program";
import { summarizeEngineJson } from "./summarize";

const repoRoot = path.resolve(__dirname, "..", "..");
const PROJECT = "justcall-roster";
const STACK = "demo";

function say(text: string): void {
  const bold = process.stdout.isTTY ? ["\x1b[1m", "\x1b[0m"] : ["", ""];
  process.stdout.write(`\n${bold[0]}==> ${text}${bold[1]}\n`);
}

function pulumiBin(): string {
  return execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-pulumi.sh"), "--print-bin"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

export async function runDemo(localDir = process.env.JUSTCALL_DEMO_DIR ?? path.join(repoRoot, ".pulumi-local")): Promise<void> {
  const workDir = path.join(localDir, "demo");
  const backendDir = path.join(localDir, "backend");
  fs.mkdirSync(workDir, { recursive: true });
  fs.mkdirSync(backendDir, { recursive: true });
  const rosterFile = path.join(workDir, "roster.yaml");
  const print = (out: string) => process.stdout.write(out);

  say("Starting the JustCall emulator (demo seed: account Acme Support, teams Support/Sales/Billing, 3 agents, 8 numbers)");
  const emu = await startEmulator();
  process.stdout.write(`    listening on ${emu.url}\n`);
  let stack: Stack | undefined;
  try {
    fs.copyFileSync(path.join(repoRoot, "roster.yaml"), rosterFile);
    process.stdout.write(`    roster: ${path.relative(repoRoot, rosterFile)} (a copy of roster.yaml, edited by this demo)\n`);
    say(`Pulumi stack "${STACK}", local backend file://${path.relative(repoRoot, backendDir)}, pointed at the emulator`);
    const bin = pulumiBin();
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin), skipVersionCheck: true });
    const envVars = {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_HOME: path.join(localDir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "justcall-demo",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    };
    const openStack = () =>
      LocalWorkspace.createOrSelectStack(
        { stackName: STACK, projectName: PROJECT, program: () => rosterStack({ file: rosterFile }) },
        {
          workDir,
          pulumiCommand,
          envVars,
          projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: `file://${backendDir}` } },
          secretsProvider: "passphrase",
        },
      );
    stack = await openStack();
    // A previous run's state describes a previous emulator: start over.
    const previous = await stack.exportStack();
    if ((previous.deployment?.resources ?? []).length > 0) {
      process.stdout.write("    (forgetting the state of a previous demo run: its emulator is gone)\n");
      await stack.workspace.removeStack(STACK, { force: true });
      stack = await openStack();
    }
    await stack.setAllConfig({
      "justcall:baseUrl": { value: emu.url },
      "justcall:apiKey": { value: emu.credentials.apiKey },
      "justcall:apiSecret": { value: emu.credentials.apiSecret, secret: true },
    });

    say("pulumi up --yes: adopts Jane, Sam and Priya (already in the account), invites Alex, sets teams and numbers");
    const up = await stack.up({ onOutput: print });
    const outbox = await emu.admin.outbox();
    process.stdout.write(`    invitations sent: ${outbox.map((i) => i.email).join(", ") || "none"}\n`);
    process.stdout.write(`    agent ids: ${JSON.stringify(up.outputs.agents?.value)}\n`);

    say("A change: the roster moves +14155550102 from Alex to Sam and adds Alex to Support; pulumi preview --diff");
    const edited = fs
      .readFileSync(rosterFile, "utf8")
      .replace('    teams: [Sales]\n    numbers: ["+14155550102"]\n', "    teams: [Sales, Support]\n")
      .replace("    teams: [Support, Sales]\n", '    teams: [Support, Sales]\n    numbers: ["+14155550102"]\n');
    fs.writeFileSync(rosterFile, edited);
    // The engine's events of this very preview: what `justcall-roster summarize` reads.
    const events: string[] = [];
    await stack.preview({ onOutput: print, diff: true, onEvent: (e) => events.push(JSON.stringify(e)) });
    process.stdout.write("    (previewed only; nothing was changed)\n");

    say("The same preview as a reviewer reads it (justcall-roster summarize --format text)");
    print(summarizeEngineJson(events.join("\n"), "text"));

    say("A drift: in the dashboard, Priya's time zone is changed and a new agent is added (emulator admin API); pulumi refresh");
    const account = (await emu.admin.state()).accounts[0];
    const priya = account.agents.find((a) => a.email === "priya.patel@acme.example")!;
    await emu.admin.editAgent(priya.id, { timezone: "Asia/Tokyo" });
    await emu.admin.addAgent(emu.credentials.apiKey, { firstname: "Dana", lastname: "Cruz", email: "dana.cruz@acme.example" });
    await stack.refresh({ onOutput: print });
    const state = await stack.exportStack();
    // The exported state is untyped JSON: only the fields read here are named.
    const resources = state.deployment.resources as {
      type: string;
      outputs?: { email?: string; timezone?: string; unmanaged?: string[] };
    }[];
    const audit = resources.find((r) => r.type.endsWith(":RosterAudit"));
    const priyaState = resources.find((r) => r.type.endsWith(":Agent") && r.outputs?.email === priya.email);
    process.stdout.write(`    state now says Priya's time zone is ${priyaState?.outputs?.timezone}; the roster says Europe/London\n`);
    process.stdout.write(`    agents in the account but not in the roster: ${(audit?.outputs?.unmanaged ?? []).join(", ") || "none"}\n`);
    process.stdout.write(
      "    the next `pulumi up` would set Priya back and apply the roster change; dana.cruz stays listed until added to the roster\n",
    );
  } finally {
    say("Stopping the emulator");
    await emu.close();
    if (stack) await stack.workspace.removeStack(STACK, { force: true }).catch(() => undefined);
    process.stdout.write(
      "    done. Against a real account: npm run build, then in this directory\n" +
        "      export JUSTCALL_API_KEY=<key> JUSTCALL_API_SECRET=<secret>   # read by export and the provider\n" +
        "      pulumi stack init <name>\n" +
        "      npx justcall-roster export --out roster.yaml --force   # adopt the account as it is\n" +
        "      pulumi up\n" +
        '    (README.md, "Adopting an account")\n',
    );
  }
}

if (require.main === module) {
  runDemo().catch((err) => {
    process.stderr.write(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
