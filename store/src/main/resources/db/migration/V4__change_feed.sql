-- The team-wide change feed (GET /api/v1/changes) reads change_log in a stable order: by the writing transaction's id,
-- then by insertion. Only rows of transactions older than every transaction still running are shown
-- (feed_tx < pg_snapshot_xmin(pg_current_snapshot())), so no row can later appear before a position a reader has
-- passed: a cursor, once handed out, never skips a change. Existing rows get the id of this migration's transaction.
alter table change_log add column feed_tx xid8 not null default pg_current_xact_id();
alter table change_log add column feed_seq bigint generated always as identity;
create index change_log_feed on change_log (team_id, feed_tx, feed_seq);
