// The on-disk stack's entry point (Pulumi.yaml `main`): the roster program, compiled, because the
// dynamic provider must be loaded from compiled JavaScript. The roster path is relative to the
// project directory (where Pulumi.yaml is), which is the program's working directory only when
// `main` is at the root: here it is dist/roster/.
import { projectDirectory, rosterStack } from "./program";

export = async () => rosterStack({ baseDir: projectDirectory() });
