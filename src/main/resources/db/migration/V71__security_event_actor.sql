-- The acting admin's token subject for events of admin actions (helpdesk reset, revocations); null
-- for the owner's own actions and mail logins.
alter table security_event add column actor varchar(320);
