/**
 * Kafka in tests: {@link io.patchbay.testing.kafka.KafkaTopics} (a namespace's topics read and written with the
 * project's serdes), {@link io.patchbay.testing.kafka.TopicTail} (what is on a topic so far) and
 * {@link io.patchbay.testing.kafka.CommandRecords} (records handed to the processor as a batch).
 */
package io.patchbay.testing.kafka;
