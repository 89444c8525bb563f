package io.patchbay.devstack.campaign.load;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import io.patchbay.schemas.ResourceType;

/**
 * One logical operation of a campaign's load and everything that happened to it: the Kafka records sent for it,
 * or the HTTP requests (first try, retries with the same Idempotency-Key, status polls) and their answers.
 * One thread works on an op at a time; the history reads it once the load has ended.
 */
public final class Op {

    /** How the op reaches patchbay. */
    public enum Channel {
        /** A command written straight to a commands topic. */
        KAFKA,
        /** A PATCH with an Idempotency-Key that waits for its outcome (or gets 202 and polls). */
        HTTP_SYNC,
        /** A PATCH with an Idempotency-Key and {@code Prefer: respond-async}, then status polls. */
        HTTP_ASYNC,
        /** A PATCH without an Idempotency-Key: sent once, never retried. */
        HTTP_NO_KEY
    }

    /** What the op asks for. */
    public enum Action {
        /** Sets a name unique to the op: must be APPLIED exactly once. */
        RENAME,
        /** A 201-character name: REJECTED by the processor (Kafka) or refused at the edge (HTTP). */
        NAME_TOO_LONG,
        /** Evaluation {@code Running} to {@code Draft}: REJECTED. */
        BAD_TRANSITION,
        /** Automation sampling rate 1.5: REJECTED. */
        BAD_RATE,
        /** A resource that does not exist: REJECTED, not found. */
        UNKNOWN_RESOURCE,
        /** An automation naming an evaluator that does not exist: REJECTED. */
        UNKNOWN_EVALUATOR,
        /** The same command id as an earlier Kafka op, in a new record: changes nothing. */
        DUPLICATE,
        /** A record no consumer can decode, on a key of its own: dead-lettered. */
        POISON
    }

    /** What the op's outcome must be. */
    public enum Expect {
        APPLIED, REJECTED, EDGE_REFUSED, DEAD_LETTER, AS_ORIGINAL
    }

    /** One Kafka record sent for the op: where it landed, or why the producer gave up. */
    public record Send(long atMillis, String topic, int partition, long offset, String error) {

        public boolean acked() {
            return error == null;
        }
    }

    /**
     * One HTTP request of the op and its answer.
     *
     * @param adapter index of the adapter asked
     * @param method {@code PATCH}, or {@code GET} for a command status poll
     * @param status the HTTP status; -1 when the connection failed, -2 when the client timed out
     * @param requestId the answer's {@code X-Request-Id} (a status poll: the command's {@code requestId})
     * @param location the command id named by a 202's {@code Location}, or the polled command
     * @param commandStatus a poll's {@code status} ({@code PENDING}, {@code APPLIED}, ...)
     * @param body the answer's body; a decided poll: its {@code outcome.body}
     * @param outcomeStatus a decided poll's {@code outcome.status}
     */
    public record Attempt(int adapter, String method, long startMillis, long endMillis, int status, String error,
                          String requestId, boolean replayed, String location, String commandStatus, String body,
                          int outcomeStatus) {

        /** An answer that is an outcome decided by the processor, or an edge refusal. */
        public boolean isOutcome() {
            return method.equals("GET") ? outcomeStatus > 0
                    : status == 200 || status == 400 || status == 403 || status == 404;
        }

        /** The HTTP status the outcome has (a poll: the PATCH status it stands for). */
        public int effectiveStatus() {
            return method.equals("GET") ? outcomeStatus : status;
        }
    }

    public final int id;
    public final long startMillis;
    public final Channel channel;
    public final Action action;
    public final ResourceType type;
    public final String resourceId;
    /** The name it sets (unique in the campaign), or null. */
    public final String value;
    /** The Idempotency-Key, or null. */
    public final String idempotencyKey;
    public final Expect expect;
    /** Kafka ops: the command id; HTTP ops learn theirs from answers and the topics. */
    public final String commandId;
    /** A duplicate's original op, else -1. */
    public final int duplicateOf;
    private final List<Send> sends = Collections.synchronizedList(new ArrayList<>());
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private volatile int pendingPolls;
    private volatile long endMillis = -1;
    private volatile String unsent;
    private volatile String payloadDigest;

    public Op(int id, long startMillis, Channel channel, Action action, ResourceType type, String resourceId, String value,
              String idempotencyKey, Expect expect, String commandId, int duplicateOf) {
        this.id = id;
        this.startMillis = startMillis;
        this.channel = channel;
        this.action = action;
        this.type = type;
        this.resourceId = resourceId;
        this.value = value;
        this.idempotencyKey = idempotencyKey;
        this.expect = expect;
        this.commandId = commandId;
        this.duplicateOf = duplicateOf;
    }

    public boolean http() {
        return channel != Channel.KAFKA;
    }

    public void sent(Send send) {
        sends.add(send);
    }

    public void attempted(Attempt attempt) {
        attempts.add(attempt);
    }

    public void polledPending() {
        pendingPolls++;
    }

    public void ended(long atMillis) {
        endMillis = atMillis;
    }

    /** The op was never handed to patchbay (the client pool was saturated); the checker ignores it. */
    public void notSent(String reason) {
        unsent = reason;
    }

    /** Records the digest of a poison op's bytes, by which its dead letter is recognised. */
    public void payload(byte[] bytes) {
        payloadDigest = digest(bytes);
    }

    public String payloadDigest() {
        return payloadDigest;
    }

    /** The SHA-256 of {@code bytes} in hex, how the campaign compares payloads; {@code "null"} for null. */
    public static String digest(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Send> sends() {
        synchronized (sends) {
            return List.copyOf(sends);
        }
    }

    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    public int pendingPolls() {
        return pendingPolls;
    }

    public long endMillis() {
        return endMillis;
    }

    public String unsent() {
        return unsent;
    }

    /** {@code #12 HTTP_SYNC RENAME EVALUATION eval_f003 key=...}, for violation messages. */
    public String describe() {
        return "op #" + id + " (+" + String.format("%.1fs", startMillis / 1000.0) + " " + channel + " " + action + " "
                + type + " " + resourceId + (idempotencyKey == null ? "" : " key=" + idempotencyKey)
                + (commandId == null ? "" : " command=" + commandId) + ")";
    }
}
