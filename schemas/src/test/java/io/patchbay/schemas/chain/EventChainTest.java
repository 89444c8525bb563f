package io.patchbay.schemas.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The chain fields are read and checked on an event's raw bytes, and events without them chain by their body's hash. */
class EventChainTest {

    private static final byte[] HEADER = {0, 0, 0, 0, 7};
    private static final byte[] FIELDS = "some avro fields".getBytes();

    @Test
    void aSealedEventsLinkIsReadFromItsLastBytesAndItsContentHashesToIt() throws Exception {
        byte[] previous = new byte[32];
        Arrays.fill(previous, (byte) 9);
        byte[] unsealed = concat(HEADER, FIELDS, new byte[] {0x40}, previous, new byte[] {0});
        byte[] hash = EventChain.hashOfUnsealed(unsealed);
        byte[] sealed = concat(Arrays.copyOf(unsealed, unsealed.length - 1), new byte[] {0x40}, hash);

        EventChain.Link link = EventChain.read(sealed).orElseThrow();

        assertThat(hash).isEqualTo(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(unsealed, 5, unsealed.length)));
        assertThat(link.intact()).isTrue();
        assertThat(link.previousEventHash()).isEqualTo(previous);
        assertThat(link.eventHash()).isEqualTo(hash);
        assertThat(EventChain.chainValueOf(sealed)).isEqualTo(hash);
        sealed[7] ^= 1;
        assertThat(EventChain.read(sealed).orElseThrow().intact()).isFalse();
    }

    @Test
    void anEventWithoutChainFieldsHasNoLinkAndChainsByTheHashOfItsBody() throws Exception {
        byte[] legacy = concat(HEADER, FIELDS);

        assertThat(EventChain.read(legacy)).isEmpty();
        assertThat(EventChain.chainValueOf(legacy)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(FIELDS));
        assertThat(EventChain.isGenesis(EventChain.genesis())).isTrue();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
