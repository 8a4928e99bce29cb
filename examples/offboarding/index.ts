// The roster stack, reading the roster file named by `pulumi config set roster:file ...`
// (before.yaml, then after.yaml, in this example).
import { rosterStack } from "pulumi-justcall/roster";

export = async () => rosterStack();
