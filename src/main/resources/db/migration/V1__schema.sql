-- Twofold schema. Account ids are the normalised mail login (trimmed, lower-cased, <= 320 chars).
-- Secrets never appear in plain form: TOTP seeds are AES-GCM sealed, passcodes/codes are Argon2id
-- PHC strings, and lookup_hash columns are keyed HMACs used only to find a row by secret value.

-- The active TOTP factor of an account (a row exists only while 2FA is on).
create table totp_factor (
    account_id       varchar(320) primary key,
    seed_ciphertext  bytea        not null,
    seed_key_id      varchar(64)  not null,
    algorithm        varchar(8)   not null,
    digits           smallint     not null,
    period_seconds   integer      not null,
    enabled_at       timestamptz  not null,
    -- Highest time step ever accepted: a code is accepted only if its step is greater (replay guard).
    last_step        bigint       not null,
    failed_attempts  integer      not null default 0,
    -- Number of lockouts since the last success; drives the doubling back-off.
    lockouts         integer      not null default 0,
    locked_until     timestamptz
);

-- A TOTP seed handed out by "begin setup" and not confirmed yet.
create table totp_enrollment (
    account_id       varchar(320) primary key,
    seed_ciphertext  bytea        not null,
    seed_key_id      varchar(64)  not null,
    algorithm        varchar(8)   not null,
    digits           smallint     not null,
    period_seconds   integer      not null,
    created_at       timestamptz  not null,
    expires_at       timestamptz  not null,
    failed_attempts  integer      not null default 0
);

create table recovery_code (
    id               bigserial    primary key,
    account_id       varchar(320) not null,
    lookup_hash      bytea        not null unique,
    code_hash        varchar(200) not null,
    generated_at     timestamptz  not null,
    used_at          timestamptz
);
create index recovery_code_account on recovery_code (account_id);

create table app_passcode (
    id                 uuid         primary key,
    account_id         varchar(320) not null,
    name               varchar(64)  not null,
    lookup_hash        bytea        not null unique,
    passcode_hash      varchar(200) not null,
    -- Comma-separated scopes; null means "all protocols" / "anywhere".
    protocols          varchar(200),
    allowed_ips        text,
    created_at         timestamptz  not null,
    expires_at         timestamptz,
    revoked_at         timestamptz,
    revoked_reason     varchar(32),
    last_used_at       timestamptz,
    last_used_ip       varchar(64),
    last_used_protocol varchar(16)
);
create index app_passcode_active_by_account on app_passcode (account_id) where revoked_at is null;
create unique index app_passcode_active_name on app_passcode (account_id, lower(name)) where revoked_at is null;

create table trusted_device (
    id               uuid         primary key,
    account_id       varchar(320) not null,
    name             varchar(100),
    lookup_hash      bytea        not null unique,
    created_at       timestamptz  not null,
    created_ip       varchar(64),
    last_used_at     timestamptz,
    expires_at       timestamptz  not null,
    revoked_at       timestamptz
);
create index trusted_device_active_by_account on trusted_device (account_id) where revoked_at is null;

create table security_event (
    id               bigserial    primary key,
    account_id       varchar(320) not null,
    type             varchar(40)  not null,
    occurred_at      timestamptz  not null,
    ip               varchar(64),
    protocol         varchar(16),
    user_agent       varchar(200),
    detail           jsonb
);
create index security_event_by_account on security_event (account_id, id desc);
create index security_event_by_time on security_event (occurred_at);
