-- Why a session's refresh tokens were revoked (logout, reuse, user_disabled), so a refresh
-- after a logout answers session_ended and not refresh_token_reused.
ALTER TABLE refresh_tokens ADD COLUMN revoked_reason TEXT;
