package io.patchbay.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;

import io.patchbay.processor.application.ActorAuthorizer;
import io.patchbay.processor.application.Results;
import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.Ids;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.Decision;
import io.patchbay.schemas.rules.EvaluationRules;
import io.patchbay.schemas.rules.Patches;
import io.patchbay.schemas.rules.Role;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;
import io.patchbay.store.auth.ApiKeyRecord;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.AutomationStateMapper;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import io.patchbay.store.evaluation.StoredEvaluationMapper;
import io.patchbay.store.jdbi.InstantArgumentFactory;
import io.patchbay.store.jdbi.InstantColumnMapper;

/**
 * The raw database limit: the database work of the processor for the same commands, with no Kafka, written
 * as a tight JDBC loop. Per batch (the processor's batch size) in one transaction: one dedupe query against
 * the command log, one query for the actors' API keys, one locking read per resource type (ids and slugs),
 * one read of the teams' evaluators; then, after the rules ran in memory, one batched UPDATE per change, in order,
 * and batched inserts of every command-log and change-log row (with the same Avro
 * payloads the processor stores). The commands are in memory already decoded; nothing is published.
 */
public final class RawDatabaseLoop {

    private static final String EVALUATION_COLUMNS = "id, team_id, name, description, type, status, share_access,"
            + " share_password_hash, share_require_email, share_require_name, share_allow_anon, share_expiry,"
            + " allow_multiple_ratings, editors_can_share, browser_engine, use_proxy, proxy_region, model_id, created_at,"
            + " updated_at, version";

    private final ConfluentAvroSerializer<Object> serializer;
    private final ActorAuthorizer authorizer = new ActorAuthorizer();
    private final Topics topics;

    public RawDatabaseLoop(Topics topics, String registryUrl) {
        this.topics = topics;
        this.serializer = ConfluentAvroSerializer.forRegistry(registryUrl);
    }

    private long commandsDone;
    private double seconds;
    private double appCpu;
    private double databaseCpu;

    /**
     * Applies {@code commands} (the next part of the run, in order) in batches of {@code batchSize}, one transaction
     * each; the run's totals accumulate over its parts.
     */
    public void runPart(String jdbcUrl, List<CommandGenerator.Generated> commands, int batchSize, Progress progress,
                        int postgresPort) {
        AtomicLong done = new AtomicLong();
        progress.phase("raw database limit (JDBC batches)", commands.size(), done::get);
        try (Connection connection = DriverManager.getConnection(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?")
                + "reWriteBatchedInserts=true")) {
            connection.setAutoCommit(false);
            double cpuStart = CpuMeter.currentThreadSeconds();
            double dbStart = CpuMeter.postgresSeconds(postgresPort);
            long start = System.nanoTime();
            for (int from = 0; from < commands.size(); from += batchSize) {
                List<CommandGenerator.Generated> batch = commands.subList(from, Math.min(commands.size(), from + batchSize));
                applyBatch(connection, batch);
                connection.commit();
                done.addAndGet(batch.size());
            }
            seconds += (System.nanoTime() - start) / 1e9;
            appCpu += CpuMeter.currentThreadSeconds() - cpuStart;
            double dbEnd = CpuMeter.postgresSeconds(postgresPort);
            databaseCpu = dbStart < 0 || databaseCpu < 0 ? -1 : databaseCpu + dbEnd - dbStart;
            commandsDone += commands.size();
        } catch (SQLException e) {
            throw new IllegalStateException("raw database loop failed", e);
        }
    }

    /** The totals of every part so far, checked against the database. */
    public io.patchbay.bench.Results.Throughput result(String jdbcUrl, Databases databases, int batchSize, int parts) {
        return new io.patchbay.bench.Results.Throughput("raw database limit", commandsDone, seconds, commandsDone / seconds,
                Databases.statuses(jdbcUrl), databases.verify(jdbcUrl, commandsDone),
                io.patchbay.bench.Results.CpuPerCommand.of(appCpu, "the loop's thread", databaseCpu, commandsDone),
                "batches of " + batchSize + ", one transaction each; run in " + parts + " parts around the other phases");
    }

    private void applyBatch(Connection c, List<CommandGenerator.Generated> batch) throws SQLException {
        Instant now = Instant.now();
        List<CommandMetadata> metadata = batch.stream().map(g -> metadataOf(g.command())).toList();
        Set<String> decided = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select command_id from command_log where command_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", metadata.stream().map(CommandMetadata::getCommandId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    decided.add(rs.getString(1));
                }
            }
        }
        Map<String, Optional<ApiKeyRecord>> keys = ActorAuthorizer.newCache();
        metadata.forEach(m -> keys.put(m.getActor().getApiKeyId(), Optional.empty()));
        try (PreparedStatement ps = c.prepareStatement("select id, team_id, secret_hash, role, scopes, expires_at, revoked_at"
                + " from api_key where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", keys.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString("id"), Optional.of(new ApiKeyRecord(rs.getString("id"), rs.getString("team_id"),
                            rs.getString("secret_hash"), rs.getString("role"), Arrays.asList((String[]) rs.getArray("scopes").getArray()),
                            InstantColumnMapper.read(rs, "expires_at"), InstantColumnMapper.read(rs, "revoked_at"))));
                }
            }
        }
        Map<String, StoredEvaluation> evaluations = lockEvaluations(c, batch.stream()
                .filter(g -> g.type() == ResourceType.EVALUATION).map(g -> metadataOf(g.command()).getResourceId()).distinct().toArray());
        List<AutomationState> automationRows = lockAutomations(c, batch.stream()
                .filter(g -> g.type() == ResourceType.AUTOMATION).map(g -> metadataOf(g.command()).getResourceId()).distinct().toArray());
        Map<String, Map<String, EvaluatorRef>> evaluators = evaluators(c, automationRows.stream().map(AutomationState::getTeamId)
                .distinct().toArray());
        Map<String, AutomationState> automations = new HashMap<>();
        for (AutomationState row : automationRows) {
            Map<String, EvaluatorRef> team = evaluators.getOrDefault(row.getTeamId(), Map.of());
            row.setEvaluatorDetails(row.getEvaluatorIds().stream().filter(team::containsKey).map(team::get).toList());
            automations.put(row.getId(), row);
        }

        List<StoredEvaluation> touchedEvaluations = new ArrayList<>();
        List<AutomationState> touchedAutomations = new ArrayList<>();
        try (PreparedStatement commandLog = c.prepareStatement("insert into command_log (command_id, resource_type, resource_id,"
                + " team_id, status, request_id, version, result, source_topic, source_partition, source_offset, received_at,"
                + " completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (command_id) do nothing");
             PreparedStatement changeLog = c.prepareStatement("insert into change_log (resource_type, resource_id, version,"
                     + " event_id, command_id, team_id, occurred_at, payload) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (CommandGenerator.Generated g : batch) {
                CommandMetadata m = metadataOf(g.command());
                position++;
                if (decided.contains(m.getCommandId())) {
                    continue;
                }
                ActorAuthorizer.Verdict verdict = authorizer.authorize(null, m, keys, now);
                CommandResult result;
                SpecificRecord event = null;
                if (verdict.refusal() != null) {
                    result = Results.rejected(m, List.of(verdict.refusal()), now);
                } else if (g.type() == ResourceType.EVALUATION) {
                    Object[] outcome = evaluation((EvaluationUpdateCommand) g.command(), verdict.role(), evaluations,
                            touchedEvaluations, now);
                    result = (CommandResult) outcome[0];
                    event = (SpecificRecord) outcome[1];
                } else {
                    Object[] outcome = automation((AutomationUpdateCommand) g.command(), verdict.role(), automations,
                            touchedAutomations, evaluators, now);
                    result = (CommandResult) outcome[0];
                    event = (SpecificRecord) outcome[1];
                }
                if (event != null) {
                    String topic = topics.changes(g.type());
                    changeLog.setString(1, g.type().name());
                    changeLog.setString(2, result.getResourceId());
                    changeLog.setLong(3, result.getVersion());
                    changeLog.setString(4, String.valueOf(event.get(event.getSchema().getField("eventId").pos())));
                    changeLog.setString(5, m.getCommandId());
                    changeLog.setString(6, m.getTeamId());
                    changeLog.setObject(7, InstantArgumentFactory.utc(now));
                    changeLog.setBytes(8, serializer.serialize(topic, event));
                    changeLog.addBatch();
                }
                commandLog.setString(1, m.getCommandId());
                commandLog.setString(2, g.type().name());
                commandLog.setString(3, result.getResourceId());
                commandLog.setString(4, m.getTeamId());
                commandLog.setString(5, result.getStatus().name());
                commandLog.setString(6, m.getRequestId());
                if (result.getVersion() == null) {
                    commandLog.setNull(7, Types.BIGINT);
                } else {
                    commandLog.setLong(7, result.getVersion());
                }
                commandLog.setBytes(8, serializer.serialize(topics.commandResults(), result));
                commandLog.setString(9, topics.commands(g.type()));
                commandLog.setInt(10, 0);
                commandLog.setLong(11, position);
                commandLog.setObject(12, InstantArgumentFactory.utc(m.getReceivedAt()));
                commandLog.setObject(13, InstantArgumentFactory.utc(now));
                commandLog.addBatch();
            }
            EvaluationRepository.updateAll(c, touchedEvaluations);
            AutomationRepository.updateAll(c, touchedAutomations);
            changeLog.executeBatch();
            commandLog.executeBatch();
        }
    }

    private Object[] evaluation(EvaluationUpdateCommand command, Role role, Map<String, StoredEvaluation> rows,
                                List<StoredEvaluation> touched, Instant now) {
        CommandMetadata metadata = command.getMetadata();
        String id = metadata.getResourceId();
        StoredEvaluation current = rows.get(id);
        if (current == null || !current.state().getTeamId().equals(metadata.getTeamId())) {
            return new Object[] {Results.rejected(metadata, List.of(Decision.error(ErrorKind.NOT_FOUND, "evaluation_not_found",
                    null, "No evaluation found with id '" + id + "'.")), now), null};
        }
        Decision<EvaluationRules.Next> decision = EvaluationRules.decide(current.state(), current.sharePasswordHash(),
                command.getPatch(), role, metadata.getReceivedAt(), now);
        if (decision.status() == CommandStatus.REJECTED) {
            return new Object[] {Results.rejected(metadata, decision.errors(), now), null};
        }
        if (decision.status() == CommandStatus.UNCHANGED) {
            return new Object[] {Results.decided(metadata, id, CommandStatus.UNCHANGED, current.state().getVersion(),
                    current.state(), now), null};
        }
        StoredEvaluation next = new StoredEvaluation(decision.after().state(), decision.after().sharePasswordHash());
        rows.put(id, next);
        touched.add(next);
        EvaluationChanged event = EvaluationChanged.newBuilder()
                .setEventId(Ids.uuidV7()).setCommandId(metadata.getCommandId()).setResourceId(id)
                .setTeamId(metadata.getTeamId()).setVersion(next.state().getVersion())
                .setChangedFields(decision.changedFields()).setBefore(current.state()).setAfter(next.state())
                .setActor(metadata.getActor()).setOccurredAt(now).setRequestId(metadata.getRequestId())
                .setTraceparent(metadata.getTraceparent()).build();
        return new Object[] {Results.decided(metadata, id, CommandStatus.APPLIED, next.state().getVersion(), next.state(), now),
                event};
    }

    private Object[] automation(AutomationUpdateCommand command, Role role, Map<String, AutomationState> rows,
                                List<AutomationState> touched, Map<String, Map<String, EvaluatorRef>> evaluators,
                                Instant now) {
        CommandMetadata metadata = command.getMetadata();
        AutomationState current = resolve(rows, metadata.getTeamId(), metadata.getResourceId());
        Optional<CommandError> roleError = AutomationRules.checkRole(role);
        if (roleError.isPresent()) {
            return new Object[] {Results.rejected(metadata, List.of(roleError.get()), now), null};
        }
        List<CommandError> fieldErrors = AutomationRules.checkFields(command.getPatch());
        if (!fieldErrors.isEmpty()) {
            return new Object[] {Results.rejected(metadata, fieldErrors, now), null};
        }
        if (current == null) {
            return new Object[] {Results.rejected(metadata, List.of(Decision.error(ErrorKind.NOT_FOUND, "automation_not_found",
                    null, "Automation not found")), now), null};
        }
        Map<String, EvaluatorRef> team = evaluators.getOrDefault(metadata.getTeamId(), Map.of());
        Map<String, EvaluatorRef> found = new HashMap<>();
        if (Patches.isSet(command.getPatch().getEvaluatorIds())) {
            for (String id : AutomationRules.distinctEvaluatorIds(command.getPatch())) {
                if (team.containsKey(id)) {
                    found.put(id, team.get(id));
                }
            }
        }
        Decision<AutomationState> decision = AutomationRules.decide(current, command.getPatch(), found, now);
        String id = current.getId();
        if (decision.status() == CommandStatus.REJECTED) {
            return new Object[] {Results.rejected(metadata, decision.errors(), now), null};
        }
        if (decision.status() == CommandStatus.UNCHANGED) {
            return new Object[] {Results.decided(metadata, id, CommandStatus.UNCHANGED, current.getVersion(), current, now), null};
        }
        AutomationState next = decision.after();
        rows.put(id, next);
        touched.add(next);
        AutomationChanged event = AutomationChanged.newBuilder()
                .setEventId(Ids.uuidV7()).setCommandId(metadata.getCommandId()).setResourceId(id)
                .setTeamId(metadata.getTeamId()).setVersion(next.getVersion()).setChangedFields(decision.changedFields())
                .setBefore(current).setAfter(next).setActor(metadata.getActor()).setOccurredAt(now)
                .setRequestId(metadata.getRequestId()).setTraceparent(metadata.getTraceparent()).build();
        return new Object[] {Results.decided(metadata, id, CommandStatus.APPLIED, next.getVersion(), next, now), event};
    }

    /** Id first, then slug, within the team: the processor's rule. */
    private static AutomationState resolve(Map<String, AutomationState> rows, String teamId, String idOrSlug) {
        AutomationState byId = rows.get(idOrSlug);
        if (byId != null && byId.getTeamId().equals(teamId)) {
            return byId;
        }
        for (AutomationState row : rows.values()) {
            if (row.getTeamId().equals(teamId) && row.getSlug().equals(idOrSlug)) {
                return row;
            }
        }
        return null;
    }

    private static Map<String, StoredEvaluation> lockEvaluations(Connection c, Object[] ids) throws SQLException {
        Map<String, StoredEvaluation> rows = new HashMap<>();
        if (ids.length == 0) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + EVALUATION_COLUMNS + " from evaluation where id = any(?)"
                + " order by id for update")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredEvaluation row = StoredEvaluationMapper.read(rs);
                    rows.put(row.state().getId(), row);
                }
            }
        }
        return rows;
    }

    private static List<AutomationState> lockAutomations(Connection c, Object[] idsOrSlugs) throws SQLException {
        List<AutomationState> rows = new ArrayList<>();
        if (idsOrSlugs.length == 0) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select a.id, a.team_id, a.slug, a.name, a.automation_type,"
                + " a.evaluator_ids, a.is_enabled, a.sampling_rate, a.configuration_extra::text as configuration_extra,"
                + " a.created_at, a.updated_at, a.version, c.id as c_id, c.slug as c_slug, c.name as c_name,"
                + " c.condition_type as c_type from automation a left join condition c on c.id = a.condition_id"
                + " where a.id = any(?) or a.slug = any(?) order by a.id for update of a")) {
            Array array = c.createArrayOf("text", idsOrSlugs);
            ps.setArray(1, array);
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(AutomationStateMapper.read(rs));
                }
            }
        }
        return rows;
    }

    private static Map<String, Map<String, EvaluatorRef>> evaluators(Connection c, Object[] teams) throws SQLException {
        Map<String, Map<String, EvaluatorRef>> byTeam = new HashMap<>();
        if (teams.length == 0) {
            return byTeam;
        }
        try (PreparedStatement ps = c.prepareStatement("select id, team_id, name, slug, eval_class from evaluator"
                + " where team_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", teams));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byTeam.computeIfAbsent(rs.getString("team_id"), t -> new HashMap<>()).put(rs.getString("id"),
                            new EvaluatorRef(rs.getString("id"), rs.getString("name"), rs.getString("slug"), rs.getString("eval_class")));
                }
            }
        }
        return byTeam;
    }

    private static CommandMetadata metadataOf(SpecificRecord command) {
        return command instanceof EvaluationUpdateCommand e ? e.getMetadata() : ((AutomationUpdateCommand) command).getMetadata();
    }
}
