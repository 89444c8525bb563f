package io.patchbay.adapter.resource.automations;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.jdbi.v3.core.Jdbi;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.ErrorRenderer;
import io.patchbay.adapter.resource.PreparedPatch;
import io.patchbay.adapter.resource.ResourceApi;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.json.JsonValues;
import io.patchbay.schemas.rules.AutomationRules;
import io.patchbay.schemas.rules.Scopes;
import io.patchbay.store.automation.AutomationRepository;
import tools.jackson.databind.node.ObjectNode;

/**
 * Respan automations (api-contract §4): DRF-shaped bodies and errors, field errors of one level reported
 * together, automations addressed by id or slug (resolved to the id before publishing).
 */
public final class AutomationApi implements ResourceApi {

    static final String NOT_FOUND = "Automation not found";

    private final Jdbi jdbi;
    private final AutomationPatchParser parser = new AutomationPatchParser();
    private final AutomationRepository automations = new AutomationRepository();
    private final AutomationIds ids;

    public AutomationApi(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.ids = new AutomationIds((team, idOrSlug) -> jdbi.withHandle(h -> automations.resolveId(h, team, idOrSlug)),
                AutomationIds.REMEMBER_FOR, System::nanoTime);
    }

    /**
     * Remembers the ids of existing automations (the {@value AutomationIds#MAX_IDS} most recently updated), so that
     * their PATCHes resolve their record key without a database round trip. Run once after start, off the request
     * path; returns how many were loaded.
     */
    public int preloadIds() {
        List<AutomationRepository.TeamId> existing = jdbi.withHandle(h -> automations.ids(h, AutomationIds.MAX_IDS));
        existing.forEach(row -> ids.remember(row.teamId(), row.id()));
        return existing.size();
    }

    /** How many automation ids are remembered for good (preloaded, or resolved to themselves since). */
    public long rememberedIds() {
        return ids.rememberedIds();
    }

    @Override
    public ResourceType type() {
        return ResourceType.AUTOMATION;
    }

    @Override
    public Schema commandSchema() {
        return AutomationUpdateCommand.getClassSchema();
    }

    @Override
    public Api api() {
        return Api.RESPAN;
    }

    @Override
    public String readScope() {
        return Scopes.AUTOMATIONS_READ;
    }

    @Override
    public String writeScope() {
        return Scopes.AUTOMATIONS_WRITE;
    }

    @Override
    public void checkCaller(Principal principal) {
        if (AutomationRules.checkRole(principal.role()).isPresent()) {
            throw ApiError.of(403, "authorization_error", null, null, AutomationRules.PERMISSION_DENIED,
                    AutomationRules.PERMISSION_DENIED).exception();
        }
    }

    @Override
    public void checkMembers(Principal principal, ObjectNode body) {
        // Respan's roles do not depend on the fields sent.
    }

    /** Field checks, then the slug resolved to the id (§4.7 steps 8 and 9); an identifier that resolves to nothing stays as sent. */
    @Override
    public PreparedPatch prepare(ObjectNode body, String pathId, Principal principal, Instant receivedAt) {
        AutomationPatch patch = parser.parse(body);
        String recordKey = ids.resolve(principal.teamId(), pathId).orElse(pathId);
        return new PreparedPatch(recordKey, metadata -> new AutomationUpdateCommand(metadata, patch));
    }

    @Override
    public Optional<String> canonicalId(String teamId, String pathId) {
        return ids.resolve(teamId, pathId);
    }

    @Override
    public Optional<byte[]> read(String teamId, String pathId) {
        return jdbi.withHandle(h -> automations.findByIdOrSlug(h, teamId, pathId)).map(this::renderState);
    }

    @Override
    public byte[] renderState(Object state) {
        return JsonValues.MAPPER.writeValueAsBytes(AutomationJson.render((AutomationState) state));
    }

    @Override
    public Rendered renderRefusal(CommandResult result) {
        CommandError first = result.getErrors().get(0);
        int status = ErrorRenderer.status(first.getKind());
        if (first.getKind() == ErrorKind.INVALID) {
            return new Rendered(status, ErrorRenderer.respanFields(result.getErrors()));
        }
        String detail = first.getKind() == ErrorKind.NOT_FOUND ? NOT_FOUND : AutomationRules.PERMISSION_DENIED;
        return new Rendered(status, ErrorRenderer.respan(new ApiError(status, null, result.getErrors(), detail, Map.of())));
    }

    @Override
    public ApiError notFound(String pathId) {
        return ApiError.of(404, null, null, null, NOT_FOUND, NOT_FOUND);
    }
}
