package io.patchbay.adapter;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.patchbay.adapter.auth.FailedAuthentications;
import io.patchbay.adapter.ratelimit.RateLimiter;
import io.patchbay.schemas.Topics;

/**
 * Every adapter setting, under {@code patchbay.*}; Kafka and the database use Spring Boot's own
 * {@code spring.kafka.*} and {@code spring.datasource.*}.
 *
 * @param topicPrefix first segment of every topic name ({@code patchbay})
 * @param topicPartitions partitions of topics created at start when missing
 * @param schemaRegistryUrl Confluent-API schema registry base URL
 * @param api settings of the HTTP contract (api-contract §1.8)
 */
@ConfigurationProperties("patchbay")
public record AdapterProperties(String topicPrefix, int topicPartitions, String schemaRegistryUrl, Api api) {

    public AdapterProperties {
        topicPrefix = topicPrefix == null ? "patchbay" : topicPrefix;
        topicPartitions = topicPartitions <= 0 ? 3 : topicPartitions;
        api = api == null ? new Api(null, null, null, null, 0, null, null, null, null, null) : api;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    /**
     * @param publicBaseUrl absolute base of {@code links.*} and {@code Location}; a trailing slash is stripped
     * @param commandWait longest time a PATCH waits for its outcome before answering 202; 0 means always 202
     * @param idempotencyRetention how long Idempotency-Key records and command status are kept
     * @param idempotencySecret HMAC key of request fingerprints; required outside devstack
     * @param maxBodyBytes PATCH body size limit
     * @param publishTimeout longest wait for the broker to acknowledge a command
     * @param apiKeyCacheTtl how long a verified API key is trusted without re-reading it (revocation delay)
     * @param apiKeyPepper HMAC key of stored API key hashes; unset: derived from {@code idempotencySecret}
     * @param failedAuthentication the limits on failed authentication, on by default
     * @param rateLimit the request limit of api-contract §1.6, off by default
     */
    public record Api(String publicBaseUrl, Duration commandWait, Duration idempotencyRetention, String idempotencySecret,
                      int maxBodyBytes, Duration publishTimeout, Duration apiKeyCacheTtl, String apiKeyPepper,
                      FailedAuthentication failedAuthentication, RateLimit rateLimit) {

        public Api {
            publicBaseUrl = publicBaseUrl == null ? "http://localhost:8080" : publicBaseUrl.replaceAll("/+$", "");
            commandWait = commandWait == null ? Duration.ofSeconds(5) : commandWait;
            idempotencyRetention = idempotencyRetention == null ? Duration.ofHours(24) : idempotencyRetention;
            maxBodyBytes = maxBodyBytes <= 0 ? 65_536 : maxBodyBytes;
            publishTimeout = publishTimeout == null ? Duration.ofSeconds(10) : publishTimeout;
            apiKeyCacheTtl = apiKeyCacheTtl == null ? Duration.ofSeconds(30) : apiKeyCacheTtl;
            failedAuthentication = failedAuthentication == null ? new FailedAuthentication(null, null, null, null) : failedAuthentication;
            rateLimit = rateLimit == null ? new RateLimit(0, null) : rateLimit;
        }
    }

    /**
     * {@code patchbay.api.rate-limit.*} (api-contract §1.6).
     *
     * @param perMinute requests per team (or key) in any 60 seconds; 0 (the default) turns rate limiting off
     * @param scope {@code team} (the contract's, the default) or {@code key}
     */
    public record RateLimit(int perMinute, String scope) {

        public RateLimiter limiter(java.time.Clock clock) {
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
