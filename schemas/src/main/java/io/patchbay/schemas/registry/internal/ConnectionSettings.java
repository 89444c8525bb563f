package io.patchbay.schemas.registry.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to reach one registry: the key under which clients are shared within the JVM.
 *
 * @param baseUrls base URLs without credentials, tried in order on failures
 * @param authorization the {@code Authorization} header value, or {@code null}; never printed
 * @param maxRetries retries after the first attempt, on I/O errors and 5xx/408/429
 * @param retryWait backoff before the first retry; doubled for each further one
 * @param retryMaxWait cap on the backoff
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for the answer of one request
 */
public record ConnectionSettings(List<URI> baseUrls, String authorization, int maxRetries, Duration retryWait,
                                 Duration retryMaxWait, Duration connectTimeout, Duration requestTimeout) {

    public ConnectionSettings {
        baseUrls = List.copyOf(baseUrls);
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one registry URL is required");
        }
        Objects.requireNonNull(retryWait, "retryWait");
        Objects.requireNonNull(retryMaxWait, "retryMaxWait");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
    }

    /** Defaults for one URL without credentials. */
    public static ConnectionSettings of(String url) {
        return new ConnectionSettings(List.of(URI.create(url)), null, 3, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** The URLs, comma-separated, for messages. */
    public String describeUrls() {
        return baseUrls.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + describeUrls() + (authorization == null ? "" : ", authorization=***")
                + ", maxRetries=" + maxRetries + ", retryWait=" + retryWait + ", retryMaxWait=" + retryMaxWait
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }
}
