package io.patchbay.store;

/**
 * Where a record sits in Kafka: the identity the command log and the parked records keep of the record that
 * decided or parked a command.
 */
public record RecordPosition(String topic, int partition, long offset) {

    /** {@code <topic>-<partition>@<offset>}, as Kafka names a record in its own logs. */
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
