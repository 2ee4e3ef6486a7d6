-- A redeemed authorization code stays, marked used, until it is purged
-- after it expires, so that a second redemption is recognised and the
-- refresh tokens of the first are revoked (RFC 6749 §4.1.2). used counts
-- the redemptions.
ALTER TABLE auth_codes ADD COLUMN used INTEGER NOT NULL DEFAULT 0;

-- A revoked family is remembered for a while even when it has no token
-- yet: the tokens of a reused code's first redemption may be saved just
-- after the reuse revoked their family, and must be saved revoked.
CREATE TABLE revoked_families (
    family_id TEXT PRIMARY KEY,
    until     INTEGER NOT NULL
);
