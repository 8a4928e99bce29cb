/** Admin routes over the response shapes: `{shapes: "guide" | "full" | {v1?, "v2.1"?}}`; both answer the shapes in effect. */
import type { FastifyInstance } from "fastify";
import type { EmulatorCore } from "../core";
import { ApiError } from "../errors";
import { resolveShapes, type Shapes } from "../shapes";
import { rejectFields, requireObject } from "../validate";

export function registerAdminShapeRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.get("/__admin/shapes", async (): Promise<Shapes> => ({ ...core.shapes }));

  app.put("/__admin/shapes", async (request): Promise<Shapes> => {
    const b = requireObject(request.body);
    rejectFields(b, ["shapes"], []);
    try {
      // resolveShapes checks its input at run time, whatever its static type says.
      core.shapes = resolveShapes(b.shapes as never, core.shapes);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      throw new ApiError(400, err.message);
    }
    return { ...core.shapes };
  });
}
