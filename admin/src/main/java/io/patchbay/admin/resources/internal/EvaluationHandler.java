package io.patchbay.admin.resources.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.jdbi.v3.core.Handle;

import io.patchbay.admin.resources.ResourceKind;
import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.EvaluationRules;
import io.patchbay.store.evaluation.EvaluationRepository;
import io.patchbay.store.evaluation.StoredEvaluation;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evaluations, in the Autousers shape (the members of {@code GET /api/v1/evaluations/{id}}, camelCase). Text values go
 * through the API's own value rules ({@link EvaluationRules#checkValue}), enums and types are read as the API reads
 * them; what a PATCH checks against the stored state (status transitions, roles) has no meaning for a new row. Share
 * passwords are not imported: they are set through the API, which hashes them.
 */
public final class EvaluationHandler implements KindHandler {

    /** The content members, in the contract's order: what an export writes and what "identical" compares. */
    private static final List<String> CONTENT = EvaluationRules.FIELD_ORDER.stream()
            .filter(field -> !field.equals("sharePassword")).toList();

    private final EvaluationRepository evaluations = new EvaluationRepository();

    @Override
    public ResourceKind kind() {
        return ResourceKind.EVALUATION;
    }

    @Override
    public Set<String> members() {
        return Set.copyOf(Stream.concat(Stream.of("kind", "team", "id", "teamId", "createdAt", "updatedAt", "links",
                "sharePassword"), CONTENT.stream()).toList());
    }

    @Override
    public Candidate read(Handle handle, LineReader reader, String team, Instant now) {
        String id = Tables.id(reader);
        if (reader.has("teamId") && !team.equals(reader.nullableString("teamId"))) {
            reader.error("teamId", "must be the line's team (" + team + ")");
        }
        if (reader.has("sharePassword")) {
            reader.error("sharePassword", "share passwords are not imported; set one with PATCH after the import");
        }
        String name = reader.requiredString("name");
        String description = reader.nullableString("description");
        EvaluationType type = reader.enumValue("type", EvaluationType.values(), null, false, false);
        if (!reader.has("type")) {
            reader.error("type", "required");
        }
        EvaluationStatus status = reader.enumValue("status", EvaluationStatus.values(), EvaluationStatus.Draft, false, false);
        ShareAccess access = reader.enumValue("shareAccess", ShareAccess.values(), ShareAccess.TEAM_ONLY, false, false);
        Boolean requireEmail = reader.bool("shareRequireEmail", false);
        Boolean requireName = reader.bool("shareRequireName", false);
        Boolean allowAnon = reader.bool("shareAllowAnon", false);
        Instant expiry = reader.instant("shareExpiry");
        Boolean multipleRatings = reader.bool("allowMultipleRatings", false);
        Boolean editorsCanShare = reader.bool("editorsCanShare", true);
        BrowserEngine engine = reader.enumValue("browserEngine", BrowserEngine.values(), null, true, true);
        Boolean useProxy = reader.nullableBool("useProxy");
        String proxyRegion = reader.nullableString("proxyRegion");
        String modelId = reader.nullableString("modelId");
        Instant createdAt = Optional.ofNullable(reader.instant("createdAt")).orElse(now).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("description", description);
        values.put("shareExpiry", expiry);
        values.put("proxyRegion", proxyRegion);
        values.put("modelId", modelId);
        values.forEach((field, value) -> {
            if (value != null) {
                EvaluationRules.checkValue(field, value).ifPresent(e -> reader.error(e.getField(), e.getMessage()));
            }
        });
        if (reader.hasErrors()) {
            return null;
        }
        EvaluationState state = EvaluationState.newBuilder()
                .setId(id).setTeamId(team).setName(name).setDescription(description).setType(type).setStatus(status)
                .setShareAccess(access).setSharePasswordSet(false).setShareRequireEmail(requireEmail)
                .setShareRequireName(requireName).setShareAllowAnon(allowAnon)
                .setShareExpiry(expiry == null ? null : expiry.truncatedTo(ChronoUnit.MILLIS))
                .setAllowMultipleRatings(multipleRatings).setEditorsCanShare(editorsCanShare).setBrowserEngine(engine)
                .setUseProxy(useProxy).setProxyRegion(proxyRegion).setModelId(modelId)
                .setCreatedAt(createdAt).setUpdatedAt(createdAt).setVersion(1L)
                .build();
        return reader.hasErrors() ? null : new Candidate(team, id, null, state);
    }

    @Override
    public String table() {
        return "evaluation";
    }

    @Override
    public List<String> differences(Handle handle, Candidate candidate) {
        EvaluationState stored = evaluations.find(handle, candidate.team(), candidate.id()).orElseThrow().state();
        EvaluationState wanted = (EvaluationState) candidate.state();
        return CONTENT.stream().filter(field -> !Objects.equals(stored.get(field), wanted.get(field))).toList();
    }

    @Override
    public List<String> creationProblems(Candidate candidate) {
        return ((EvaluationState) candidate.state()).getShareAccess() == ShareAccess.PASSWORD_PROTECTED
                ? List.of("shareAccess: PASSWORD_PROTECTED needs a share password, which import does not carry; import"
                        + " another shareAccess, then PATCH shareAccess and sharePassword together")
                : List.of();
    }

    @Override
    public void insert(Handle handle, Candidate candidate) {
        evaluations.insert(handle, new StoredEvaluation((EvaluationState) candidate.state(), null));
    }

    @Override
    public List<ObjectNode> export(Handle handle, String team) {
        return handle.createQuery("select * from evaluation where team_id = :team order by id").bind("team", team)
                .mapTo(StoredEvaluation.class).map(row -> render(row.state())).list();
    }

    private ObjectNode render(EvaluationState e) {
        ObjectNode line = JsonValues.MAPPER.createObjectNode().put("kind", kind().wireName()).put("team", e.getTeamId())
                .put("id", e.getId());
        for (String field : CONTENT) {
            Object value = e.get(field);
            if (value == null) {
                line.putNull(field);
            } else if (value instanceof Boolean bool) {
                line.put(field, bool);
            } else {
                line.put(field, value.toString());
            }
        }
        return line.put("createdAt", e.getCreatedAt().toString());
    }
}
