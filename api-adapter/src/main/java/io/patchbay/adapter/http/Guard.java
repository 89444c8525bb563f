package io.patchbay.adapter.http;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.patchbay.adapter.auth.ApiKeyAuthenticator;
import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.ratelimit.RateLimiter;
import io.patchbay.adapter.metrics.AdapterMetrics;
import io.patchbay.schemas.rules.AutomationRules;

/**
 * Request-level checks shared by every route, each failing in the API's own format: authentication, scope,
 * {@code Autousers-Version} and {@code Idempotency-Key} syntax.
 */
public final class Guard {

    /** The only supported Autousers-Version, also the default. */
    public static final String AUTOUSERS_VERSION = "2026-05-04";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]{1,255}");

    private final ApiKeyAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final AdapterMetrics metrics;

    public Guard(ApiKeyAuthenticator authenticator, RateLimiter rateLimiter, AdapterMetrics metrics) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
    }

    public Principal authenticate(HttpServletRequest request, Api api) {
        ApiKeyAuthenticator.Result result = authenticator.authenticate(request.getHeader("Authorization"), request.getRemoteAddr());
        if (result.principal() != null) {
            return result.principal();
        }
        if (result.failure() == ApiKeyAuthenticator.Failure.THROTTLED) {
            throw ApiError.rateLimited(result.retryAfterSeconds(), "Too many failed authentication attempts; retry after "
                    + result.retryAfterSeconds() + " seconds.").exception();
        }
        boolean missing = result.failure() == ApiKeyAuthenticator.Failure.MISSING;
        metrics.authenticationFailed(api.name(), missing);
        ApiError error = ApiError.of(401, "authentication_error", null, null,
                missing ? "No API key provided." : "Invalid API key provided.",
                missing ? "Authentication credentials were not provided." : "Invalid API key.");
        throw error.withHeader("WWW-Authenticate", "Bearer").exception();
    }

    /**
     * The rate limit (api-contract §1.6, check 4, after authentication and scope), when it is on: takes one request of
     * the caller's budget, sets {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} on {@code response}
     * (so that every later answer carries them, errors and replays included), and refuses with 429 when none is left.
     */
    public void rateLimit(Principal principal, HttpServletResponse response) {
        if (!rateLimiter.enabled()) {
            return;
        }
        RateLimiter.Decision decision = rateLimiter.take(principal.teamId(), principal.keyId());
        response.setHeader("X-RateLimit-Limit", Long.toString(decision.limit()));
        response.setHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        response.setHeader("X-RateLimit-Reset", Long.toString(decision.resetEpochSeconds()));
        if (!decision.allowed()) {
            throw ApiError.rateLimited(decision.retryAfterSeconds(), "Rate limit exceeded; retry after "
                    + decision.retryAfterSeconds() + " seconds.").exception();
        }
    }

    public static void requireScope(Principal principal, String scope, Api api) {
        if (!principal.has(scope)) {
            throw ApiError.of(403, "authorization_error", "missing_required_scope", null,
                    "Missing required scope: " + scope, AutomationRules.PERMISSION_DENIED).exception();
        }
    }

    /**
     * Validates and resolves {@code Autousers-Version} on the API's routes that have it (Autousers; null for
     * Respan). {@link RequestIds} echoes the resolved value.
     */
    public static String apiVersion(HttpServletRequest request, Api api) {
        if (api != Api.AUTOUSERS) {
            return null;
        }
        String sent = request.getHeader(RequestIds.VERSION_HEADER);
        if (sent == null) {
            return AUTOUSERS_VERSION;
        }
        String value = sent.trim();
        if (!DATE.matcher(value).matches() || !isRealDate(value)) {
            throw ApiError.invalid("Autousers-Version", "Invalid Autousers-Version '" + value
                    + "'; expected a date such as " + AUTOUSERS_VERSION + ".").exception();
        }
        if (!value.equals(AUTOUSERS_VERSION)) {
            throw ApiError.invalid("Autousers-Version", "Unsupported Autousers-Version '" + value + "'; supported: "
                    + AUTOUSERS_VERSION + ".").exception();
        }
        return value;
    }

    /** The validated Idempotency-Key, or null when none was sent. */
    public static String idempotencyKey(HttpServletRequest request, Api api) {
        List<String> values = Collections.list(request.getHeaders("Idempotency-Key"));
        if (values.isEmpty()) {
            return null;
        }
        String key = values.size() == 1 ? values.get(0).strip() : null;
        if (key == null || !PRINTABLE_ASCII.matcher(key).matches()) {
            throw invalidIdempotencyKey().exception();
        }
        return key;
    }

    /**
     * The contract's refusal of an {@code Idempotency-Key} (api-contract §2.1), also for one the container already
     * refused (a control character such as DEL never reaches a handler).
     */
    public static ApiError invalidIdempotencyKey() {
        return ApiError.of(400, "invalid_request_error", null, "Idempotency-Key",
                "Idempotency-Key must be 1 to 255 printable ASCII characters, sent once.",
                "Idempotency-Key must be 1 to 255 printable ASCII characters.");
    }

    /** The version a request resolves to, or null when its header is invalid. */
    public static String resolvedVersionOrNull(String sent) {
        if (sent == null) {
            return AUTOUSERS_VERSION;
        }
        return sent.trim().equals(AUTOUSERS_VERSION) ? AUTOUSERS_VERSION : null;
    }

    private static boolean isRealDate(String value) {
        try {
            LocalDate.parse(value);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
