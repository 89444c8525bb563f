-- The writer schema of every stored change event, kept beside the log so that history and replay do not depend on the
-- schema registry keeping its ids: change_log.payload starts with a registry schema id (Confluent wire format), which
-- means nothing in a registry that was wiped or restored elsewhere, or something else in one that gave the id to
-- another schema. writer_fingerprint names the schema each event was written with (SHA-256 of the schema's Avro
-- Parsing Canonical Form); writer_schema holds its text. The processor adds a schema the first time it uses it (once
-- per schema and process). Rows written before this migration have no fingerprint until the backfill (processor start,
-- replay) has looked their schema id up in the registry; the partial index finds them cheaply, and is empty after.
create table writer_schema (
    fingerprint    bytea primary key,
    subject        text not null,
    schema_text    text not null,
    registered_id  integer not null,
    created_at     timestamptz not null default now()
);
alter table change_log add column writer_fingerprint bytea;
create index change_log_without_writer on change_log (resource_type) where writer_fingerprint is null;
