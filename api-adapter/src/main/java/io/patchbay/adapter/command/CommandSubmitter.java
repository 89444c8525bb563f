package io.patchbay.adapter.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.jdbi.v3.core.Jdbi;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.resource.PreparedPatch;
import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.Topics;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.request.CommandRequests;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one submission path of a PATCH, from the Idempotency-Key lookup to the answer (api-contract §2, §1.4):
 * an earlier request with the same key decides the answer if there is one; otherwise the body's fields are
 * checked by the resource's {@link io.patchbay.adapter.resource.ResourceApi}, the request is recorded (with the
 * key's claim), the command published, and its outcome awaited within the configured budget.
 *
 * <p>Nothing waits on the caller's thread: the answer is a future that completes when the broker has
 * acknowledged the command and the outcome arrived (or the budget ran out), so a thousand waiting requests do
 * not hold a thousand servlet threads. Blocking follow-ups (reading the command log after the budget ran out,
 * releasing a claim) run on {@code blockingWork}, never on a Kafka client's thread.
 *
 * <p>Only outcomes decided by the processor are replayed; they are read from the command log, so nothing is
 * written twice. A claim that never reached Kafka is released at once on a failed publish, or after its
 * lease if this adapter died.
 */
public final class CommandSubmitter {

    private static final Duration CLAIM_LEASE = Duration.ofSeconds(30);

    /**
     * The answer to a retry while the original request's command is not yet on Kafka: a 202 would name a command
     * that may never exist (its publishing can still fail, and then the key is free again, §2.5), so the client is
     * told to ask again instead; 5xx answers are never stored.
     */
    static final ApiError SUBMISSION_IN_PROGRESS = ApiError.of(503, "api_error", "request_in_progress", "Idempotency-Key",
            "The first request with this Idempotency-Key is still being submitted. Retry with the same key.",
            "The first request with this Idempotency-Key is still being submitted.").withHeader("Retry-After", "1");

    private final Jdbi jdbi;
    private final Topics topics;
    private final CommandPublisher publisher;
    private final OutcomeWaiter waiter;
    private final Deserializer<Object> resultDeserializer;
    private final Duration commandWait;
    private final Duration retention;
    private final Clock clock;
    private final Executor blockingWork;
    private final CommandIds ids;
    private final CommandRequests requests = new CommandRequests();
    private final CommandLog commandLog = new CommandLog();

    public CommandSubmitter(Jdbi jdbi, Topics topics, CommandPublisher publisher, OutcomeWaiter waiter,
                            Deserializer<Object> resultDeserializer, Duration commandWait, Duration retention, Clock clock,
                            Executor blockingWork, CommandIds ids) {
        this.jdbi = jdbi;
        this.topics = topics;
        this.publisher = publisher;
        this.waiter = waiter;
        this.resultDeserializer = resultDeserializer;
        this.commandWait = commandWait;
        this.retention = retention;
        this.clock = clock;
        this.blockingWork = blockingWork;
        this.ids = ids;
    }

    /**
     * Answers {@code submission}: from an earlier request with the same Idempotency-Key (replay, wait or 409),
     * else by checking {@code body}'s fields and publishing its command.
     *
     * @throws ApiError.ApiException when the fields are refused (and no earlier request decides the answer)
     */
    public CompletableFuture<Answer> submit(Submission submission, ObjectNode body) {
        if (submission.idempotencyKey() != null) {
            Optional<CompletableFuture<Answer>> earlier = jdbi.withHandle(h -> requests.findByKey(h,
                    submission.principal().teamId(), submission.idempotencyKey())).flatMap(existing -> answerFrom(existing, submission));
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        PreparedPatch patch = submission.resource().prepare(body, submission.pathId(), submission.principal(),
                submission.receivedAt());
        return publish(submission, ids.mint(submission.principal().teamId(), submission.resource().type(),
                submission.receivedAt()), patch);
    }

    private CompletableFuture<Answer> publish(Submission submission, String commandId, PreparedPatch patch) {
        Instant now = submission.receivedAt();
        boolean idempotent = submission.idempotencyKey() != null;
        CommandRequest request = new CommandRequest(commandId, submission.principal().teamId(),
                submission.resource().type().name(), submission.method(), submission.path(), submission.requestId(),
                submission.apiVersion(), submission.idempotencyKey(), submission.fingerprint(),
                idempotent ? CommandRequest.CLAIMED : CommandRequest.SUBMITTED,
                idempotent ? now.plus(CLAIM_LEASE) : null, now, now.plus(retention));
        Optional<CommandRequest> holder = jdbi.inTransaction(h -> {
            Optional<CommandRequest> existing = requests.insertOrGetClaim(h, request);
            if (existing.isPresent() && existing.get().state().equals(CommandRequest.CLAIMED)
                    && existing.get().leaseUntil().isBefore(now) && requests.takeOver(h, request, now)) {
                return Optional.empty();
            }
            return existing;
        });
        if (holder.isPresent()) {
            return answerFrom(holder.get(), submission).orElseThrow();
        }
        CompletableFuture<CommandResult> outcome = waiter.register(commandId);
        SpecificRecord command;
        try {
            command = patch.command().apply(metadata(commandId, patch.recordKey(), submission));
        } catch (RuntimeException e) {
            jdbi.useHandle(h -> requests.delete(h, commandId));
            throw e;
        }
        CompletableFuture<Void> published = publisher.publish(record(submission, commandId, patch.recordKey(), command))
                .exceptionallyComposeAsync(error -> {
                    if (error instanceof CommandPublisher.PublishFailedException) {
                        // definitive: the command will never reach Kafka, so a retry may claim the key again
                        jdbi.useHandle(h -> requests.delete(h, commandId));
                    }
                    return CompletableFuture.failedFuture(error);
                }, blockingWork);
        if (idempotent) {
            published = published.thenRunAsync(() -> jdbi.useHandle(h -> requests.markSubmitted(h, commandId)), blockingWork);
        }
        return published.thenCompose(sent -> awaitOutcome(outcome, commandId, submission.requestId(), now,
                submission.apiVersion(), submission.respondAsync(), false));
    }

    /**
     * The command's record: keyed by the resource id, timestamped with its id's time and carrying the id in the
     * {@code kafka_correlationId} header, so that {@link CommandRecords} can find it without decoding other records.
     */
    private ProducerRecord<String, Object> record(Submission submission, String commandId, String recordKey, SpecificRecord command) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topics.commands(submission.resource().type()), null,
                submission.receivedAt().toEpochMilli(), recordKey, command);
        record.headers().add(KafkaHeaders.CORRELATION_ID, commandId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static CommandMetadata metadata(String commandId, String recordKey, Submission submission) {
        return CommandMetadata.newBuilder()
                .setCommandId(commandId)
                .setResourceType(submission.resource().type())
                .setResourceId(recordKey)
                .setTeamId(submission.principal().teamId())
                .setActor(new Actor(submission.principal().keyId()))
                .setIdempotencyKey(submission.idempotencyKey())
                .setRequestFingerprint(submission.fingerprint() == null ? null : ByteBuffer.wrap(submission.fingerprint()))
                .setReceivedAt(submission.receivedAt())
                .setRequestId(submission.requestId())
                .setPath(submission.path())
                .build();
    }

    private Optional<CompletableFuture<Answer>> answerFrom(CommandRequest existing, Submission submission) {
        if (!Arrays.equals(existing.fingerprint(), submission.fingerprint())) {
            return Optional.of(CompletableFuture.completedFuture(new Answer.KeyReused()));
        }
        if (existing.state().equals(CommandRequest.CLAIMED) && existing.leaseUntil().isBefore(clock.instant())) {
            return Optional.empty();
        }
        CompletableFuture<CommandResult> outcome = waiter.register(existing.commandId());
        Optional<CommandResult> stored = storedResult(existing.commandId());
        if (stored.isPresent()) {
            return Optional.of(CompletableFuture.completedFuture(new Answer.Completed(stored.get(), true, existing.apiVersion())));
        }
        CompletableFuture<Answer> answer = awaitOutcome(outcome, existing.commandId(), existing.requestId(),
                existing.createdAt(), existing.apiVersion(), submission.respondAsync(), true);
        if (existing.state().equals(CommandRequest.CLAIMED)) {
            answer = answer.thenApplyAsync(a -> a instanceof Answer.Accepted ? acceptedOnceOnKafka(existing, a) : a, blockingWork);
        }
        return Optional.of(answer);
    }

    /** A 202 for a claimed command only once it is on Kafka (its claim marked submitted); else 503, retry. */
    private Answer acceptedOnceOnKafka(CommandRequest claim, Answer accepted) {
        boolean submitted = jdbi.withHandle(h -> requests.find(h, claim.teamId(), claim.commandId()))
                .filter(request -> request.state().equals(CommandRequest.SUBMITTED)).isPresent();
        if (!submitted) {
            throw SUBMISSION_IN_PROGRESS.exception();
        }
        return accepted;
    }

    /**
     * The outcome once it arrives within the wait budget, else (read from the command log, for an outcome this
     * instance missed) 202; at once 202 with {@code Prefer: respond-async}.
     */
    private CompletableFuture<Answer> awaitOutcome(CompletableFuture<CommandResult> outcome, String commandId, String requestId,
                                                   Instant createdAt, String apiVersion, boolean respondAsync, boolean replayed) {
        Answer.Accepted accepted = new Answer.Accepted(commandId, requestId, createdAt, replayed);
        if (respondAsync) {
            return CompletableFuture.completedFuture(accepted);
        }
        // A copy: the registered future may be shared with a replay of the same command that waits longer.
        return outcome.copy().completeOnTimeout(null, Math.max(0, commandWait.toMillis()), TimeUnit.MILLISECONDS)
                .thenCompose(result -> result != null
                        ? CompletableFuture.completedFuture(new Answer.Completed(result, replayed, apiVersion))
                        : CompletableFuture.supplyAsync(() -> storedResult(commandId)
                                .<Answer>map(stored -> new Answer.Completed(stored, replayed, apiVersion)).orElse(accepted), blockingWork));
    }

    /** The outcome the processor recorded for {@code commandId}, if it has decided it. */
    public Optional<CommandResult> storedResult(String commandId) {
        return jdbi.withHandle(h -> commandLog.find(h, commandId))
                .map(entry -> (CommandResult) resultDeserializer.deserialize(topics.commandResults(), entry.result()));
    }
}
