package io.patchbay.devstack.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.patchbay.devstack.FaultDataAdapter;
import io.patchbay.devstack.RawHttp;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.JsonNode;

/**
 * The limits on failed authentication as they are by default (30 failures a minute per client address and per key id),
 * on an adapter of this test's own; clients are told apart by their loopback address (127.0.0.x).
 */
class FailedAuthenticationIT {

    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final String EVALUATION = "/api/v1/evaluations/eval_f000";
    private static final String AUTOMATION = "/api/automations/auto_f000/";
    private static final int DEFAULT_LIMIT = 30;
    private static FaultDataAdapter adapter;

    @BeforeAll
    static void startAdapter() {
        adapter = FaultDataAdapter.start("failedauth", Map.of());
    }

    @AfterAll
    static void stopAdapter() {
        adapter.close();
    }

    @Test
    void anAddressWithTooManyFailuresGets429InEachApisFormatWhileItsWorkingKeyAndOtherAddressesGoOn() {
        try (RawHttp client = from("127.0.0.21"); RawHttp neighbour = from("127.0.0.22")) {
            assertThat(get(client, EVALUATION, FaultData.TOKEN).status()).isEqualTo(200);
            int failures = failUntilThrottled(i -> "127.0.0.21", i -> "pb.nobody" + i + ".guess");

            RawHttp.Response autousers = get(client, EVALUATION, "pb.nobody.guess");
            RawHttp.Response respan = get(client, AUTOMATION, "pb.nobody.guess");

            assertThat(failures).isGreaterThanOrEqualTo(DEFAULT_LIMIT);
            assertThat(autousers.status()).isEqualTo(429);
            long retryAfter = Long.parseLong(autousers.header("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(autousers.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(UUID_V7));
            JsonNode error = JsonValues.MAPPER.readTree(autousers.text()).get("error");
            assertThat(error.get("type").stringValue()).isEqualTo("rate_limit_error");
            assertThat(error.get("code").stringValue()).isEqualTo("rate_limit_exceeded");
            assertThat(error.get("request_id").stringValue()).isEqualTo(autousers.header("X-Request-Id").orElseThrow());
            assertThat(respan.status()).isEqualTo(429);
            JsonNode detail = JsonValues.MAPPER.readTree(respan.text());
            assertThat(detail.get("detail").stringValue()).isEqualTo("Rate limit exceeded");
            assertThat(detail.get("retry_after").asLong()).isEqualTo(Long.parseLong(respan.header("Retry-After").orElseThrow()));
            assertThat(get(client, EVALUATION, FaultData.TOKEN).status()).isEqualTo(200);
            assertThat(get(neighbour, EVALUATION, "pb.nobody.guess").status()).isEqualTo(401);
        }
    }

    @Test
    void floodingAPublicKeyIdFromManyAddressesIsThrottledButItsOwnerGetsThrough() {
        String wrongSecret = "pb." + FaultData.KEY_ID + ".a-wrong-secret";

        int failures = failUntilThrottled(i -> "127.0.1." + (10 + i), i -> wrongSecret);

        assertThat(failures).isGreaterThanOrEqualTo(DEFAULT_LIMIT);
        try (RawHttp owner = from("127.0.1.201")) {
            assertThat(get(owner, EVALUATION, FaultData.TOKEN).status()).isEqualTo(200);
        }
    }

    /**
     * Fails to authenticate, attempt {@code i} from {@code address(i)} with {@code token(i)}, until the adapter answers
     * 429; every answer before is a 401. The limit refills continuously (one failure per two seconds by default), so a
     * slow run may need a few more than the limit. Returns the number of 401s.
     */
    private static int failUntilThrottled(IntFunction<String> address, IntFunction<String> token) {
        for (int i = 0; i < 2 * DEFAULT_LIMIT; i++) {
            int status;
            try (RawHttp client = from(address.apply(i))) {
                status = get(client, EVALUATION, token.apply(i)).status();
            }
            if (status == 429) {
                return i;
            }
            assertThat(status).as("failure %d", i).isEqualTo(401);
        }
        throw new AssertionError("no 429 after " + 2 * DEFAULT_LIMIT + " failed authentications");
    }

    private static RawHttp from(String address) {
        try {
            return new RawHttp(adapter.port(), InetAddress.getByName(address), Duration.ofSeconds(30));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    private static RawHttp.Response get(RawHttp client, String path, String token) {
        return client.send("GET " + path + " HTTP/1.1\r\nAuthorization: Bearer " + token, new byte[0]);
    }
}
