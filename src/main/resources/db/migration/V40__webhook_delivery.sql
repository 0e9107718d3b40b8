-- Webhook outbox: one row per security event to deliver, written in the event's own transaction so
-- an event is delivered exactly when it was committed, and survives restarts until delivered.
-- Delivered rows are deleted; rows that exhausted their attempts are kept (abandoned_at) for
-- inspection and purged with the events' retention.
create table webhook_delivery (
    id               uuid         primary key,
    event_id         bigint       not null,
    -- The exact JSON body that is signed and sent on every attempt.
    payload          text         not null,
    created_at       timestamptz  not null,
    attempts         integer      not null default 0,
    -- When a worker may (re)try it; claiming a row pushes this forward as a lease.
    next_attempt_at  timestamptz  not null,
    last_error       varchar(200),
    abandoned_at     timestamptz
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where abandoned_at is null;
create index webhook_delivery_abandoned on webhook_delivery (abandoned_at) where abandoned_at is not null;
