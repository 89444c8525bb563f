package io.patchbay.devstack.campaign.check;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;

/**
 * Everything patchbay left behind at the end of a campaign, read from the outside: the database's command log,
 * change log, resource rows and parked keys, and every record of the commands, change,
 * result and dead-letter topics, plus the processors' lag. Payloads are kept as SHA-256 digests.
 */
public record Observation(Map<String, LogRow> commandLog, List<ChangeRow> changeLog, Map<String, SpecificRecord> rows,
                          Set<String> parkedKeys, List<CommandRecord> commands,
                          List<ResultRecord> results, List<ChangeRecord> changes, List<DeadLetter> deadLetters,
                          List<String> unreadable, Map<String, Long> lag) {

    /** A command log row: the decision. */
    public record LogRow(String commandId, String status, String requestId, String resourceKey, Long version,
                         String resultDigest) {
    }

    /** A change log row, with its event decoded. */
    public record ChangeRow(String resourceKey, long version, String commandId, long occurredAtMillis, String digest,
                            SpecificRecord before, SpecificRecord after) {
    }

    /** A decodable record of a commands topic. */
    public record CommandRecord(String position, String key, String commandId, String requestId, String idempotencyKey,
                                String resourceKey, String digest) {
    }

    /** A record of a result topic. */
    public record ResultRecord(String topic, String commandId, String requestId, String status, String resourceName,
                               String digest) {
    }

    /** A record of a change topic. */
    public record ChangeRecord(String position, String resourceKey, long version, String digest) {
    }

    /** A record of a dead-letter topic: its value's digest, its original position, and the reason in its headers. */
    public record DeadLetter(String position, String key, String digest, String original, String reason) {
    }

    /** {@code EVALUATION:eval_f001}. */
    public static String resourceKey(String type, String id) {
        return type + ":" + id;
    }
}
