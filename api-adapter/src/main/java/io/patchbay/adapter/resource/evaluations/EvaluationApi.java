package io.patchbay.adapter.resource.evaluations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.ErrorRenderer;
import io.patchbay.adapter.resource.PreparedPatch;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.EvaluationRules;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.auth.SecretHasher;
import io.patchbay.store.evaluation.EvaluationRepository;
import tools.jackson.databind.node.ObjectNode;

/** Autousers evaluations (api-contract §3): strict bodies, the {@code {"error":{...}}} envelope, one error at a time. */
public final class EvaluationApi implements ResourceApi {

    private final Jdbi jdbi;
    private final EvaluationJson json;
    private final EvaluationPatchParser parser = new EvaluationPatchParser();
    private final EvaluationRepository evaluations = new EvaluationRepository();

    public EvaluationApi(Jdbi jdbi, String publicBaseUrl) {
        this.jdbi = jdbi;
        this.json = new EvaluationJson(publicBaseUrl);
    }

    @Override
    public ResourceType type() {
        return ResourceType.EVALUATION;
    }

    @Override
    public Schema commandSchema() {
        return EvaluationUpdateCommand.getClassSchema();
    }

    @Override
    public Api api() {
        return Api.AUTOUSERS;
    }

    @Override
    public String readScope() {
        return Scopes.EVALUATIONS_READ;
    }

    @Override
    public String writeScope() {
        return Scopes.EVALUATIONS_WRITE;
    }

    @Override
    public void checkCaller(Principal principal) {
        // Autousers checks roles by the members sent (§3.4), once the body is read.
    }

    @Override
    public void checkMembers(Principal principal, ObjectNode body) {
        EvaluationRules.checkRole(principal.role(), List.copyOf(body.propertyNames())).ifPresent(error -> {
            throw ApiError.of(403, "authorization_error", null, error.getField(), error.getMessage(), null).exception();
        });
    }

    @Override
    public PreparedPatch prepare(ObjectNode body, String pathId, Principal principal, Instant receivedAt) {
        EvaluationPatchParser.Parsed parsed = parser.parse(body, pathId, principal.teamId(), receivedAt);
        return new PreparedPatch(pathId, metadata -> {
            EvaluationPatch patch = parsed.patch();
            if (parsed.plainPassword() != null) {
                patch.setSharePasswordHash(SecretHasher.hash(parsed.plainPassword(), SecretHasher.PASSWORD_ITERATIONS));
            }
            return new EvaluationUpdateCommand(metadata, patch);
        });
    }

    @Override
    public Optional<String> canonicalId(String teamId, String pathId) {
        return jdbi.withHandle(h -> evaluations.find(h, teamId, pathId)).map(stored -> pathId);
    }

    @Override
    public Optional<byte[]> read(String teamId, String pathId) {
        return jdbi.withHandle(h -> evaluations.find(h, teamId, pathId)).map(stored -> renderState(stored.state()));
    }

    @Override
    public byte[] renderState(Object state) {
        return JsonValues.MAPPER.writeValueAsBytes(json.render((EvaluationState) state));
    }

    @Override
    public Rendered renderRefusal(CommandResult result) {
        CommandError first = result.getErrors().get(0);
        return new Rendered(ErrorRenderer.status(first.getKind()),
                ErrorRenderer.autousers(ErrorRenderer.autousersType(first.getKind()), first, result.getRequestId()));
    }

    @Override
    public ApiError notFound(String pathId) {
        return ApiError.of(404, "not_found_error", "evaluation_not_found", null, "No evaluation found with id '" + pathId + "'.", null);
    }
}
