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
  concurrent_update: 'Someone else changed this record a moment ago. Reload and try again.',
  already_exists: 'A record with the same name or key already exists.',
  email_taken: 'A user with this e-mail already exists.',
  role_not_grantable: 'Your role cannot give that role to someone.',
  last_owner: 'The workspace needs at least one active owner.',
  insufficient_scope: 'Your role does not allow this.',
  complaint_closed: 'This complaint is closed: reopen it before resolving it.',
  complaint_changed: 'Someone else changed this complaint a moment ago. Reload it and try again.',
  invalid_status_transition: 'The complaint cannot go to that status from the one it is in.',
  compensation_over_limit: 'That compensation is more than your role may grant; ask a manager.',
  order_fully_refunded: 'The complaint’s order is already fully refunded.',
  voucher_not_issued: 'The voucher could not be issued to this customer.',
  voucher_already_held: 'The customer already holds an open voucher of this offer.',
  voucher_not_open: 'This voucher is no longer open.',
  offer_inactive: 'The offer is paused: activate it first.',
  offer_ended: 'The offer has ended.',
  offer_not_started: 'The offer has not started yet.',
  offer_budget_exhausted: 'The offer’s budget is spent.',
  offer_redemption_cap_reached: 'The offer has reached its number of redemptions.',
  offer_not_eligible: 'This customer does not meet the offer’s conditions.',
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
