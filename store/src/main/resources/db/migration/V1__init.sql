-- patchbay schema. Resource tables carry a per-resource version (1, 2, 3, ... without gaps).
-- Retention: command_log and command_request rows expire (default 24 h); change_log is kept.

create table team (
    id          text primary key,
    name        text not null,
    created_at  timestamptz not null default now()
);

-- API keys: the secret is stored only as a slow salted hash (PBKDF2); lookup is by the public key id.
create table api_key (
    id          text primary key,
    team_id     text not null references team (id),
    secret_hash text not null,
    role        text not null check (role in ('viewer', 'editor', 'admin', 'owner')),
    scopes      text[] not null,
    label       text not null default '',
    created_at  timestamptz not null default now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);
create index api_key_team on api_key (team_id);

create table evaluation (
    id                     text primary key,
    team_id                text not null references team (id),
    name                   text not null,
    description            text,
    type                   text not null,
    status                 text not null,
    share_access           text not null,
    share_password_hash    text,
    share_require_email    boolean not null default false,
    share_require_name     boolean not null default false,
    share_allow_anon       boolean not null default false,
    share_expiry           timestamptz,
    allow_multiple_ratings boolean not null default false,
    editors_can_share      boolean not null default true,
    browser_engine         text,
    use_proxy              boolean,
    proxy_region           text,
    model_id               text,
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now(),
    version                bigint not null default 1
);
create index evaluation_team on evaluation (team_id);

create table evaluator (
    id          text primary key,
    team_id     text not null references team (id),
    slug        text not null,
    name        text not null,
    eval_class  text not null default '',
    created_at  timestamptz not null default now(),
    unique (team_id, slug)
);

create table condition (
    id             text primary key,
    team_id        text not null references team (id),
    slug           text not null,
    name           text not null,
    condition_type text not null,
    created_at     timestamptz not null default now(),
    unique (team_id, slug)
);

-- configuration_extra is json (not jsonb) on purpose: it keeps the member order clients wrote.
create table automation (
    id                  text primary key,
    team_id             text not null references team (id),
    slug                text not null,
    name                text not null,
    automation_type     text not null default 'online_eval',
    condition_id        text references condition (id),
    evaluator_ids       text[] not null,
    is_enabled          boolean not null default true,
    sampling_rate       double precision,
    configuration_extra json not null default '{}',
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    version             bigint not null default 1,
    unique (team_id, slug)
);

-- The processor's inbox and outcome store: one row per command id, claimed in the apply transaction.
-- result holds the CommandResult exactly as published (Confluent wire format), so replays are byte-identical.
-- source_* is the record that decided it: its redelivery (crash recovery) re-publishes the change event too,
-- while a resent command (another record, same command id) only gets its result again.
create table command_log (
    command_id     text primary key,
    resource_type  text not null,
    resource_id    text not null,
    team_id        text not null,
    status         text not null check (status in ('APPLIED', 'UNCHANGED', 'REJECTED')),
    request_id     text not null,
    version        bigint,
    result         bytea not null,
    source_topic   text not null,
    source_partition int not null,
    source_offset  bigint not null,
    received_at    timestamptz not null,
    completed_at   timestamptz not null default now()
);
create index command_log_completed on command_log (completed_at);

-- Every applied change, exactly as published (Confluent wire format). Kept: it is the audit trail.
create table change_log (
    resource_type  text not null,
    resource_id    text not null,
    version        bigint not null,
    event_id       text not null unique,
    command_id     text not null,
    team_id        text not null,
    occurred_at    timestamptz not null,
    payload        bytea not null,
    primary key (resource_type, resource_id, version)
);
create index change_log_command on change_log (command_id);

-- The adapter's record of accepted HTTP commands: command status polling and Idempotency-Key claims.
create table command_request (
    command_id       text primary key,
    team_id          text not null,
    resource_type    text not null,
    method           text not null,
    path             text not null,
    request_id       text not null,
    api_version      text,
    idempotency_key  text,
    fingerprint      bytea,
    state            text not null check (state in ('CLAIMED', 'SUBMITTED')),
    lease_until      timestamptz,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null
);
create unique index command_request_idempotency on command_request (team_id, idempotency_key)
    where idempotency_key is not null;
create index command_request_expires on command_request (expires_at);
