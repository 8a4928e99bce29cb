/**
 * The response-shape switch. `full`: every field the emulator knows, in its own consistent form
 * (the shapes the emulator always had). `guide`: each answer exactly as the sources print their
 * examples: for v1 the guide's fields per endpoint (docs/emulator.md, "Response shapes"), for
 * v2.1 the published reference's example values. A client that reads both is a tolerant reader.
 */
export const SHAPE_MODES = ["guide", "full"] as const;
export type ShapeMode = (typeof SHAPE_MODES)[number];

export interface Shapes {
  v1: ShapeMode;
  "v2.1": ShapeMode;
}

/** `guide` for v1 (the API we build on); `full` for v2.1, whose full shapes the v2.1 tests pin. */
export const DEFAULT_SHAPES: Shapes = { v1: "guide", "v2.1": "full" };

export type ShapesOption = ShapeMode | Partial<Shapes>;

function mode(value: unknown, where: string): ShapeMode {
  if (typeof value !== "string" || !(SHAPE_MODES as readonly string[]).includes(value)) {
    throw new Error(`${where}: must be one of ${SHAPE_MODES.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as ShapeMode;
}

/** One mode for both APIs, or per API over the defaults. */
export function resolveShapes(option: ShapesOption | undefined, base: Shapes = DEFAULT_SHAPES): Shapes {
  if (option === undefined) return { ...base };
  if (typeof option === "string") {
    const m = mode(option, "shapes");
    return { v1: m, "v2.1": m };
  }
  if (typeof option !== "object" || option === null || Array.isArray(option))
    throw new Error('shapes: must be "guide", "full" or { v1, "v2.1" }');
  for (const key of Object.keys(option)) {
    if (key !== "v1" && key !== "v2.1") throw new Error(`shapes.${key}: unknown API (known: v1, v2.1)`);
  }
  return {
    v1: option.v1 === undefined ? base.v1 : mode(option.v1, "shapes.v1"),
    "v2.1": option["v2.1"] === undefined ? base["v2.1"] : mode(option["v2.1"], "shapes.v2.1"),
  };
}

/** The CLI's `--shapes`: `guide`, `full`, or per API, e.g. `v1=guide,v2.1=full`. */
export function parseShapesSpec(spec: string): Shapes {
  const text = spec.trim();
  if (!text.includes("=")) return resolveShapes(text as ShapeMode);
  const option: Partial<Shapes> = {};
  for (const part of text.split(",")) {
    const [api, value] = part.split("=").map((s) => s.trim());
    if (api !== "v1" && api !== "v2.1") throw new Error(`--shapes: unknown API "${api}" in "${part}" (known: v1, v2.1)`);
    option[api] = mode(value, `--shapes ${api}`);
  }
  return resolveShapes(option);
}
