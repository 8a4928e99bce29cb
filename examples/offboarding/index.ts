// The roster stack, reading the roster file named by `pulumi config set justcall:rosterFile ...`
// (before.yaml, then after.yaml, in this example).
import { rosterStack } from "pulumi-justcall/roster";

export = async () => rosterStack();
