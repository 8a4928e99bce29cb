// The whole program of a GitOps roster repository: the roster stack from the pulumi-justcall
// package, reading roster.yaml (or the file named by `pulumi config set justcall:rosterFile ...`).
import { rosterStack } from "pulumi-justcall/roster";

export = async () => rosterStack();
