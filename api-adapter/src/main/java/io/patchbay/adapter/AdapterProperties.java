package io.patchbay.adapter;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.patchbay.adapter.auth.FailedAuthentications;
import io.patchbay.adapter.ratelimit.RateLimiter;

/**
 * The adapter's own settings, the HTTP contract's (api-contract §1.8), under {@code patchbay.api.*}; those it shares
 * with the processor are {@link io.patchbay.schemas.config.PatchbayProperties}. Each default is the constant named
 * in its description.
 *
 * @param publicBaseUrl absolute base of {@code links.*} and {@code Location}; a trailing slash is stripped
 *     (default {@value #DEFAULT_PUBLIC_BASE_URL})
 * @param commandWait longest time a PATCH waits for its outcome before answering 202; 0 means always 202
 *     (default {@link #DEFAULT_COMMAND_WAIT}, 5 s)
 * @param inlineWait how long the servlet thread of a {@code Prefer: respond-async} PATCH waits for its 202 before
 *     handing it to an asynchronous response (at most half of Tomcat's threads wait at once); 0 answers on the servlet
 *     thread only what is ready at once (default {@link #DEFAULT_INLINE_WAIT})
 * @param idempotencyRetention how long Idempotency-Key records and command status are kept
 *     (default {@link #DEFAULT_IDEMPOTENCY_RETENTION}, 24 h)
 * @param idempotencySecret HMAC key of request fingerprints; required outside devstack (no default)
 * @param maxBodyBytes PATCH body size limit (default {@value #DEFAULT_MAX_BODY_BYTES})
 * @param maxPending how many PATCH requests one adapter holds at once, from admission until the response is written;
 *     more are refused 503 with {@code Retry-After} (default {@value #DEFAULT_MAX_PENDING})
 * @param publishTimeout longest wait for the broker to acknowledge a command (default {@link #DEFAULT_PUBLISH_TIMEOUT}, 10 s)
 * @param commandLinger how long the command producer holds a command for others to share its produce request
 *     ({@code linger.ms}; default {@link #DEFAULT_COMMAND_LINGER}); shorter than {@code publishTimeout}
 * @param apiKeyCacheTtl how long a verified API key is trusted without re-reading it, the revocation delay
 *     (default {@link #DEFAULT_API_KEY_CACHE_TTL}, 30 s)
 * @param apiKeyPepper HMAC key of stored API key hashes; unset: derived from {@code idempotencySecret}
 * @param failedAuthentication the limits on failed authentication, on by default
 * @param rateLimit the request limit of api-contract §1.6, off by default
 */
@ConfigurationProperties("patchbay.api")
public record AdapterProperties(String publicBaseUrl, Duration commandWait, Duration inlineWait, Duration idempotencyRetention,
                                String idempotencySecret, int maxBodyBytes, int maxPending, Duration publishTimeout,
                                Duration commandLinger, Duration apiKeyCacheTtl, String apiKeyPepper,
                                FailedAuthentication failedAuthentication, RateLimit rateLimit) {

    public static final String DEFAULT_PUBLIC_BASE_URL = "http://localhost:8080";
    public static final Duration DEFAULT_COMMAND_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_INLINE_WAIT = Duration.ofMillis(50);
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofHours(24);
    public static final int DEFAULT_MAX_BODY_BYTES = 65_536;
    public static final int DEFAULT_MAX_PENDING = 2_000;
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_COMMAND_LINGER = Duration.ZERO;
    public static final Duration DEFAULT_API_KEY_CACHE_TTL = Duration.ofSeconds(30);

    public AdapterProperties {
        publicBaseUrl = (publicBaseUrl == null ? DEFAULT_PUBLIC_BASE_URL : publicBaseUrl).replaceAll("/+$", "");
        commandWait = commandWait == null ? DEFAULT_COMMAND_WAIT : commandWait;
        inlineWait = inlineWait == null || inlineWait.isNegative() ? DEFAULT_INLINE_WAIT : inlineWait;
        idempotencyRetention = idempotencyRetention == null ? DEFAULT_IDEMPOTENCY_RETENTION : idempotencyRetention;
        maxBodyBytes = maxBodyBytes <= 0 ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        maxPending = maxPending <= 0 ? DEFAULT_MAX_PENDING : maxPending;
        publishTimeout = publishTimeout == null ? DEFAULT_PUBLISH_TIMEOUT : publishTimeout;
        commandLinger = commandLinger == null || commandLinger.isNegative() ? DEFAULT_COMMAND_LINGER : commandLinger;
        if (commandLinger.compareTo(publishTimeout) >= 0) {
            throw new IllegalArgumentException("patchbay.api.command-linger (" + commandLinger
                    + ") must be shorter than patchbay.api.publish-timeout (" + publishTimeout + ")");
        }
        apiKeyCacheTtl = apiKeyCacheTtl == null ? DEFAULT_API_KEY_CACHE_TTL : apiKeyCacheTtl;
        failedAuthentication = failedAuthentication == null ? new FailedAuthentication(null, null, null, null) : failedAuthentication;
        rateLimit = rateLimit == null ? new RateLimit(0, null) : rateLimit;
    }

    /**
     * {@code patchbay.api.rate-limit.*} (api-contract §1.6).
     *
     * @param perMinute requests per team (or key) in any 60 seconds; 0 (the default) turns rate limiting off
     * @param scope {@code team} (the contract's, the default) or {@code key}
     */
    public record RateLimit(int perMinute, String scope) {

        public RateLimiter limiter(Clock clock) {
            return new RateLimiter(Math.max(0, perMinute), RateLimiter.Scope.parse(scope), clock, System::nanoTime);
        }
    }

    /**
     * {@code patchbay.api.failed-authentication.*}; 0 turns a limit off.
     *
     * @param perAddress failed authentications per client address and period (default 30)
     * @param perKey failed authentications per existing API key id and period (default 30)
     * @param period the window of both (default 1 minute)
     * @param legacyChecksPerSecond PBKDF2 checks of legacy-format API keys per second, whole instance (default 4)
     */
    public record FailedAuthentication(Integer perAddress, Integer perKey, Duration period, Integer legacyChecksPerSecond) {

        public FailedAuthentication {
            perAddress = perAddress == null ? 30 : perAddress;
            perKey = perKey == null ? 30 : perKey;
            period = period == null ? Duration.ofMinutes(1) : period;
            legacyChecksPerSecond = legacyChecksPerSecond == null ? 4 : legacyChecksPerSecond;
        }

        public FailedAuthentications.Limits limits() {
            return new FailedAuthentications.Limits(perAddress, perKey, period, legacyChecksPerSecond);
        }
    }
}
