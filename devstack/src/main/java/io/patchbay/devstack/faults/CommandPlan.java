package io.patchbay.devstack.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;

import io.patchbay.schemas.Actor;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;

/**
 * A stream of commands whose end state is known in advance: every valid command sets a unique name, so it
 * must be APPLIED exactly once; every invalid one must be REJECTED; duplicates (the same command id in another
 * record) must change nothing; a share goes through HTTP with an Idempotency-Key and is sent twice.
 */
public final class CommandPlan {

    /** What a planned command does. */
    public enum Kind {
        /** Sets a unique evaluation name: APPLIED. */
        RENAME_EVALUATION(CommandStatus.APPLIED),
        /** A 201-character name: REJECTED (the processor re-checks what producers write directly). */
        EVALUATION_NAME_TOO_LONG(CommandStatus.REJECTED),
        /** {@code Running} to {@code Draft}: REJECTED, invalid status transition. */
        EVALUATION_BAD_TRANSITION(CommandStatus.REJECTED),
        /** Sets a unique automation name and a sampling rate: APPLIED. */
        UPDATE_AUTOMATION(CommandStatus.APPLIED),
        /** A sampling rate of 1.5: REJECTED. */
        AUTOMATION_BAD_RATE(CommandStatus.REJECTED),
        /** An evaluation that does not exist: REJECTED, not found. */
        UNKNOWN_EVALUATION(CommandStatus.REJECTED),
        /** An earlier command sent again as a new record (same command id): nothing new. */
        DUPLICATE(null),
        /** A PATCH of an evaluation name through HTTP with an Idempotency-Key, then replayed: APPLIED once. */
        HTTP_RENAME_EVALUATION(CommandStatus.APPLIED),
        /** A PATCH of an automation name through HTTP with an Idempotency-Key, then replayed: APPLIED once. */
        HTTP_RENAME_AUTOMATION(CommandStatus.APPLIED);

        public final CommandStatus expected;

        Kind(CommandStatus expected) {
            this.expected = expected;
        }

        public boolean http() {
            return this == HTTP_RENAME_EVALUATION || this == HTTP_RENAME_AUTOMATION;
        }
    }

    /**
     * One planned command.
     *
     * @param commandId for Kafka commands; HTTP commands get theirs from the adapter (found by idempotency key)
     * @param value the name it sets, or null
     * @param command the Avro command for Kafka kinds, the original's for a duplicate; null for HTTP kinds
     * @param duplicateOf index of the original for {@link Kind#DUPLICATE}, else -1
     */
    public record Planned(int index, Kind kind, ResourceType type, String resourceId, String commandId, String value,
                          String idempotencyKey, SpecificRecord command, int duplicateOf) {

        public CommandStatus expected() {
            return kind.expected;
        }
    }

    /**
     * How the stream is mixed.
     *
     * @param commands how many commands, duplicates and HTTP ones included
     * @param httpShare share of commands sent through HTTP (each then replayed once)
     * @param duplicateShare share of records that re-send an earlier command
     * @param invalidShare share of commands that must be rejected
     */
    public record Options(int commands, double httpShare, double duplicateShare, double invalidShare, long seed) {

        public static Options defaults(int commands) {
            return new Options(commands, 0.04, 0.06, 0.15, 42);
        }
    }

    private CommandPlan() {
    }

    public static List<Planned> of(Options options, FaultData.Seeded resources, String runId) {
        Random random = new Random(options.seed());
        List<Planned> plan = new ArrayList<>(options.commands());
        List<Integer> kafkaSingles = new ArrayList<>();
        for (int i = 0; i < options.commands(); i++) {
            double roll = random.nextDouble();
            Kind kind;
            if (roll < options.httpShare()) {
                kind = random.nextBoolean() ? Kind.HTTP_RENAME_EVALUATION : Kind.HTTP_RENAME_AUTOMATION;
            } else if (roll < options.httpShare() + options.duplicateShare() && !kafkaSingles.isEmpty()) {
                kind = Kind.DUPLICATE;
            } else if (roll < options.httpShare() + options.duplicateShare() + options.invalidShare()) {
                Kind[] invalid = {Kind.EVALUATION_NAME_TOO_LONG, Kind.EVALUATION_BAD_TRANSITION, Kind.AUTOMATION_BAD_RATE,
                        Kind.UNKNOWN_EVALUATION};
                kind = invalid[random.nextInt(invalid.length)];
            } else {
                kind = random.nextBoolean() ? Kind.RENAME_EVALUATION : Kind.UPDATE_AUTOMATION;
            }
            if (kind == Kind.DUPLICATE) {
                Planned original = plan.get(kafkaSingles.get(random.nextInt(kafkaSingles.size())));
                plan.add(new Planned(i, kind, original.type(), original.resourceId(), original.commandId(), null, null,
                        original.command(), original.index()));
                continue;
            }
            boolean evaluation = kind != Kind.UPDATE_AUTOMATION && kind != Kind.AUTOMATION_BAD_RATE
                    && kind != Kind.HTTP_RENAME_AUTOMATION;
            List<String> pool = evaluation ? resources.evaluations() : resources.automations();
            String resourceId = kind == Kind.UNKNOWN_EVALUATION ? "eval_missing_" + random.nextInt(50)
                    : pool.get(random.nextInt(pool.size()));
            String value = switch (kind) {
                case EVALUATION_NAME_TOO_LONG -> "x".repeat(201);
                case EVALUATION_BAD_TRANSITION, AUTOMATION_BAD_RATE -> null;
                default -> "n-" + runId + "-" + i;
            };
            ResourceType type = evaluation ? ResourceType.EVALUATION : ResourceType.AUTOMATION;
            if (kind.http()) {
                plan.add(new Planned(i, kind, type, resourceId, null, value, "k-" + runId + "-" + i, null, -1));
                continue;
            }
            String commandId = new UUID(random.nextLong(), random.nextLong()).toString();
            plan.add(new Planned(i, kind, type, resourceId, commandId, value, null,
                    command(kind, type, resourceId, commandId, value, i), -1));
            kafkaSingles.add(i);
        }
        return plan;
    }

    /** The Avro command of a Kafka {@code kind}: {@code value} is the name it sets; {@code i} picks its sampling rate. */
    public static SpecificRecord command(Kind kind, ResourceType type, String resourceId, String commandId, String value, int i) {
        CommandMetadata metadata = CommandMetadata.newBuilder()
                .setCommandId(commandId).setResourceType(type).setResourceId(resourceId).setTeamId(FaultData.TEAM)
                .setActor(new Actor(FaultData.KEY_ID)).setReceivedAt(Instant.now())
                .setRequestId(UUID.randomUUID().toString()).build();
        if (type == ResourceType.EVALUATION) {
            EvaluationPatch.Builder patch = EvaluationPatch.newBuilder();
            if (kind == Kind.EVALUATION_BAD_TRANSITION) {
                patch.setStatus(EvaluationStatus.Draft);
            } else {
                patch.setName(value);
            }
            return new EvaluationUpdateCommand(metadata, patch.build());
        }
        AutomationPatch.Builder patch = AutomationPatch.newBuilder();
        if (kind == Kind.AUTOMATION_BAD_RATE) {
            patch.setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(1.5).build());
        } else {
            patch.setName(value).setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate((i % 1000) / 1000.0).build());
        }
        return new AutomationUpdateCommand(metadata, patch.build());
    }
}
