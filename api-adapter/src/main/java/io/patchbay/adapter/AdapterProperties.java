package io.patchbay.adapter;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The adapter's own settings, the HTTP contract's (api-contract §1.8), under {@code patchbay.api.*}; those it shares
 * with the processor are {@link io.patchbay.schemas.config.PatchbayProperties}. Each default is the constant named
 * in its description.
 *
 * @param publicBaseUrl absolute base of {@code links.*} and {@code Location}; a trailing slash is stripped
 *     (default {@value #DEFAULT_PUBLIC_BASE_URL})
 * @param commandWait longest time a PATCH waits for its outcome before answering 202; 0 means always 202
 *     (default {@link #DEFAULT_COMMAND_WAIT}, 5 s)
 * @param idempotencyRetention how long Idempotency-Key records and command status are kept
 *     (default {@link #DEFAULT_IDEMPOTENCY_RETENTION}, 24 h)
 * @param idempotencySecret HMAC key of request fingerprints; required outside devstack (no default)
 * @param maxBodyBytes PATCH body size limit (default {@value #DEFAULT_MAX_BODY_BYTES})
 * @param publishTimeout longest wait for the broker to acknowledge a command (default {@link #DEFAULT_PUBLISH_TIMEOUT}, 10 s)
 * @param apiKeyCacheTtl how long a verified API key is trusted without re-reading it, the revocation delay
 *     (default {@link #DEFAULT_API_KEY_CACHE_TTL}, 30 s)
 */
@ConfigurationProperties("patchbay.api")
public record AdapterProperties(String publicBaseUrl, Duration commandWait, Duration idempotencyRetention,
                                String idempotencySecret, int maxBodyBytes, Duration publishTimeout,
                                Duration apiKeyCacheTtl) {

    public static final String DEFAULT_PUBLIC_BASE_URL = "http://localhost:8080";
    public static final Duration DEFAULT_COMMAND_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofHours(24);
    public static final int DEFAULT_MAX_BODY_BYTES = 65_536;
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_API_KEY_CACHE_TTL = Duration.ofSeconds(30);

    public AdapterProperties {
        publicBaseUrl = (publicBaseUrl == null ? DEFAULT_PUBLIC_BASE_URL : publicBaseUrl).replaceAll("/+$", "");
        commandWait = commandWait == null ? DEFAULT_COMMAND_WAIT : commandWait;
        idempotencyRetention = idempotencyRetention == null ? DEFAULT_IDEMPOTENCY_RETENTION : idempotencyRetention;
        maxBodyBytes = maxBodyBytes <= 0 ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        publishTimeout = publishTimeout == null ? DEFAULT_PUBLISH_TIMEOUT : publishTimeout;
        apiKeyCacheTtl = apiKeyCacheTtl == null ? DEFAULT_API_KEY_CACHE_TTL : apiKeyCacheTtl;
    }
}
