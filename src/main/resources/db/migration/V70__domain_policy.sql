-- Per-domain rules (dev.twofold.policy). The domain is the part of account ids after the last '@'.
-- Durations are whole seconds. two_factor_required_since is when two_factor last became 'required':
-- replacing other fields keeps it, so nobody's grace period restarts.
create table domain_policy (
    domain                      varchar(253) primary key,
    two_factor                  varchar(16)  not null,
    grace_seconds               bigint       not null,
    two_factor_required_since   timestamptz,
    mail_password               varchar(16)  not null,
    -- Comma-separated protocol slugs; null = any.
    allowed_protocols           varchar(200),
    max_app_passcodes           integer,
    passcode_lifetime_seconds   bigint,
    updated_at                  timestamptz  not null
);

-- When Twofold first saw an account while its domain required two-factor authentication (status
-- read or a mail login falling back to the primary password): the start of its grace period.
create table account_first_seen (
    account_id       varchar(320) primary key,
    first_seen_at    timestamptz  not null
);
