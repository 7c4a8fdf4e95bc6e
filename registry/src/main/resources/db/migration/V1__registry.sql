-- EAGLE registry schema (docs/ARCHITECTURE.md, Registry). Flyway owns it; Hibernate only validates.

create table encoder_model (
    id          bigint generated always as identity primary key,
    name        varchar(64)  not null unique,
    description varchar(1024),
    created_by  varchar(128) not null,
    created_at  timestamptz  not null
);

-- Immutable versions: number per model, lineage, artifact digest and size, format, architecture,
-- training run (with its data manifest of Kafka offset ranges). Only status moves, once,
-- PENDING_ARTIFACT -> READY, when the artifact is whole and its digest matches.
create table model_version (
    id                 bigint generated always as identity primary key,
    model_id           bigint       not null references encoder_model (id),
    number             int          not null check (number > 0),
    parent_number      int,
    sha256             varchar(64)  not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes         bigint       not null check (size_bytes >= 0),
    format             varchar(32)  not null,
    architecture       jsonb        not null,
    training_run       jsonb,
    status             varchar(24)  not null check (status in ('PENDING_ARTIFACT', 'READY')),
    created_by         varchar(128) not null,
    created_at         timestamptz  not null,
    artifact_stored_at timestamptz,
    constraint model_version_number_unique unique (model_id, number),
    constraint model_version_sha256_unique unique (model_id, sha256),
    constraint model_version_parent_fk foreign key (model_id, parent_number)
        references model_version (model_id, number)
);

-- The artifact bytes, in fixed-size chunks (the last one may be shorter): chunk seq covers
-- bytes [seq * chunk_size, seq * chunk_size + length(data)).
create table artifact_chunk (
    version_id bigint not null references model_version (id),
    seq        int    not null check (seq >= 0),
    data       bytea  not null,
    primary key (version_id, seq)
);

create table evaluation (
    id              uuid          primary key,
    version_id      bigint        not null references model_version (id),
    suite_id        varchar(128)  not null,
    baseline_number int,
    metrics         jsonb         not null,
    thresholds      jsonb         not null,
    slices          jsonb         not null,
    passed          boolean       not null,
    report_url      varchar(2048),
    created_by      varchar(128)  not null,
    created_at      timestamptz   not null
);
create index evaluation_version on evaluation (version_id);

create table alias (
    id           bigint generated always as identity primary key,
    model_id     bigint       not null references encoder_model (id),
    name         varchar(64)  not null,
    version_id   bigint       not null references model_version (id),
    lock_version bigint       not null default 0,
    updated_by   varchar(128) not null,
    updated_at   timestamptz  not null,
    constraint alias_name_unique unique (model_id, name)
);

-- Append-only: who moved the alias from what to what, why, on which evaluation, when.
create table alias_history (
    id            bigint generated always as identity primary key,
    alias_id      bigint        not null references alias (id),
    from_number   int,
    to_number     int           not null,
    action        varchar(16)   not null check (action in ('MOVE', 'ROLLBACK')),
    moved_by      varchar(128)  not null,
    reason        varchar(1024) not null,
    evaluation_id uuid references evaluation (id),
    moved_at      timestamptz   not null
);
create index alias_history_at on alias_history (alias_id, moved_at, id);

-- Transactional outbox: written in the same transaction as the change, published by the relay.
create table outbox (
    id         bigint generated always as identity primary key,
    event_id   uuid         not null unique,
    topic      varchar(249) not null,
    msg_key    varchar(256) not null,
    payload    text         not null,
    created_at timestamptz  not null,
    sent_at    timestamptz
);
create index outbox_unsent on outbox (id) where sent_at is null;

-- The database itself refuses to rewrite history or change what a version is.
create function registry_reject_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name;
end $$;

create trigger alias_history_append_only
    before update or delete on alias_history
    for each row execute function registry_reject_change();

create trigger evaluation_append_only
    before update or delete on evaluation
    for each row execute function registry_reject_change();

create function registry_version_immutable() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'model_version rows are immutable';
    end if;
    if new.model_id <> old.model_id or new.number <> old.number
        or new.parent_number is distinct from old.parent_number
        or new.sha256 <> old.sha256 or new.size_bytes <> old.size_bytes or new.format <> old.format
        or new.architecture <> old.architecture or new.training_run is distinct from old.training_run
        or new.created_by <> old.created_by or new.created_at <> old.created_at then
        raise exception 'model_version % of model % is immutable', old.number, old.model_id;
    end if;
    if old.status = 'READY' and new.status <> 'READY' then
        raise exception 'model_version % of model % is READY; it cannot go back', old.number, old.model_id;
    end if;
    return new;
end $$;

create trigger model_version_immutable
    before update or delete on model_version
    for each row execute function registry_version_immutable();

-- A stored artifact is never rewritten either.
create function registry_chunk_immutable() returns trigger language plpgsql as $$
begin
    if exists (select 1 from model_version v where v.id = old.version_id and v.status = 'READY') then
        raise exception 'artifact of model_version id % is stored and immutable', old.version_id;
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end $$;

create trigger artifact_chunk_immutable
    before update or delete on artifact_chunk
    for each row execute function registry_chunk_immutable();
