-- The command status resource (api-contract §5) answers from the command log alone once a command is decided, so the
-- log keeps the request path the command carries (null for commands that did not come over HTTP).
-- command_request now holds only Idempotency-Key claims: a request without a key writes nothing before it is
-- published (issue 11); its state stays CLAIMED and lease_until is its created_at plus the lease.
alter table command_log add column path text;
