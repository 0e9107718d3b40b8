-- Client IPs each app passcode has been used from, so that "first use from a new IP"
-- (security event passcode-new-ip) is reported once per IP, not on every change of address.
create table app_passcode_ip (
    passcode_id      uuid         not null references app_passcode (id) on delete cascade,
    ip               varchar(64)  not null,
    first_seen_at    timestamptz  not null,
    last_seen_at     timestamptz  not null,
    primary key (passcode_id, ip)
);
