/**
 * One error type for every refusal the emulator makes. Routes and the state layer throw it;
 * the fastify error handler turns it into the JustCall error envelope
 * `{"status":"error","message":...}` with `status` as the HTTP code.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A 400 whose message names the field first, e.g. `email: must be a valid email address`. */
export function invalid(field: string, problem: string): ApiError {
  return new ApiError(400, `${field}: ${problem}`);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, message);
}

export function conflict(message: string): ApiError {
  return new ApiError(409, message);
}

export interface ErrorEnvelope {
  status: "error";
  message: string;
}

export function errorEnvelope(message: string): ErrorEnvelope {
  return { status: "error", message };
}
