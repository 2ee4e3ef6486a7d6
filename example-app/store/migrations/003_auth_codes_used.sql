-- A redeemed authorization code stays, marked used, until it is purged
-- after it expires, so that a second redemption is recognised and the
-- refresh tokens of the first are revoked (RFC 6749 §4.1.2). used counts
-- the redemptions.
ALTER TABLE auth_codes ADD COLUMN used INTEGER NOT NULL DEFAULT 0;
