package io.patchbay.schemas.testing;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Unset;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Sample records of the real contract. */
public final class Fixtures {

    private static final AtomicInteger SCOPES = new AtomicInteger();

    private Fixtures() {
    }

    /** A fresh in-memory registry URL, so that tests do not share registrations. */
    public static String mockUrl(String hint) {
        return "mock://" + hint + "-" + SCOPES.incrementAndGet();
    }

    public static EvaluationUpdateCommand evaluationUpdate(String commandId) {
        return EvaluationUpdateCommand.newBuilder()
                .setMetadata(CommandMetadata.newBuilder()
                        .setCommandId(commandId)
                        .setResourceType(ResourceType.EVALUATION)
                        .setResourceId("eval-1")
                        .setTeamId("team-1")
                        .setActor(Actor.newBuilder().setApiKeyId("key-1").build())
                        .setIdempotencyKey("idem-1")
                        .setRequestFingerprint(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setReceivedAt(Instant.parse("2025-01-02T03:04:05.678Z"))
                        .setRequestId("req-1")
                        .setTraceparent(null)
                        .build())
                .setPatch(EvaluationPatch.newBuilder()
                        .setName("renamed")                              // a value
                        .setDescription(null)                            // clear
                        .setStatus(EvaluationStatus.Running)
                        .setShareExpiry(Instant.parse("2026-01-01T00:00:00Z")) // a logical type inside a union
                        .setBrowserEngine(new Unset())                   // absent: unchanged
                        .setUseProxy(true)
                        .setFieldOrder(List.of("name", "description", "status"))
                        .build())
                .build();
    }

    public static CommandResult commandResult() {
        return CommandResult.newBuilder()
                .setCommandId("c1")
                .setRequestId("r1")
                .setResourceType(ResourceType.AUTOMATION)
                .setResourceId("e1")
                .setTeamId("t1")
                .setStatus(CommandStatus.REJECTED)
                .setVersion(7L)
                .setResource(null)
                .setErrors(List.of(CommandError.newBuilder()
                        .setKind(ErrorKind.NOT_FOUND).setCode("x").setField(null).setMessage("m").build()))
                .setCompletedAt(Instant.ofEpochMilli(1_000))
                .build();
    }
}
