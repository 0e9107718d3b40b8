-- The ring key each lookup hash is keyed under, so that a key rotation can report (and the boot can
-- refuse to drop a key for) rows that still need the old key. Null: stored before this column
-- existed, or by a replica of the previous release during the rolling upgrade; such a row is keyed
-- under one of the keys listed in lookup_legacy_key (see dev.twofold.rotation.RemovedKeyGuard).
-- A row gets the active key's id whenever it is stored or re-keyed on a successful use.
alter table app_passcode add column lookup_key_id varchar(64);
alter table recovery_code add column lookup_key_id varchar(64);
alter table trusted_device add column lookup_key_id varchar(64);

-- Ring keys that rows with a null lookup_key_id may be keyed under: every key in the ring at a boot
-- that still found such rows. Conservative by design: a key listed here may not leave the ring while
-- usable rows with a null key id remain.
create table lookup_legacy_key (
    key_id           varchar(64)  primary key,
    recorded_at      timestamptz  not null
);
