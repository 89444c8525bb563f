package io.patchbay.admin.resources.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.resources.ResourceKind;
import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ConditionRef;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.Decision;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.automation.EvaluatorRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Automations, in the Respan shape ({@code GET /api/automations/{id}/}, snake_case) with {@code condition} as the
 * condition's id. The writable members go through {@link AutomationRules#decide}, exactly as a PATCH does, applied to
 * an empty automation: so every request-level and state-level rule of the API holds (name, sampling rate, evaluators
 * that must be the team's), with the API's messages.
 */
public final class AutomationHandler implements KindHandler {

    private final AutomationRepository automations = new AutomationRepository();
    private final EvaluatorRepository evaluators = new EvaluatorRepository();

    @Override
    public ResourceKind kind() {
        return ResourceKind.AUTOMATION;
    }

    @Override
    public Set<String> members() {
        return Set.of("kind", "team", "id", "automation_slug", "name", "automation_type", "condition", "evaluator_ids",
                "evaluator_details", "is_enabled", "configuration", "created_at", "updated_at");
    }

    @Override
    public Candidate read(Handle handle, LineReader reader, String team, Instant now) {
        String id = Tables.id(reader);
        String slug = Tables.slug(reader, "automation_slug");
        String type = reader.string("automation_type", "online_eval");
        if (type != null && type.isBlank()) {
            reader.error("automation_type", "must not be blank");
        }
        Tables.text(reader, "automation_type", type);
        String conditionId = conditionId(reader);
        String name = reader.requiredString("name");
        Boolean enabled = reader.bool("is_enabled", true);
        ConfigurationPatch configuration = configuration(reader);
        List<String> evaluatorIds = reader.stringList("evaluator_ids");
        Instant createdAt = Optional.ofNullable(reader.instant("created_at")).orElse(now).truncatedTo(ChronoUnit.MICROS);
        if (reader.hasErrors()) {
            return null;
        }
        ConditionRef condition = conditionId == null ? null : condition(handle, team, conditionId).orElse(null);
        if (conditionId != null && condition == null) {
            reader.error("condition", "no condition " + conditionId + " in team " + team);
        }
        AutomationPatch patch = AutomationPatch.newBuilder().setName(name).setIsEnabled(enabled)
                .setConfiguration(configuration).setEvaluatorIds(evaluatorIds).build();
        Map<String, EvaluatorRef> teamEvaluators = evaluators.findInOrder(handle, team,
                        AutomationRules.distinctEvaluatorIds(patch)).stream()
                .collect(Collectors.toMap(EvaluatorRef::getId, Function.identity()));
        AutomationState empty = AutomationState.newBuilder().setId(id).setTeamId(team).setSlug(slug).setName("")
                .setAutomationType(type).setCondition(condition).setEvaluatorIds(List.of()).setEvaluatorDetails(List.of())
                .setIsEnabled(!enabled).setConfiguration(new AutomationConfiguration(null, List.of()))
                .setCreatedAt(createdAt).setUpdatedAt(createdAt).setVersion(0L).build();
        Decision<AutomationState> decision = AutomationRules.decide(empty, patch, teamEvaluators, now);
        if (decision.status() == CommandStatus.REJECTED) {
            decision.errors().forEach(e -> reader.error(e.getField(), e.getMessage()));
        }
        if (reader.hasErrors()) {
            return null;
        }
        AutomationState state = AutomationState.newBuilder(decision.after()).setUpdatedAt(createdAt).setVersion(1L).build();
        return new Candidate(team, id, slug, state);
    }

    private static String conditionId(LineReader reader) {
        JsonNode condition = reader.get("condition");
        if (condition == null || condition.isNull()) {
            return null;
        }
        if (condition.isString()) {
            return condition.stringValue();
        }
        if (condition.isObject() && condition.path("id").isString()) {
            return condition.get("id").stringValue();
        }
        reader.error("condition", "must be a condition id, an object with the condition's id, or null");
        return null;
    }

    private static ConfigurationPatch configuration(LineReader reader) {
        JsonNode node = reader.get("configuration");
        ConfigurationPatch configuration = ConfigurationPatch.newBuilder().build();
        if (node == null) {
            return configuration;
        }
        if (!node.isObject()) {
            reader.error("configuration", "must be an object");
            return configuration;
        }
        List<JsonMember> others = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            switch (member.getKey()) {
                case AutomationRules.EVALUATOR_IDS -> { }
                case AutomationRules.SAMPLING_RATE -> {
                    if (member.getValue().isNumber() && Double.isFinite(member.getValue().doubleValue())) {
                        configuration.setSamplingRate(member.getValue().doubleValue());
                    } else {
                        reader.error("configuration." + AutomationRules.SAMPLING_RATE, AutomationRules.NOT_A_NUMBER);
                    }
                }
                default -> others.add(new JsonMember(member.getKey(), JsonValues.fromNode(member.getValue())));
            }
        }
        configuration.setOtherKeys(others);
        return configuration;
    }

    private static Optional<ConditionRef> condition(Handle handle, String team, String id) {
        return handle.createQuery("select id, slug, name, condition_type from condition where id = :id and team_id = :team")
                .bind("id", id).bind("team", team)
                .map((rs, ctx) -> new ConditionRef(rs.getString("id"), rs.getString("slug"), rs.getString("name"),
                        rs.getString("condition_type")))
                .findOne();
    }

    @Override
    public String table() {
        return "automation";
    }

    @Override
    public List<String> differences(Handle handle, Candidate candidate) {
        AutomationState stored = automations.findByIdOrSlug(handle, candidate.team(), candidate.id()).orElseThrow();
        AutomationState wanted = (AutomationState) candidate.state();
        return Tables.differing(List.of("automation_slug", "name", "automation_type", "condition", "evaluator_ids",
                        "is_enabled", "configuration"),
                List.of(stored.getSlug(), stored.getName(), stored.getAutomationType(), Optional.ofNullable(conditionId(stored)),
                        stored.getEvaluatorIds(), stored.getIsEnabled(), stored.getConfiguration()),
                List.of(wanted.getSlug(), wanted.getName(), wanted.getAutomationType(), Optional.ofNullable(conditionId(wanted)),
                        wanted.getEvaluatorIds(), wanted.getIsEnabled(), wanted.getConfiguration()));
    }

    private static String conditionId(AutomationState state) {
        return state.getCondition() == null ? null : state.getCondition().getId();
    }

    @Override
    public void insert(Handle handle, Candidate candidate) {
        AutomationState state = (AutomationState) candidate.state();
        automations.insert(handle, state, conditionId(state));
    }

    @Override
    public List<ObjectNode> export(Handle handle, String team) {
        List<String> ids = handle.createQuery("select id from automation where team_id = :team order by id").bind("team", team)
                .mapTo(String.class).list();
        return ids.stream().map(id -> render(automations.findByIdOrSlug(handle, team, id).orElseThrow())).toList();
    }

    private ObjectNode render(AutomationState a) {
        ObjectNode line = JsonValues.MAPPER.createObjectNode().put("kind", kind().wireName()).put("team", a.getTeamId())
                .put("id", a.getId()).put("automation_slug", a.getSlug()).put("name", a.getName())
                .put("automation_type", a.getAutomationType()).put("condition", conditionId(a));
        ArrayNode ids = line.putArray("evaluator_ids");
        a.getEvaluatorIds().forEach(ids::add);
        line.put("is_enabled", a.getIsEnabled());
        ObjectNode configuration = line.putObject("configuration");
        configuration.put(AutomationRules.SAMPLING_RATE, a.getConfiguration().getSamplingRate());
        for (JsonMember member : a.getConfiguration().getOtherKeys()) {
            configuration.set(member.getName(), JsonValues.toNode(member.getValue()));
        }
        return line.put("created_at", a.getCreatedAt().toString());
    }
}
