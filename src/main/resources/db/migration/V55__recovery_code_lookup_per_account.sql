-- Recovery codes are looked up within one account only, so their lookup hashes need to be unique
-- per account, not across all accounts: two accounts may hold codes with the same keyed hash (a
-- collision of ~50-bit codes becomes likely with millions of accounts), and a global constraint
-- turned such a collision into a failed regeneration. The new index also serves lookups by account.
alter table recovery_code drop constraint recovery_code_lookup_hash_key;
create unique index recovery_code_account_lookup on recovery_code (account_id, lookup_hash);
drop index recovery_code_account;
