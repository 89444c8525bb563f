package io.patchbay.devstack.campaign.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.patchbay.devstack.faults.FaultData;
import io.patchbay.schemas.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A careful HTTP client of patchbay, as api-contract §1.4 and §2 ask clients to be: a PATCH with an
 * Idempotency-Key is sent again with the same key after a timeout, a broken connection (an adapter died) or a
 * 5xx, to either adapter, until it gets an outcome; a 202 is followed by polling the command's status, and a
 * command that stays pending is asked for again with the same key. All of it within the op's window, which
 * must stay shorter than the idempotency retention. A PATCH without a key is sent once.
 */
final class HttpClientDriver {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);
    /** A command pending this long is asked for again with the same key (its claim may have been abandoned). */
    private static final Duration PENDING_PATIENCE = Duration.ofSeconds(40);

    private final List<String> adapters;
    private final Duration window;
    private final LongSupplier clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param clock milliseconds since the campaign started
     * @param window how long an op may keep retrying, from its first request
     */
    HttpClientDriver(List<String> adapters, Duration window, LongSupplier clock) {
        this.adapters = adapters;
        this.window = window;
        this.clock = clock;
    }

    /** Runs {@code op} to its end; {@code random} decides adapters, timeouts, back-offs and a last replay. */
    void run(Op op, Random random) {
        long deadline = clock.getAsLong() + window.toMillis();
        int adapter = random.nextInt(adapters.size());
        Op.Attempt outcome = null;
        int tries = 0;
        while (outcome == null && clock.getAsLong() < deadline) {
            Duration timeout = tries == 0 && random.nextInt(10) == 0 ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
            Op.Attempt answer = patch(op, adapter, timeout);
            op.attempted(answer);
            tries++;
            if (answer.isOutcome() || answer.status() == 409) {
                outcome = answer;
            } else if (answer.status() == 202 && answer.location() != null) {
                outcome = poll(op, answer.location(), random, Math.min(deadline, clock.getAsLong()
                        + PENDING_PATIENCE.toMillis()));
            }
            if (outcome == null) {
                if (op.idempotencyKey == null) {
                    break;
                }
                adapter = random.nextInt(adapters.size());
                pause(backOff(tries, random));
            }
        }
        if (outcome != null && op.idempotencyKey != null && outcome.status() != 409 && random.nextInt(4) == 0) {
            op.attempted(patch(op, (adapter + 1) % adapters.size(), Duration.ofSeconds(8)));
        }
        op.ended(clock.getAsLong());
    }

    /** Polls the command's status until it is decided, 404, or {@code until}; returns the decided poll or null. */
    private Op.Attempt poll(Op op, String commandId, Random random, long until) {
        while (clock.getAsLong() < until) {
            pause(POLL_EVERY);
            int adapter = random.nextInt(adapters.size());
            long start = clock.getAsLong();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(adapters.get(adapter)
                                + "/api/v1/commands/" + commandId)).timeout(Duration.ofSeconds(3))
                        .header("Authorization", "Bearer " + FaultData.TOKEN).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode status = JSON.readTree(response.body());
                    String state = status.path("status").asString();
                    if (!"PENDING".equals(state)) {
                        Op.Attempt decided = new Op.Attempt(adapter, "GET", start, clock.getAsLong(), 200, null,
                                text(status.path("requestId")), false, commandId, state,
                                status.path("outcome").path("body").toString(), status.path("outcome").path("status").asInt());
                        op.attempted(decided);
                        return decided;
                    }
                    op.polledPending();
                } else if (response.statusCode() == 404) {
                    op.attempted(new Op.Attempt(adapter, "GET", start, clock.getAsLong(), 404, null, null, false, commandId,
                            null, response.body(), 0));
                    return null;
                }
            } catch (IOException e) {
                // the adapter is down or slow: poll the other one next time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private Op.Attempt patch(Op op, int adapter, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adapters.get(adapter) + path(op)))
                .timeout(timeout).header("Authorization", "Bearer " + FaultData.TOKEN)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body(op)));
        if (op.idempotencyKey != null) {
            request.header("Idempotency-Key", op.idempotencyKey);
        }
        if (op.channel == Op.Channel.HTTP_ASYNC) {
            request.header("Prefer", "respond-async");
        }
        long start = clock.getAsLong();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String location = response.headers().firstValue("Location")
                    .map(l -> l.substring(l.lastIndexOf('/') + 1)).orElse(null);
            return new Op.Attempt(adapter, "PATCH", start, clock.getAsLong(), response.statusCode(), null,
                    response.headers().firstValue("X-Request-Id").orElse(null),
                    response.headers().firstValue("Idempotent-Replayed").filter("true"::equals).isPresent(), location,
                    null, response.body(), 0);
        } catch (HttpTimeoutException e) {
            return new Op.Attempt(adapter, "PATCH", start, clock.getAsLong(), -2, "timeout after " + timeout, null, false,
                    null, null, null, 0);
        } catch (IOException e) {
            return new Op.Attempt(adapter, "PATCH", start, clock.getAsLong(), -1, e.toString(), null, false, null, null,
                    null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Op.Attempt(adapter, "PATCH", start, clock.getAsLong(), -1, "interrupted", null, false, null, null,
                    null, 0);
        }
    }

    /** Exponential back-off with jitter: 250 ms, 500 ms, 1 s, ... up to 8 s. */
    private static Duration backOff(int tries, Random random) {
        long ceiling = Math.min(8_000, 250L << Math.min(tries - 1, 5));
        return Duration.ofMillis(ceiling / 2 + random.nextInt((int) (ceiling / 2) + 1));
    }

    static String path(Op op) {
        return op.type == ResourceType.EVALUATION ? "/api/v1/evaluations/" + op.resourceId
                : "/api/automations/" + op.resourceId + "/";
    }

    static String body(Op op) {
        return switch (op.action) {
            case RENAME, UNKNOWN_RESOURCE -> "{\"name\":\"" + op.value + "\"}";
            case NAME_TOO_LONG -> "{\"name\":\"" + "x".repeat(op.type == ResourceType.EVALUATION ? 201 : 256) + "\"}";
            case BAD_TRANSITION -> "{\"status\":\"Draft\"}";
            case UNKNOWN_EVALUATOR -> "{\"evaluator_ids\":[\"evl_missing_" + op.id + "\"]}";
            default -> throw new IllegalArgumentException("not an HTTP action: " + op.action);
        };
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asString();
    }

    private static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
