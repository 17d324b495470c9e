import { ApiError } from '../errors.js';

/** Why a credential was refused: a code for the audit row, never the credential itself. */
export type AuthFailureReason =
  | 'missing_credentials'
  | 'malformed_credentials'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'bad_algorithm'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'unknown_kid'
  | 'missing_claim'
  | 'invalid_tenant'
  | 'unknown_api_key'
  | 'revoked_api_key';

/**
 * 401 `unauthorized`, with the WWW-Authenticate challenge RFC 6750 asks for. The message says
 * what is wrong with the credential, never what it was.
 */
export class AuthFailure extends ApiError {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
    /** The tenant the credential named, when it is known (a revoked key's): for the audit row. */
    readonly tenantId: string | null = null,
  ) {
    super(401, 'unauthorized', message, {
      'www-authenticate': reason === 'missing_credentials' ? 'Bearer realm="harmonizer"' : 'Bearer realm="harmonizer", error="invalid_token"',
    });
    this.name = 'AuthFailure';
  }
}

/** A key source named in the configuration that cannot be used: the api does not start. */
export class AuthSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthSetupError';
  }
}
