/**
 * The Kafka relay baseline: the thinnest command pipeline over Kafka that answers the benchmark's PATCH requests
 * ({@link io.patchbay.bench.relay.RelayFront} and {@link io.patchbay.bench.relay.RelayApplier}, each in a JVM of its
 * own, started together by {@link io.patchbay.bench.relay.KafkaRelay}). It measures what the architecture itself costs
 * on the machine (an acknowledged produce, a consumer, a durable commit and, for a synchronous answer, a reply over
 * Kafka), so that patchbay's HTTP numbers can be read against it as well as against the direct CRUD update.
 */
package io.patchbay.bench.relay;
