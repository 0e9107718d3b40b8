-- Every TOTP sign-in answers how many recovery codes the account has left. Counted through the
-- (account_id, lookup_hash) index, that visits each code's heap row to test used_at (codes of one
-- account lie on as many pages as they were written in transactions); this partial index answers
-- the count from the index alone (an index-only scan once vacuum has marked the pages visible).
create index recovery_code_unused_by_account on recovery_code (account_id) where used_at is null;
