-- App passcodes imported from an earlier system as that system's hash (Dovecot schemes such as
-- SSHA512 or BLF-CRYPT): passcode_hash then holds the foreign hash as it was, legacy_scheme names
-- the scheme, and there is no lookup hash until the first successful use re-hashes the row to
-- Argon2id with a lookup hash and clears legacy_scheme. Such rows are found by account only.
alter table app_passcode add column legacy_scheme varchar(16);
alter table app_passcode alter column lookup_hash drop not null;
alter table app_passcode add constraint app_passcode_lookup_or_legacy
    check ((lookup_hash is null) = (legacy_scheme is not null));
create index app_passcode_legacy_by_account on app_passcode (account_id, created_at)
    where legacy_scheme is not null and revoked_at is null;
