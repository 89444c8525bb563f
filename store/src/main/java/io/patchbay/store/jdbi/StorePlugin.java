package io.patchbay.store.jdbi;

import java.time.Instant;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.jdbi.v3.postgres.PostgresPlugin;

import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.automation.AutomationStateMapper;
import io.patchbay.store.automation.TeamEvaluatorMapper;
import io.patchbay.store.commandlog.ChangeLogEntry;
import io.patchbay.store.commandlog.CommandLogEntryMapper;
import io.patchbay.store.evaluation.StoredEvaluationMapper;
import io.patchbay.store.parking.ParkedRecordMapper;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.schema.WriterSchema;

/**
 * Everything the store's repositories expect of a {@link Jdbi}, registered once: PostgreSQL's types, {@code timestamptz}
 * as {@link Instant} both ways, and a row mapper for each record the store returns (so that queries say
 * {@code mapTo(CommandRequest.class)}). Records whose components are their columns map by constructor.
 * {@link io.patchbay.store.Store} installs it; install it yourself on a {@code Jdbi} you create.
 */
public final class StorePlugin extends JdbiPlugin.Singleton {

    @Override
    public void customizeJdbi(Jdbi jdbi) {
        jdbi.installPlugin(new PostgresPlugin());
        jdbi.registerArgument(new InstantArgumentFactory());
        jdbi.registerColumnMapper(Instant.class, new InstantColumnMapper());
        jdbi.registerRowMapper(ConstructorMapper.factory(ApiKeyRecord.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(ChangeLogEntry.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(CommandRequest.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(WriterSchema.class));
        jdbi.registerRowMapper(new CommandLogEntryMapper());
        jdbi.registerRowMapper(new ParkedRecordMapper());
        jdbi.registerRowMapper(new StoredEvaluationMapper());
        jdbi.registerRowMapper(new AutomationStateMapper());
        jdbi.registerRowMapper(new TeamEvaluatorMapper());
    }
}
