package io.patchbay.adapter.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.adapter.auth.Principal;
import io.patchbay.adapter.http.ApiError;
import io.patchbay.adapter.http.Traceparents;
import io.patchbay.adapter.resource.PreparedPatch;
import io.patchbay.schemas.Actor;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.request.CommandRequest;
import io.patchbay.store.request.CommandRequests;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one submission path of a PATCH, from the Idempotency-Key to the answer (api-contract §2, §1.4): the body's
 * fields are checked by the resource's {@link io.patchbay.adapter.resource.ResourceApi}, the command gets an id the
 * adapter can verify later ({@link CommandIds}), is published, and its outcome awaited within the budget.
 *
 * <p>A request without an Idempotency-Key writes nothing before its command is published: the commands topic and
 * the processor's command log are the only records of it. A request with a key claims it in one statement; an
 * earlier request with the same key decides the answer instead (replay, wait, or 409), and field errors come after
 * that lookup. After the claim's lease, an identical retry publishes the same command again, which the processor
 * decides at most once, so a claiming adapter that died before publishing cannot block the key and one that died
 * after cannot cause a second change.
 *
 * <p>A claim is never released. A failed publish does not prove the command absent from Kafka: the producer reports
 * a failure when the broker appended the record but died, or lost leadership, before acknowledging it (RELIABILITY.md
 * finding 4), and a retry under a fresh claim would then be a second command. So any failed publish under a claim
 * (the producer's error, one thrown by {@code send} before anything was sent, or no verdict at all: one rule) keeps
 * the claim and its command id, ends its lease at once ({@link CommandRequests#endLease}), and answers
 * {@link Answer.Unconfirmed}: 503 with {@code Retry-After}. The next identical request, on any instance, publishes
 * the same command id again at once, and the processor's command log decides it at most once. (A request without a
 * key has no claim: its failed publish is a 500, and its command may still have reached Kafka.)
 *
 * <p>A 202 always names a command on its topic. The request that publishes a claim's command marks the claim
 * {@code SUBMITTED} once the broker acknowledged it (one update, on the Idempotency-Key path only, run beside the wait
 * for the outcome). A retry whose claim is not marked gets the outcome if it arrives in its budget, and otherwise
 * not the 202 (the first publish may still fail) but {@link Answer.StillPublishing}: 503 with {@code Retry-After}; a
 * retry after that replays, waits, or publishes the command again as usual.
 *
 * <p>Nothing waits on the caller's thread: the answer is a future that completes when the broker has acknowledged
 * the command and the outcome arrived (or the budget ran out). Blocking follow-ups (reading the command log after the
 * budget ran out, marking a claim or ending its lease) run on {@code blockingWork}, never on a Kafka client's thread.
 */
public final class CommandSubmitter {

    /** How long an identical request waits for a claim's command before publishing it itself. */
    static final Duration CLAIM_LEASE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(CommandSubmitter.class);
    /** The outcome of a request that awaits none: never read, and failed, so that a mistaken wait fails at once. */
    private static final CompletableFuture<CommandResult> NOT_AWAITED =
            CompletableFuture.failedFuture(new IllegalStateException("a Prefer: respond-async request awaits no outcome"));

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
    private final Supplier<String> traceparent;
    private final CommandRequests requests = new CommandRequests();
    private final CommandLog commandLog = new CommandLog();

    public CommandSubmitter(Jdbi jdbi, Topics topics, CommandPublisher publisher, OutcomeWaiter waiter,
                            Deserializer<Object> resultDeserializer, Duration commandWait, Duration retention, Clock clock,
                            Executor blockingWork, CommandIds ids) {
        this(jdbi, topics, publisher, waiter, resultDeserializer, commandWait, retention, clock, blockingWork, ids, () -> null);
    }

    /**
     * As the other constructor, with the W3C {@code traceparent} of the request being served ({@code traceparent}, read
     * on the request's thread; null when there is none) written on each command: its {@code traceparent} record header
     * and {@code metadata.traceparent}.
     */
    public CommandSubmitter(Jdbi jdbi, Topics topics, CommandPublisher publisher, OutcomeWaiter waiter,
                            Deserializer<Object> resultDeserializer, Duration commandWait, Duration retention, Clock clock,
                            Executor blockingWork, CommandIds ids, Supplier<String> traceparent) {
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
        this.traceparent = traceparent;
    }

    /**
     * Answers {@code submission}: from an earlier request with the same Idempotency-Key (replay, wait or 409),
     * else by checking {@code body}'s fields and publishing its command.
     *
     * @throws ApiError.ApiException when the fields are refused (and no earlier request decides the answer)
     */
    public CompletableFuture<Answer> submit(Submission submission, ObjectNode body) {
        String commandId = ids.mint(submission.principal().teamId(), submission.resource().type(), submission.receivedAt());
        if (submission.idempotencyKey() == null) {
            return send(submission, commandId, submission.requestId(), prepare(submission, body), false);
        }
        PreparedPatch patch;
        try {
            patch = prepare(submission, body);
        } catch (ApiError.ApiException refused) {
            // The key's lookup comes before the field checks (§3.8, §4.7): an earlier request may still decide.
            return jdbi.withHandle(h -> requests.findByKey(h, submission.principal().teamId(), submission.idempotencyKey()))
                    .map(existing -> answerFrom(existing, submission, null)).orElseThrow(() -> refused);
        }
        CommandRequests.Claim claim = jdbi.withHandle(h -> requests.claim(h, claimOf(submission, commandId)));
        return claim.claimed() ? send(submission, commandId, submission.requestId(), patch, false)
                : answerFrom(claim.holder(), submission, patch);
    }

    private static PreparedPatch prepare(Submission submission, ObjectNode body) {
        return submission.resource().prepare(body, submission.pathId(), submission.principal(), submission.receivedAt());
    }

    private CommandRequest claimOf(Submission submission, String commandId) {
        Instant at = submission.receivedAt();
        return new CommandRequest(commandId, submission.principal().teamId(), submission.resource().type().name(),
                submission.method(), submission.path(), submission.requestId(), submission.apiVersion(),
                submission.idempotencyKey(), submission.fingerprint(), CommandRequest.CLAIMED, at.plus(CLAIM_LEASE), at,
                at.plus(retention));
    }

    /**
     * Publishes the command and awaits its outcome ({@code again}: the claim's command published once more, by a
     * later request with its key). Under a claim, once the broker acknowledged the command, the claim is marked
     * submitted, before the answer (beside the wait for the outcome), so that a retry may then be told 202 for it;
     * a publish that failed keeps the claim, ends its lease before the answer, and is answered
     * {@link Answer.Unconfirmed}, so that the client's retry publishes the same command again at once.
     */
    private CompletableFuture<Answer> send(Submission submission, String commandId, String requestId, PreparedPatch patch,
                                           boolean again) {
        CompletableFuture<CommandResult> outcome = awaited(submission, commandId);
        String trace = traceparent.get();
        SpecificRecord command = patch.command().apply(metadata(commandId, requestId, patch.recordKey(), submission, trace));
        CompletableFuture<Void> published = publisher.publish(record(submission, commandId, patch.recordKey(), command, trace));
        if (submission.idempotencyKey() == null) {
            return published.thenCompose(sent -> awaitOutcome(outcome, commandId, requestId, submission.receivedAt(),
                    submission.apiVersion(), submission.respondAsync(), again));
        }
        CompletableFuture<Void> recorded = published.handleAsync((sent, error) -> {
            if (error == null) {
                markSubmitted(commandId);
            } else {
                endLease(commandId, error);
            }
            return null;
        }, blockingWork);
        return published.thenCompose(sent -> awaitOutcome(outcome, commandId, requestId, submission.receivedAt(),
                        submission.apiVersion(), submission.respondAsync(), again))
                .thenCombine(recorded, (answer, done) -> answer)
                .exceptionallyCompose(error -> published.isCompletedExceptionally()
                        ? recorded.thenApply(done -> (Answer) new Answer.Unconfirmed())
                        : CompletableFuture.failedFuture(error));
    }

    /**
     * The outcome of {@code commandId} as this request will await it, registered before anything is published or read
     * (the reply can beat the broker's acknowledgement); none for a {@code Prefer: respond-async} request, which
     * awaits nothing: its reply still comes to this instance, and is read and skipped without being decoded.
     */
    private CompletableFuture<CommandResult> awaited(Submission submission, String commandId) {
        return submission.respondAsync() ? NOT_AWAITED : waiter.register(commandId);
    }

    /**
     * Ends the lease of the claim of {@code commandId}, whose publish failed: the command may be on Kafka or not, so
     * the claim keeps it, and the next identical request publishes it again at once. If that fails (PostgreSQL is
     * down), the next identical request publishes it again once the lease ran out.
     */
    private void endLease(String commandId, Throwable publishFailure) {
        Throwable cause = publishFailure instanceof CompletionException && publishFailure.getCause() != null
                ? publishFailure.getCause() : publishFailure;
        log.warn("publishing command {} failed or got no verdict; it may be on Kafka, so its Idempotency-Key claim keeps it"
                + " and a retry with the key publishes it again", commandId, cause);
        try {
            jdbi.useHandle(h -> requests.endLease(h, commandId));
        } catch (RuntimeException e) {
            log.warn("could not end the lease of the claim of command {}; retries with its key publish it again after the"
                    + " lease", commandId, e);
        }
    }

    /**
     * Marks the claim of {@code commandId} submitted. If that fails (PostgreSQL is down), the command is on Kafka all
     * the same: retries answer 503 until the lease ends, and then publish the same command again.
     */
    private void markSubmitted(String commandId) {
        try {
            jdbi.useHandle(h -> requests.markSubmitted(h, commandId));
        } catch (RuntimeException e) {
            log.warn("could not mark the claim of command {} submitted; retries with its key publish it again after the"
                    + " lease", commandId, e);
        }
    }

    /**
     * The command's record: keyed by the resource id, timestamped with its id's time, carrying the id in the
     * {@code kafka_correlationId} header ({@link CommandRecords} finds it by them) and, while this instance leases
     * one, its reply partition ({@code kafka_replyTopic}, {@code kafka_replyPartition}) for the processor to answer on,
     * and the request's W3C {@code traceparent}, when there is one.
     */
    private ProducerRecord<String, Object> record(Submission submission, String commandId, String recordKey, SpecificRecord command,
                                                  String trace) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topics.commands(submission.resource().type()), null,
                ids.acceptedAt(commandId).toEpochMilli(), recordKey, command);
        record.headers().add(KafkaHeaders.CORRELATION_ID, commandId.getBytes(StandardCharsets.UTF_8));
        if (trace != null) {
            record.headers().add(Traceparents.HEADER, trace.getBytes(StandardCharsets.UTF_8));
        }
        OptionalInt replyPartition = waiter.replyPartition();
        if (replyPartition.isPresent()) {
            record.headers().add(KafkaHeaders.REPLY_TOPIC, waiter.topic().getBytes(StandardCharsets.UTF_8));
            record.headers().add(KafkaHeaders.REPLY_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(replyPartition.getAsInt()).array());
        }
        return record;
    }

    private CommandMetadata metadata(String commandId, String requestId, String recordKey, Submission submission, String trace) {
        return metadata(commandId, submission.resource().type(), recordKey, submission.principal(), submission.idempotencyKey(),
                submission.fingerprint(), ids.acceptedAt(commandId), requestId, submission.path(), trace);
    }

    /**
     * A command's metadata, built with the all-fields constructor rather than {@code CommandMetadata.newBuilder()},
     * whose setters re-validated each value against its schema field and whose {@code build()} copied them once more,
     * on every request; the bytes are the same ({@code CommandMetadataBytesTest}). {@code idempotencyKey},
     * {@code fingerprint}, {@code path} and {@code traceparent} may be null; the rest never are here.
     */
    static CommandMetadata metadata(String commandId, ResourceType resourceType, String resourceId, Principal principal,
                                    String idempotencyKey, byte[] fingerprint, Instant receivedAt, String requestId,
                                    String path, String traceparent) {
        return new CommandMetadata(commandId, resourceType, resourceId, principal.teamId(), new Actor(principal.keyId()),
                idempotencyKey, fingerprint == null ? null : ByteBuffer.wrap(fingerprint), receivedAt, requestId,
                traceparent, path);
    }

    /**
     * The answer of a request whose key an earlier request holds: 409 for another request, else that request's
     * outcome, replayed or awaited; once the lease ended (it ran out, or the claim's publish failed), {@code patch}
     * (when the fields passed) publishes the held command again, same id. A 202 for the held command only once its claim is marked submitted (its command is on Kafka); before,
     * {@link Answer.StillPublishing}.
     */
    private CompletableFuture<Answer> answerFrom(CommandRequest existing, Submission submission, PreparedPatch patch) {
        if (!Arrays.equals(existing.fingerprint(), submission.fingerprint())) {
            return CompletableFuture.completedFuture(new Answer.KeyReused());
        }
        CompletableFuture<CommandResult> outcome = awaited(submission, existing.commandId());
        Optional<CommandResult> stored = storedResult(existing.commandId());
        if (stored.isPresent()) {
            return CompletableFuture.completedFuture(new Answer.Completed(stored.get(), true, existing.apiVersion()));
        }
        if (patch != null && leaseEnded(existing, clock.instant())) {
            return send(submission, existing.commandId(), existing.requestId(), patch, true);
        }
        CompletableFuture<Answer> answer = awaitOutcome(outcome, existing.commandId(), existing.requestId(),
                existing.createdAt(), existing.apiVersion(), submission.respondAsync(), true);
        if (CommandRequest.SUBMITTED.equals(existing.state())) {
            return answer;
        }
        return answer.thenApplyAsync(a -> a instanceof Answer.Accepted && !submitted(existing) ? new Answer.StillPublishing() : a,
                blockingWork);
    }

    /**
     * Whether the lease of {@code claim} has ended at {@code now}: it ran out (its adapter may have died before
     * publishing), or a publish of its command failed (then it ended at once). An identical request then publishes
     * the command itself. A claim without a lease (none is written so) has the default one.
     */
    static boolean leaseEnded(CommandRequest claim, Instant now) {
        Instant leaseUntil = claim.leaseUntil() != null ? claim.leaseUntil() : claim.createdAt().plus(CLAIM_LEASE);
        return !leaseUntil.isAfter(now);
    }

    /** Whether {@code claim} is still the key's and marked submitted: its command is on Kafka. */
    private boolean submitted(CommandRequest claim) {
        return jdbi.withHandle(h -> requests.findByKey(h, claim.teamId(), claim.idempotencyKey()))
                .filter(current -> current.commandId().equals(claim.commandId()))
                .filter(current -> CommandRequest.SUBMITTED.equals(current.state())).isPresent();
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
