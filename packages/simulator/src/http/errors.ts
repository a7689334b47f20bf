import type { FieldError } from '../spec/validators';

/** An error answered in Zoom's shape: `{code, message, errors?}`. */
export class ZoomError extends Error {
  readonly status: number;
  readonly code: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    status: number,
    code: number,
    message: string,
    opts: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = opts.errors;
    this.headers = opts.headers;
  }

  body(): Record<string, unknown> {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

export const validationFailed = (errors: FieldError[]): ZoomError =>
  new ZoomError(400, 300, 'Validation Failed.', { errors });

export const invalidToken = (): ZoomError => new ZoomError(401, 124, 'Invalid access token.');

export const userNotFound = (id: string): ZoomError => new ZoomError(404, 1001, `User does not exist: ${id}.`);

export const channelNotFound = (id: string): ZoomError => new ZoomError(404, 4130, `Channel does not exist: ${id}.`);

export const messageNotFound = (id: string): ZoomError => new ZoomError(400, 300, `Message does not exist: ${id}.`);

export const badRequest = (message: string, code = 300): ZoomError => new ZoomError(400, code, message);
