/**
 * The wire shape shared by every transport of the Kansli contract
 * (Electron preload over IPC, browser host over loopback HTTP, test fake).
 * A call never throws across the boundary: it resolves to a CallResult.
 */
import type { ErrorCode } from './errors';

export interface ApiError {
  code: ErrorCode;
  /** English developer-facing text; the UI translates by `code` and `field`. */
  message: string;
  /** Dotted path of the input field the error is about, e.g. `identityNumber` or `addresses.0.postalCode`. */
  field?: string;
  /** Per-field errors for validation failures. */
  issues?: { field: string; code: string; message: string }[];
  /** `locked_out`: seconds until the next sign-in attempt is allowed. */
  retryAfterSeconds?: number;
  /** For `rule_violation`: which domain rule refused the change. */
  rule?: string;
  /** For `rule_violation`: what the change clashes with (see DomainError.details), for the message. */
  details?: Record<string, string | number>;
  /**
   * The answer was lost on the way (the network dropped, the core process died): the call may or may not
   * have run. The client asks `mutation.status` before it reports this.
   */
  transport?: true;
}

export type CallResult<T = unknown> = { ok: true; data: T } | { ok: false; error: ApiError };

export interface CallOptions {
  /** A UUID naming this call as a write; see `mutation.status`. */
  mutationId?: string;
}

/** What `window.kansli` exposes in Electron, and what every transport implements. */
export interface KansliBridge {
  call(method: string, input: unknown, opts?: CallOptions): Promise<CallResult>;
}
