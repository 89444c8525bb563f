package io.patchbay.devstack.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @RepeatedTest(20)
    void picksABindablePortBelowTheKernelsEphemeralRange() throws IOException {
        int ephemeralLow = FreePorts.ephemeralLow();
        assumeThat(ephemeralLow).as("the kernel's ephemeral range is readable here").isGreaterThan(FreePorts.LOWEST);

        int port = FreePorts.find();

        assertThat(port).isBetween(FreePorts.LOWEST, ephemeralLow - 1);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    /** 500 random picks among the ~12,000 ports below the usual range would repeat one with near certainty. */
    @Test
    void neverHandsOutTheSamePortTwiceInOneJvm() {
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(picked.add(FreePorts.find())).as("pick %d is new", i).isTrue();
        }
    }
}
