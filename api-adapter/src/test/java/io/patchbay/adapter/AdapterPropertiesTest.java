package io.patchbay.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The adapter's settings bind from {@code patchbay.api.*} as Spring Boot binds them, with the documented defaults. */
class AdapterPropertiesTest {

    @Test
    void unsetSettingsTakeTheirDefaultConstants() {
        AdapterProperties api = bind(Map.of("patchbay.api.idempotency-secret", "s"));

        assertThat(api).isEqualTo(new AdapterProperties(AdapterProperties.DEFAULT_PUBLIC_BASE_URL,
                AdapterProperties.DEFAULT_COMMAND_WAIT, AdapterProperties.DEFAULT_INLINE_WAIT,
                AdapterProperties.DEFAULT_IDEMPOTENCY_RETENTION, "s",
                AdapterProperties.DEFAULT_MAX_BODY_BYTES, AdapterProperties.DEFAULT_MAX_PENDING,
                AdapterProperties.DEFAULT_PUBLISH_TIMEOUT,
                AdapterProperties.DEFAULT_COMMAND_LINGER, AdapterProperties.DEFAULT_API_KEY_CACHE_TTL, null, null, null));
        assertThat(api.commandWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(api.failedAuthentication().limits()).as("failed-authentication limits are on by default")
                .isEqualTo(new io.patchbay.adapter.auth.FailedAuthentications.Limits(30, 30, Duration.ofMinutes(1), 4));
        assertThat(api.rateLimit().perMinute()).as("rate limiting is off by default").isZero();
        assertThat(api.maxBodyBytes()).isEqualTo(65_536);
        assertThat(api.maxPending()).isEqualTo(2_000);
    }

    @Test
    void setSettingsOverrideTheDefaultsAndTheBaseUrlLosesItsTrailingSlashes() {
        AdapterProperties api = bind(Map.of("patchbay.api.public-base-url", "https://api.example.com//",
                "patchbay.api.command-wait", "0s", "patchbay.api.max-body-bytes", "1024", "patchbay.api.inline-wait", "0s",
                "patchbay.api.max-pending", "7"));

        assertThat(api.publicBaseUrl()).isEqualTo("https://api.example.com");
        assertThat(api.commandWait()).isZero();
        assertThat(api.inlineWait()).isZero();
        assertThat(api.maxBodyBytes()).isEqualTo(1024);
        assertThat(api.maxPending()).isEqualTo(7);
        assertThat(api.idempotencySecret()).isNull();
    }

    @Test
    void commandLingerAsLongAsThePublishTimeoutIsRefusedByName() {
        assertThatThrownBy(() -> bind(Map.of("patchbay.api.publish-timeout", "2s", "patchbay.api.command-linger", "2s")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining("patchbay.api.command-linger").hasMessageContaining("publish-timeout");
    }

    private static AdapterProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("patchbay.api", AdapterProperties.class);
    }
}
