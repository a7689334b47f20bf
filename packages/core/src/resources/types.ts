import type { CallParams } from '../client/prepare';
import type { PaginateOptions } from '../client/paginate';
import type { RequestOptions } from '../http/pipeline';
import type { FileFetcher } from '../http/download';

export interface ResourceContext {
  // `T = any` as in Octokit's request(): callers of an operation not in the spec type name T.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(operationId: string, params?: CallParams, options?: RequestOptions): Promise<T>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  paginate<T = any>(
    operationId: string,
    params?: CallParams,
    options?: PaginateOptions & RequestOptions,
  ): AsyncGenerator<T>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  collect<T = any>(operationId: string, params?: CallParams, options?: PaginateOptions & RequestOptions): Promise<T[]>;
  /** Downloads from Zoom's file host (files.download); set by createZoomClient. */
  fetchFile?: FileFetcher;
}

/** Acting user: `me` for user-level and chatbot-less apps; an ID or email for Server-to-Server apps. */
export interface UserScoped {
  userId?: string;
}
export type ListOptions = UserScoped & PaginateOptions & RequestOptions;
export type Body = Record<string, unknown>;
export type Query = Record<string, unknown>;
