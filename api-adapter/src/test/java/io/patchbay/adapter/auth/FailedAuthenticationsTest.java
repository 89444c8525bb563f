package io.patchbay.adapter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {

    @Test
    void ipv6ClientsAreCountedPerSlash64AndIpv4PerAddress() {
        assertThat(FailedAuthentications.clientKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(FailedAuthentications.clientKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
                .isNotEqualTo(FailedAuthentications.clientKey("2001:db8:1:3::1"));
        assertThat(FailedAuthentications.clientKey("0:0:0:0:0:0:0:1")).isEqualTo("0000000000000000::/64");
        assertThat(FailedAuthentications.clientKey("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(FailedAuthentications.clientKey(null)).isEmpty();
    }
}
