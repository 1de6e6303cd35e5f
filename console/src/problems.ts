// Problem codes (REST `code`, GraphQL `extensions.code`) as sentences a person can act on.
const SENTENCES: Record<string, string> = {
  network: 'The server cannot be reached. Check your connection and try again.',
  invalid_credentials: 'That e-mail and password do not match an account.',
  account_locked: 'Too many wrong passwords: this account is locked for a short while. Try again later.',
  too_many_requests: 'Too many requests in a short time. Wait a moment and try again.',
  rate_limited: 'Too many requests in a short time. Wait a moment and try again.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  token_expired: 'Your session has expired. Please sign in again.',
  session_ended: 'You were signed out (the session was ended). Please sign in again.',
  refresh_token_reused: 'This session was ended for safety because it was used from two places. Please sign in again.',
  forbidden: 'Your role does not allow this.',
  missing_scope: 'Your role does not allow this.',
  not_found: 'This record no longer exists, or belongs to another workspace.',
  precondition_failed:
    'Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.',
  validation_failed: 'Some values are not valid.',
  invalid_body: 'Some values are not valid.',
  bad_user_input: 'Some values are not valid.',
  idempotency_key_reused: 'This request was already sent with other values.',
  database_busy: 'The server is busy. Try again in a few seconds.',
  database_timeout: 'The server took too long to answer. Try again in a few seconds.',
  database_unavailable: 'The database is unavailable at the moment. Try again shortly.',
  model_not_fitted: 'The value model has not been fitted yet, so there are no predictions.',
  internal_error: 'Something went wrong on the server. Try again; if it persists, tell an administrator.',
  conflict: 'This conflicts with the current state of the record.',
};

export function sentence(code: string, detail: string, field: string | undefined): string {
  const known = SENTENCES[code];
  if (code === 'validation_failed' || code === 'invalid_body' || code === 'bad_user_input') {
    const what = field ? ` (${field})` : '';
    return detail ? `${capitalise(detail)}${what}.`.replace(/\.\.$/, '.') : `${known ?? ''}${what}`;
  }
  if (known) return known;
  if (detail) return `${capitalise(detail)}${detail.endsWith('.') ? '' : '.'}`;
  return `The request failed (${code.replace(/_/g, ' ')}).`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
