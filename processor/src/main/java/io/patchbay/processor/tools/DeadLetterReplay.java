package io.patchbay.processor.tools;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.support.KafkaHeaders;

import io.patchbay.processor.parking.DeadLetters;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.store.RecordPosition;

/**
 * Re-submits dead letters to the commands topics after the cause has been fixed (a processor release, a
 * registered schema, a database change), in their dead-letter order, which per key is their original order.
 *
 * <p>Each letter goes back to its original topic and partition with its key, bytes and headers, plus
 * {@value DeadLetters#REPLAY_OF} naming its original position: that is how the processor recognises the
 * replay of a parked record and applies it ahead of the key's later commands. A letter whose cause persists
 * is simply dead-lettered (and parked) again. Progress is a consumer group's committed offsets on the
 * dead-letter topics, committed only after the broker acknowledged every re-submitted record, so each run
 * replays what arrived since the last one.
 *
 * <pre>
 * java -jar patchbay-processor-exec.jar dead-letter-replay --bootstrap-servers localhost:9092 [--topic-prefix patchbay]
 *      [--dead-letter-topic T]... [--group G] [--dry-run]
 * </pre>
 */
public final class DeadLetterReplay {

    public static final String USAGE = """
            Usage: java -jar patchbay-processor-exec.jar dead-letter-replay [options]
              --bootstrap-servers HOSTS   Kafka brokers (default localhost:9092)
              --topic-prefix PREFIX       replay the dead letters of both commands topics of PREFIX (default patchbay)
              --dead-letter-topic TOPIC   replay this dead-letter topic instead (repeatable)
              --group GROUP               consumer group that records progress (default <prefix>-dead-letter-replay)
              --dry-run                   list the letters that would be replayed; change nothing
              --timeout DURATION          longest wait for the broker, ISO-8601 or e.g. 30s (default 30s)
            """;

    /** What to replay. */
    public record Options(String bootstrapServers, List<String> deadLetterTopics, String group, boolean dryRun,
                          Duration timeout) {

        public static Options parse(String... args) {
            String bootstrap = "localhost:9092";
            String prefix = "patchbay";
            List<String> dlts = new ArrayList<>();
            String group = null;
            boolean dryRun = false;
            Duration timeout = Duration.ofSeconds(30);
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap-servers" -> bootstrap = value(args, ++i);
                    case "--topic-prefix" -> prefix = value(args, ++i);
                    case "--dead-letter-topic" -> dlts.add(value(args, ++i));
                    case "--group" -> group = value(args, ++i);
                    case "--dry-run" -> dryRun = true;
                    case "--timeout" -> timeout = duration(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            Topics topics = new Topics(prefix);
            if (dlts.isEmpty()) {
                dlts = List.of(Topics.deadLetter(topics.commands(ResourceType.EVALUATION)),
                        Topics.deadLetter(topics.commands(ResourceType.AUTOMATION)));
            }
            return new Options(bootstrap, List.copyOf(dlts), group == null ? prefix + "-dead-letter-replay" : group,
                    dryRun, timeout);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
            }
            return args[i];
        }

        private static Duration duration(String text) {
            return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text)
                    : Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One dead letter: where it came from and why it was set aside. */
    public record Letter(RecordPosition deadLetter, RecordPosition original, String key, String reasonClass, String reason) {
    }

    private DeadLetterReplay() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        Options options = Options.parse(args);
        List<Letter> letters = run(options, System.out);
        System.out.println((options.dryRun() ? "would replay " : "replayed ") + letters.size() + " dead letter(s)");
    }

    /**
     * Replays every dead letter after the group's committed offsets (from the beginning on the first run) up to
     * the end of each dead-letter topic as it was when the run started; returns them in replay order.
     */
    public static List<Letter> run(Options options, PrintStream report) {
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "patchbay-dead-letter-replay");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : options.deadLetterTopics()) {
                consumer.partitionsFor(topic, options.timeout())
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions),
                    options.timeout());
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, options.timeout());
            List<Letter> letters = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            long deadline = System.nanoTime() + options.timeout().toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, options.timeout()) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the dead-letter topics to their end within " + options.timeout());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    Letter letter = letter(record);
                    letters.add(letter);
                    report.println((options.dryRun() ? "would replay " : "replaying ") + letter.deadLetter()
                            + " -> " + letter.original() + " key=" + letter.key() + ": " + letter.reason());
                    if (!options.dryRun()) {
                        acks.add(producer.send(replay(record, letter.original())));
                    }
                }
            }
            if (!options.dryRun()) {
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
                }
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                ends.forEach((partition, end) -> done.put(partition, new OffsetAndMetadata(end)));
                consumer.commitSync(done, options.timeout());
            }
            return letters;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying dead letters", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge every replayed record; nothing was committed,"
                    + " so the next run replays them again (the processor dedupes)", e);
        }
    }

    private static Letter letter(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        String topic = text(headers, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        Header partition = headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
        Header offset = headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
        if (topic == null || partition == null || offset == null) {
            throw new IllegalStateException("dead letter " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " has no original topic, partition and offset headers");
        }
        RecordPosition original = new RecordPosition(topic, ByteBuffer.wrap(partition.value()).getInt(),
                ByteBuffer.wrap(offset.value()).getLong());
        return new Letter(new RecordPosition(record.topic(), record.partition(), record.offset()), original,
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                text(headers, KafkaHeaders.DLT_EXCEPTION_FQCN), text(headers, KafkaHeaders.DLT_EXCEPTION_MESSAGE));
    }

    private static ProducerRecord<byte[], byte[]> replay(ConsumerRecord<byte[], byte[]> record, RecordPosition original) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().equals(DeadLetters.REPLAY_OF)) {
                headers.add(header);
            }
        }
        headers.add(DeadLetters.REPLAY_OF, DeadLetters.replayHeader(original));
        return new ProducerRecord<>(original.topic(), original.partition(), record.key(), record.value(), headers);
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
