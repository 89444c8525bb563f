package io.patchbay.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.chain.EventChain;

/** The chain check finds each kind of break at the version where it is, and accepts an intact or duplicated stream. */
class ChainVerifierTest {

    private static final String R = "EVALUATION/e1";

    @Test
    void anIntactChainFromItsFirstEventToTheResourcesVersionPasses() {
        ChainVerifier verifier = new ChainVerifier();
        List<byte[]> events = chain(2, 5);
        for (int i = 0; i < events.size(); i++) {
            verifier.accept(R, 2L + i, events.get(i));
        }
        verifier.expectNewest(R, 5);

        assertThat(verifier.report().intact()).isTrue();
        assertThat(verifier.report().events()).isEqualTo(4);
    }

    @Test
    void oneAlteredByteIsCaughtAtItsVersion() {
        List<byte[]> events = chain(2, 5);
        events.get(1)[40] ^= 1;

        assertThat(firstBreak(events)).isEqualTo("BREAK " + R + " version 3: altered (its content does not hash to its eventHash)");
    }

    @Test
    void anAlterationWhoseEventHashWasRecomputedIsCaughtByTheNextLink() {
        List<byte[]> events = chain(2, 5);
        events.set(1, event(3, "rewritten", EventChain.read(events.get(0)).orElseThrow().eventHash()));

        assertThat(firstBreak(events)).startsWith("BREAK " + R + " version 3: altered (version 4 chains to another event");
    }

    @Test
    void aDroppedVersionIsCaughtAsMissing() {
        List<byte[]> events = chain(2, 6);
        events.remove(2);
        ChainVerifier verifier = new ChainVerifier();
        events.forEach(e -> verifier.accept(R, null, e));

        assertThat(verifier.report().breaks().get(R).toString()).isEqualTo("BREAK " + R
                + " version 4: missing version (version 5 follows version 3)");
    }

    @Test
    void droppedFirstOrNewestVersionsAreCaughtToo() {
        List<byte[]> events = chain(2, 5);
        ChainVerifier withoutFirst = new ChainVerifier();
        events.subList(1, 4).forEach(e -> withoutFirst.accept(R, null, e));
        ChainVerifier withoutNewest = new ChainVerifier();
        events.subList(0, 3).forEach(e -> withoutNewest.accept(R, null, e));
        withoutNewest.expectNewest(R, 5);

        assertThat(withoutFirst.report().breaks().get(R).version()).isEqualTo(2);
        assertThat(withoutFirst.report().breaks().get(R).kind()).isEqualTo(ChainVerifier.Break.Kind.MISSING_VERSION);
        assertThat(withoutNewest.report().breaks().get(R).toString()).isEqualTo("BREAK " + R
                + " version 5: missing version (the resource is at version 5 but its newest event is version 4)");
    }

    @Test
    void eventsStoredUnderTheWrongVersionOrOutOfOrderAreReordered() {
        List<byte[]> events = chain(2, 5);
        ChainVerifier rows = new ChainVerifier();
        rows.accept(R, 2L, events.get(0));
        rows.accept(R, 3L, events.get(2));
        ChainVerifier stream = new ChainVerifier();
        stream.accept(R, null, events.get(0));
        stream.accept(R, null, events.get(1));
        stream.accept(R, null, events.get(3));

        assertThat(rows.report().breaks().get(R).toString()).isEqualTo("BREAK " + R
                + " version 3: reordered (the event stored as version 3 is the event of version 4)");
        assertThat(stream.report().breaks().get(R).version()).isEqualTo(4);
    }

    @Test
    void identicalRepublishedCopiesPassAndADifferingCopyIsAltered() {
        List<byte[]> events = chain(2, 4);
        ChainVerifier verifier = new ChainVerifier();
        events.forEach(e -> verifier.accept(R, null, e));
        verifier.accept(R, null, events.get(1).clone());
        assertThat(verifier.report().intact()).isTrue();
        assertThat(verifier.report().duplicates()).isEqualTo(1);

        byte[] copy = events.get(1).clone();
        copy[40] ^= 1;
        verifier.accept(R, null, copy);
        assertThat(verifier.report().breaks().get(R).version()).isEqualTo(3);
    }

    private static String firstBreak(List<byte[]> events) {
        ChainVerifier verifier = new ChainVerifier();
        for (int i = 0; i < events.size(); i++) {
            verifier.accept(R, 2L + i, events.get(i));
        }
        return verifier.report().breaks().get(R).toString();
    }

    /** Versions {@code from}..{@code to} of one evaluation, chained as the processor chains them. */
    static List<byte[]> chain(long from, long to) {
        List<byte[]> events = new ArrayList<>();
        byte[] previous = EventChain.genesis();
        for (long v = from; v <= to; v++) {
            byte[] event = event(v, "name " + v, previous);
            events.add(event);
            previous = EventChain.read(event).orElseThrow().eventHash();
        }
        return events;
    }

    @Test
    void sealingTheUnsealedBytesGivesTheBytesOfTheEventSerializedWithItsHash() {
        EvaluationChanged event = EvaluationChanged.newBuilder().setEventId("ev-1").setCommandId("c-1")
                .setResourceId("e1").setTeamId("team_a").setVersion(1).setChangedFields(List.of("name"))
                .setBefore(state(0, "before")).setAfter(state(1, "after")).setActor(new Actor("key_1"))
                .setOccurredAt(Instant.parse("2026-12-04T03:00:00Z")).setRequestId("r-1")
                .setPreviousEventHash(ByteBuffer.wrap(EventChain.genesis())).setEventHash(ByteBuffer.allocate(0)).build();
        byte[] unsealed = wire(event);
        byte[] hash = EventChain.hashOfUnsealed(unsealed);
        event.setEventHash(ByteBuffer.wrap(hash));

        assertThat(EventChain.seal(unsealed, hash)).isEqualTo(wire(event));
        assertThat(EventChain.read(EventChain.seal(unsealed, hash)).orElseThrow().intact()).isTrue();
    }

    private static byte[] event(long version, String name, byte[] previous) {
        EvaluationChanged event = EvaluationChanged.newBuilder().setEventId("ev-" + version).setCommandId("c-" + version)
                .setResourceId("e1").setTeamId("team_a").setVersion(version).setChangedFields(List.of("name"))
                .setBefore(state(version - 1, "before")).setAfter(state(version, name)).setActor(new Actor("key_1"))
                .setOccurredAt(Instant.parse("2026-12-04T03:00:00Z")).setRequestId("r-" + version)
                .setPreviousEventHash(ByteBuffer.wrap(previous)).setEventHash(ByteBuffer.allocate(0)).build();
        event.setEventHash(ByteBuffer.wrap(EventChain.hashOfUnsealed(wire(event))));
        return wire(event);
    }

    private static EvaluationState state(long version, String name) {
        Instant at = Instant.parse("2026-12-04T03:00:00Z");
        return EvaluationState.newBuilder().setId("e1").setTeamId("team_a").setName(name).setType(EvaluationType.SxS)
                .setStatus(EvaluationStatus.Draft).setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false)
                .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                .setAllowMultipleRatings(false).setEditorsCanShare(true).setCreatedAt(at).setUpdatedAt(at)
                .setVersion(version).build();
    }

    /** Confluent wire format with schema id 1, as a registry-backed serializer writes it. */
    private static byte[] wire(EvaluationChanged event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0, 1});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(EvaluationChanged.class).write(event, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
