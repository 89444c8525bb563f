-- Sequenced dead letters (Axon's idea, patterns.md 1.4): a command record the processor cannot decode or apply
-- goes to <topic>-dlt and parks its record key. While a key has a row here, its later records go to the
-- dead-letter topic too ("parked behind"), so that a replay can apply them in their original order; a row is
-- deleted when its record is replayed and decided. Rows are operational state: never purged by retention.
-- The key is stored as bytes: Kafka keys may hold characters PostgreSQL text cannot (U+0000).
create table parked_record (
    source_topic     text not null,
    source_partition int not null,
    source_offset    bigint not null,
    record_key       bytea not null,
    reason_class     text not null,
    reason           text not null,
    parked_at        timestamptz not null default now(),
    primary key (source_topic, source_partition, source_offset)
);
create index parked_record_key on parked_record (source_topic, record_key);
