package io.patchbay.devstack.fuzz;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonObject;
import io.patchbay.schemas.JsonValue;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;
import io.patchbay.schemas.serde.ConfluentAvroSerializer;

/**
 * A seeded generator of hostile records for both command topics: random bytes, Confluent framing with unknown schema
 * ids, a registered schema id over garbage, another record type, and well-formed commands with hostile content (deep
 * nesting, huge strings and literals, forged teams and actors, other teams' resources, metadata that contradicts the
 * topic or the key). Plausible commands by the team's editor and exact duplicates of them are mixed in, so that the
 * processor has real work between the poison. Record {@code i} of seed {@code s} is always the same.
 */
final class KafkaFuzzCases {

    /** The class of a record, counted per run. */
    enum Kind {
        RANDOM_BYTES, UNKNOWN_SCHEMA_ID, REGISTERED_SCHEMA_GARBAGE, WRONG_RECORD_TYPE, DEEP_NESTING, HUGE_CONTENT,
        FORGED_TEAM, FORGED_ACTOR, OTHER_TEAMS_RESOURCE, CONTRADICTING_METADATA, PLAUSIBLE, DUPLICATE_COMMAND_ID;

    }

    /**
     * What the records aim at.
     *
     * @param evaluations, automations the fuzzing team's resources
     * @param parkable one evaluation and one automation of the fuzzing team that records which are dead-lettered and
     *                 so park their key (values too deep to decode, a type that contradicts the topic) are aimed at,
     *                 so that the other resources keep being decided
     * @param foreignEvaluations, foreignAutomations another team's resources
     * @param teamId the fuzzing team; {@code foreignTeamId} the other
     * @param editor a key of the fuzzing team that may write everything
     * @param weakKeys keys of the fuzzing team that may not write (viewer, read-only, revoked)
     * @param foreignKey a key of the other team
     */
    record Targets(List<String> evaluations, List<String> automations, List<String> parkable, List<String> foreignEvaluations,
                   List<String> foreignAutomations, String teamId, String foreignTeamId, String editor, List<String> weakKeys,
                   String foreignKey, List<String> evaluators) {
    }

    /**
     * One record to produce.
     *
     * @param commandId the command id inside, when the value is a command (null for poison that has none)
     * @param resourceId the resource the command names, when it is one
     * @param legitimate whether the command is the fuzzing team's editor acting on the team's own resource (whatever
     *                   else is odd about it, such as a record key that is not the resource id): the only records that
     *                   may change anything
     */
    record Planned(long index, Kind kind, String topic, String key, byte[] value, String commandId, String resourceId,
                   boolean legitimate) {
    }

    private static final Kind[] KINDS = Kind.values();

    private final long seed;
    private final Targets targets;
    private final Topics topics;
    private final ConfluentAvroSerializer<Object> serializer;
    private final List<Planned> plausible = new ArrayList<>();

    KafkaFuzzCases(long seed, Targets targets, Topics topics, ConfluentAvroSerializer<Object> serializer) {
        this.seed = seed;
        this.targets = targets;
        this.topics = topics;
        this.serializer = serializer;
    }

    /** Record {@code index}; call in index order (duplicates copy earlier plausible records). */
    Planned next(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Kind kind = KINDS[random.nextInt(KINDS.length)];
        boolean evaluation = random.nextBoolean();
        ResourceType type = evaluation ? ResourceType.EVALUATION : ResourceType.AUTOMATION;
        String topic = topics.commands(type);
        String fresh = "kfz_" + seed + "_" + index;
        switch (kind) {
            case RANDOM_BYTES:
                return new Planned(index, kind, topic, fresh, bytes(random, random.nextInt(2_000)), null, null, false);
            case UNKNOWN_SCHEMA_ID:
                return new Planned(index, kind, topic, fresh, framed(900_000 + random.nextInt(100_000), bytes(random, random.nextInt(500))),
                        null, null, false);
            case REGISTERED_SCHEMA_GARBAGE: {
                byte[] valid = serialize(topic, command(random, type, own(random, type), targets.editor(), targets.teamId()));
                return new Planned(index, kind, topic, fresh, framed(ByteBuffer.wrap(valid, 1, 4).getInt(), bytes(random, 1 + random.nextInt(300))),
                        null, null, false);
            }
            case WRONG_RECORD_TYPE: {
                Object other = random.nextBoolean() ? command(random, opposite(type), own(random, type), targets.editor(), targets.teamId())
                        : CommandResult.newBuilder().setCommandId(fresh).setRequestId(fresh).setResourceType(type)
                                .setResourceId(own(random, type)).setTeamId(targets.teamId()).setStatus(CommandStatus.APPLIED)
                                .setCompletedAt(Instant.now()).build();
                String otherTopic = other instanceof CommandResult ? topics.commandResults() : topics.commands(opposite(type));
                return new Planned(index, kind, topic, fresh, serialize(otherTopic, other), null, null, false);
            }
            case DEEP_NESTING: {
                String resource = targets.parkable().get(1);
                AutomationUpdateCommand command = (AutomationUpdateCommand) command(random, ResourceType.AUTOMATION, resource,
                        targets.editor(), targets.teamId());
                int depth = pick(random, new Integer[] {50, 499, 500, 501, 2_000, 10_000, 60_000});
                command.getPatch().setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(0.3)
                        .setOtherKeys(List.of(new JsonMember("deep", nested(depth, random.nextBoolean())))).build());
                return planned(index, kind, topics.commands(ResourceType.AUTOMATION), resource, command, resource);
            }
            case HUGE_CONTENT:
                return huge(index, random, type, topic);
            case FORGED_TEAM: {
                String resource = random.nextBoolean() ? own(random, type) : foreign(random, type);
                boolean claimsOther = random.nextBoolean();
                return planned(index, kind, topic, resource, command(random, type, resource,
                        claimsOther ? targets.editor() : targets.foreignKey(), claimsOther ? targets.foreignTeamId() : targets.teamId()),
                        resource);
            }
            case FORGED_ACTOR: {
                String resource = own(random, type);
                String actor = pick(random, List.of(pick(random, targets.weakKeys()), "kfz_nobody_" + random.nextInt(9), "",
                        targets.foreignKey(), targets.editor() + " ", "\u0000", "x".repeat(5_000)));
                return planned(index, kind, topic, resource, command(random, type, resource, actor, targets.teamId()), resource);
            }
            case OTHER_TEAMS_RESOURCE: {
                String resource = foreign(random, type);
                return planned(index, kind, topic, resource, command(random, type, resource, targets.editor(), targets.teamId()), resource);
            }
            case CONTRADICTING_METADATA:
                return contradicting(index, random, type, topic, fresh);
            case DUPLICATE_COMMAND_ID:
                if (!plausible.isEmpty()) {
                    Planned original = plausible.get(random.nextInt(plausible.size()));
                    return new Planned(index, kind, original.topic(), original.key(), original.value(), original.commandId(),
                            original.resourceId(), original.legitimate());
                }
                // no plausible record yet: make one
            default: {
                String resource = own(random, type);
                Planned planned = planned(index, Kind.PLAUSIBLE, topic, resource,
                        command(random, type, resource, targets.editor(), targets.teamId()), resource);
                plausible.add(planned);
                return planned;
            }
        }
    }

    private Planned huge(long index, SplittableRandom random, ResourceType type, String topic) {
        String resource = own(random, type);
        Object command = command(random, type, resource, targets.editor(), targets.teamId());
        String big = "h".repeat(pick(random, new Integer[] {201, 256, 70_000, 400_000}));
        CommandMetadata metadata = command instanceof EvaluationUpdateCommand e ? e.getMetadata() : ((AutomationUpdateCommand) command).getMetadata();
        switch (random.nextInt(6)) {
            case 0 -> metadata.setIdempotencyKey(big);
            case 1 -> metadata.setRequestId(big);
            case 2 -> metadata.setTraceparent(big);
            case 3 -> {
                if (command instanceof EvaluationUpdateCommand e) {
                    e.getPatch().setName(big);
                } else {
                    ((AutomationUpdateCommand) command).getPatch().setName(big);
                }
            }
            case 4 -> {
                if (command instanceof AutomationUpdateCommand a) {
                    a.getPatch().setEvaluatorIds(java.util.Collections.nCopies(20_000, pick(random, targets.evaluators())));
                } else {
                    ((EvaluationUpdateCommand) command).getPatch().setProxyRegion(big);
                }
            }
            default -> {
                if (command instanceof AutomationUpdateCommand a) {
                    a.getPatch().setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(0.4).setOtherKeys(List.of(
                            new JsonMember("n", new JsonValue(new JsonNumber("9".repeat(pick(random, new Integer[] {30, 5_000, 300_000}))))),
                            new JsonMember("bad", new JsonValue(new JsonNumber(pick(random, new String[] {"abc", "", "1e999999999", "-", "NaN"}))))))
                            .build());
                } else {
                    ((EvaluationUpdateCommand) command).getPatch().setDescription(big);
                }
            }
        }
        return planned(index, Kind.HUGE_CONTENT, topic, resource, command, resource);
    }

    private Planned contradicting(long index, SplittableRandom random, ResourceType type, String topic, String fresh) {
        int variant = random.nextInt(5);
        String resource = variant == 0 ? targets.parkable().get(type == ResourceType.EVALUATION ? 0 : 1) : own(random, type);
        Object command = command(random, type, resource, targets.editor(), targets.teamId());
        CommandMetadata metadata = command instanceof EvaluationUpdateCommand e ? e.getMetadata() : ((AutomationUpdateCommand) command).getMetadata();
        String key = resource;
        switch (variant) {
            case 0 -> metadata.setResourceType(opposite(type));
            case 1 -> key = "kfz_other_key_" + index;
            case 2 -> key = null;
            case 3 -> metadata.setResourceId(pick(random, type == ResourceType.EVALUATION ? targets.foreignEvaluations()
                    : targets.foreignAutomations()));
            default -> metadata.setCommandId(random.nextBoolean() ? "" : "not-a-uuid-" + fresh);
        }
        return planned(index, Kind.CONTRADICTING_METADATA, topic, key, command, metadata.getResourceId());
    }

    private Planned planned(long index, Kind kind, String topic, String key, Object command, String resourceId) {
        CommandMetadata metadata = command instanceof EvaluationUpdateCommand e ? e.getMetadata() : ((AutomationUpdateCommand) command).getMetadata();
        boolean own = (topic.equals(topics.commands(ResourceType.EVALUATION)) ? targets.evaluations() : targets.automations())
                .contains(metadata.getResourceId()) || targets.parkable().contains(metadata.getResourceId());
        boolean legitimate = own && metadata.getActor().getApiKeyId().equals(targets.editor())
                && metadata.getTeamId().equals(targets.teamId());
        return new Planned(index, kind, topic, key, serialize(topic, command), metadata.getCommandId(), resourceId, legitimate);
    }

    /** A command of {@code type} with a random, mostly valid patch. */
    private Object command(SplittableRandom random, ResourceType type, String resourceId, String actor, String teamId) {
        CommandMetadata metadata = CommandMetadata.newBuilder().setCommandId(uuid(random)).setResourceType(type)
                .setResourceId(resourceId).setTeamId(teamId).setActor(new Actor(actor))
                .setReceivedAt(Instant.now()).setRequestId(uuid(random)).build();
        if (type == ResourceType.EVALUATION) {
            EvaluationPatch.Builder patch = EvaluationPatch.newBuilder();
            switch (random.nextInt(5)) {
                case 0 -> patch.setName("kafka fuzz " + random.nextInt(1_000));
                case 1 -> patch.setDescription(random.nextBoolean() ? null : "d" + random.nextInt(100));
                case 2 -> patch.setStatus(EvaluationStatus.values()[random.nextInt(EvaluationStatus.values().length)]);
                case 3 -> patch.setAllowMultipleRatings(random.nextBoolean());
                default -> patch.setName("").setProxyRegion("r".repeat(random.nextInt(300)));
            }
            return new EvaluationUpdateCommand(metadata, patch.build());
        }
        AutomationPatch.Builder patch = AutomationPatch.newBuilder();
        switch (random.nextInt(4)) {
            case 0 -> patch.setName("kafka fuzz " + random.nextInt(1_000));
            case 1 -> patch.setIsEnabled(random.nextBoolean());
            case 2 -> patch.setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(random.nextDouble() * 1.4 - 0.2).build());
            default -> patch.setEvaluatorIds(List.of(pick(random, targets.evaluators())));
        }
        return new AutomationUpdateCommand(metadata, patch.build());
    }

    /** {@code depth} levels of arrays or objects around a number. */
    private static JsonValue nested(int depth, boolean arrays) {
        JsonValue value = new JsonValue(new JsonNumber("1"));
        for (int i = 0; i < depth; i++) {
            value = arrays ? new JsonValue(List.of(value)) : new JsonValue(new JsonObject(List.of(new JsonMember("a", value))));
        }
        return value;
    }

    /** Avro in the Confluent wire format; on a thread with a large stack, since writing deep values recurses. */
    private byte[] serialize(String topic, Object value) {
        AtomicReference<byte[]> bytes = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread writer = new Thread(null, () -> {
            for (int attempt = 1; attempt <= 3 && bytes.get() == null; attempt++) {
                try {
                    bytes.set(serializer.serialize(topic, value));
                    failure.set(null);
                } catch (RuntimeException e) {
                    // The registry may answer 409 when the processor registers the same subject at the same moment.
                    failure.set(e);
                }
            }
        }, "kafka-fuzz-serializer", 1L << 30);
        writer.start();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return bytes.get();
    }

    private static byte[] framed(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(schemaId).put(payload).array();
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String own(SplittableRandom random, ResourceType type) {
        return pick(random, type == ResourceType.EVALUATION ? targets.evaluations() : targets.automations());
    }

    private String foreign(SplittableRandom random, ResourceType type) {
        return pick(random, type == ResourceType.EVALUATION ? targets.foreignEvaluations() : targets.foreignAutomations());
    }

    private static ResourceType opposite(ResourceType type) {
        return type == ResourceType.EVALUATION ? ResourceType.AUTOMATION : ResourceType.EVALUATION;
    }

    private static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
