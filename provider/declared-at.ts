// Where Pulumi records that a resource was declared: the user's line, and no more frames than help.
//
// Pulumi's Node SDK records, in every resource's state, the call stack at `new Resource` (its
// `sourcePosition` and `stackTrace`). It skips the frames of its own classes and one frame of the
// resource class (the `Bucket` of its comment), then keeps every frame to the bottom of the stack.
// Our resources are two classes deep (Agent → JustCallResource), so the SDK recorded our agent.js
// as the source position and the user's line only second, then Pulumi's own runtime frames:
// about 430 bytes per resource of a roster stack, a fifth of its state, that point nowhere useful.
//
// While one of our resources is constructed, the stack the SDK reads is trimmed: our classes
// count as the one resource-class frame the SDK expects, and after them only the user's code is
// kept (the declaring line and at most two callers), never frames of Pulumi's SDK, of Node or of
// this package. So a TypeScript program's resources point at the program's lines, and a roster
// stack's at nothing: the roster program's own lines would say nothing about the roster file.
// The stack is read through Error.prepareStackTrace, V8's documented hook; a hook already
// installed (source-map-support, ts-node) still formats the trimmed frames, so positions stay
// mapped to TypeScript.
import * as path from "node:path";

/** This package's resource classes live here (dist/provider), and the rest of it one level up (dist). */
const RESOURCE_DIR = __dirname;
const PACKAGE_DIR = path.dirname(__dirname);
/** Pulumi's SDK, as this package resolves it: its frames after the user's are its run loop. */
const SDK_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/** The user's frames kept: the declaring line and two callers. */
const MAX_USER_FRAMES = 3;

const inside = (dir: string, file: string | null | undefined) => file?.startsWith(dir + path.sep);

/** The frames the SDK should see: its own, one of ours, then the user's code only. */
export function framesToRecord(frames: NodeJS.CallSite[]): NodeJS.CallSite[] {
  const firstOwn = frames.findIndex((f) => inside(RESOURCE_DIR, f.getFileName()));
  if (firstOwn < 0) return frames;
  const userFrames = frames.slice(firstOwn + 1).filter((f) => {
    const file = f.getFileName();
    return file != null && !file.startsWith("node:") && !inside(SDK_DIR, file) && !inside(PACKAGE_DIR, file);
  });
  return [...frames.slice(0, firstOwn + 1), ...userFrames.slice(0, MAX_USER_FRAMES)];
}

/**
 * Trims the stack the SDK reads until the returned function is called: call it right after a
 * resource's super call (in `finally`), so nothing else sees the hook.
 */
export function trimDeclarationStack(): () => void {
  const previous = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = (error, frames) => {
    const kept = framesToRecord(frames);
    return previous ? previous(error, kept) : `${error}${kept.map((f) => `\n    at ${f}`).join("")}`;
  };
  // No frames for any other stack taken meanwhile. The SDK tags every promise of a resource's
  // properties with `new Error().stack` (for its leak report), about twenty per resource, and
  // formatting those stacks was most of a program's time: 2.3 ms a resource, 8.6 ms with
  // source-map-support, 0.5 and 0.6 ms without them (docs/benchmark.md). The SDK's own capture of
  // the declaring line lifts the limit for itself (Resource.callsites), so it is unaffected.
  Error.stackTraceLimit = 0;
  return () => {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = previousLimit;
  };
}
