package io.patchbay.adapter.resource;

import java.time.Instant;
import java.util.Optional;

import org.apache.avro.Schema;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.http.Api;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything the adapter knows about one resource type and the public API that serves it: how a PATCH body
 * becomes a command, how the resource and a refusal look in that API, and what "not found" says. The routes,
 * the submission path and the command status resource are generic; they find the implementation for a
 * {@link ResourceType} through {@link ResourceApiResolver} (the shape of Debezium's {@code DatabaseDialect}).
 * Adding a resource type means one implementation of this interface plus its routes.
 */
public interface ResourceApi {

    /** The resource type served; commands go to its commands topic. */
    ResourceType type();

    /** The Avro schema of this type's commands, which the adapter registers at start ({@code SchemaWarmUp}). */
    Schema commandSchema();

    /** The public API the routes belong to: its error format and its headers. */
    Api api();

    /** The scope a GET needs. */
    String readScope();

    /** The scope a PATCH needs. */
    String writeScope();

    /**
     * Role checks of a PATCH that need only the caller (Respan: editor or higher), made before the
     * Idempotency-Key and the body are read.
     *
     * @throws ApiError.ApiException 403 in the API's format
     */
    void checkCaller(Principal principal);

    /**
     * Role checks of a PATCH that depend on which members the body has (Autousers: viewer, admin-only fields),
     * made once the body is read.
     *
     * @throws ApiError.ApiException 403 in the API's format
     */
    void checkMembers(Principal principal, ObjectNode body);

    /**
     * The request-level field checks of a PATCH body, then what its command needs: the typed patch and the
     * command's record key (the canonical resource id where it resolves, else the identifier as sent).
     *
     * @param receivedAt the instant the request is validated at (time-dependent checks, the command's {@code receivedAt})
     * @throws ApiError.ApiException 400 in the API's format: the first failure (Autousers) or all of one level (Respan)
     */
    PreparedPatch prepare(ObjectNode body, String pathId, Principal principal, Instant receivedAt);

    /**
     * The canonical id of the resource {@code pathId} names in {@code teamId} (as GET finds it: Respan tries the id,
     * then the slug); empty when there is none, which the caller answers with {@link #notFound}.
     */
    Optional<String> canonicalId(String teamId, String pathId);

    /** GET: the resource as its API renders it; empty when it does not exist in {@code teamId}. */
    Optional<byte[]> read(String teamId, String pathId);

    /** A state of the resource ({@code EvaluationState}, {@code AutomationState}) as the API's JSON. */
    byte[] renderState(Object state);

    /** A REJECTED outcome as the API's error: status and body. */
    Rendered renderRefusal(CommandResult result);

    /** The 404 of a resource that does not exist in the caller's team. */
    ApiError notFound(String pathId);

    /**
     * The answer a PATCH gives for {@code result}: the resource for APPLIED and UNCHANGED, the API's error for
     * REJECTED. Deterministic, so that a replay is byte-identical to the first answer.
     */
    default Rendered renderOutcome(CommandResult result) {
        return result.getStatus() == CommandStatus.REJECTED ? renderRefusal(result)
                : new Rendered(200, renderState(result.getResource()));
    }

    /** An HTTP status and JSON body. */
    record Rendered(int status, byte[] body) {
    }
}
