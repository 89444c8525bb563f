package io.patchbay.adapter.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.adapter.AvroBytes;
import io.patchbay.adapter.auth.Principal;
import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.rules.Role;

/**
 * {@link CommandSubmitter#metadata} builds a command's metadata with the all-fields constructor; the bytes on the wire
 * must be those of {@code CommandMetadata.newBuilder()} with every setter, which it replaced, with the optional
 * fields given and without them.
 */
class CommandMetadataBytesTest {

    private static final Principal CALLER = new Principal("key_1", "team_1", Role.EDITOR, List.of("evaluations:*"));
    private static final Instant ACCEPTED = Instant.parse("2026-05-04T11:00:00.123Z");

    @Test
    void metadataWithEveryOptionalFieldIsTheBuildersByteForByte() {
        byte[] fingerprint = {1, 2, 3, 4, 5};
        CommandMetadata made = CommandSubmitter.metadata("cmd_1", ResourceType.AUTOMATION, "auto_1", CALLER, "idem-1",
                fingerprint, ACCEPTED, "req_1", "/api/automations/auto_1", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        CommandMetadata built = CommandMetadata.newBuilder()
                .setCommandId("cmd_1")
                .setResourceType(ResourceType.AUTOMATION)
                .setResourceId("auto_1")
                .setTeamId("team_1")
                .setActor(new Actor("key_1"))
                .setIdempotencyKey("idem-1")
                .setRequestFingerprint(ByteBuffer.wrap(fingerprint))
                .setReceivedAt(ACCEPTED)
                .setRequestId("req_1")
                .setPath("/api/automations/auto_1")
                .setTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .build();

        assertThat(AvroBytes.of(made)).isEqualTo(AvroBytes.of(built));
        assertThat(made).isEqualTo(built);
    }

    @Test
    void metadataWithoutOptionalFieldsIsTheBuildersByteForByte() {
        CommandMetadata made = CommandSubmitter.metadata("cmd_2", ResourceType.EVALUATION, "eval_1", CALLER, null, null,
                ACCEPTED, "req_2", null, null);

        CommandMetadata built = CommandMetadata.newBuilder()
                .setCommandId("cmd_2")
                .setResourceType(ResourceType.EVALUATION)
                .setResourceId("eval_1")
                .setTeamId("team_1")
                .setActor(new Actor("key_1"))
                .setIdempotencyKey(null)
                .setRequestFingerprint(null)
                .setReceivedAt(ACCEPTED)
                .setRequestId("req_2")
                .setPath(null)
                .setTraceparent(null)
                .build();

        assertThat(AvroBytes.of(made)).isEqualTo(AvroBytes.of(built));
    }
}
