// The on-disk stack's entry point (Pulumi.yaml `main`): the roster program, compiled, because the
// dynamic provider must be loaded from compiled JavaScript.
import { rosterStack } from "./program";

export = async () => rosterStack({ baseDir: process.cwd() });
