package io.patchbay.devstack.campaign.load;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.patchbay.devstack.faults.CommandPlan;
import io.patchbay.devstack.faults.FaultData;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.ResourceType;
import io.patchbay.schemas.Topics;

/**
 * A campaign's sustained mixed load, open loop at a fixed rate for a fixed time, every op drawn from the seed:
 * commands written straight to Kafka (valid, rule-breaking, duplicates of recent ones, and a trickle of poison on
 * keys of its own), and PATCHes on both APIs, synchronous and asynchronous, with and without an Idempotency-Key,
 * run by {@link HttpClientDriver}s on a bounded pool. Ops the saturated pool cannot take are recorded as not sent.
 */
public final class LoadGenerator implements AutoCloseable {

    /**
     * @param rate ops per second
     * @param duration how long ops are started; the last ones finish within {@code clientWindow}
     * @param clientWindow how long an HTTP op may retry; shorter than the idempotency retention
     * @param duplicateWindow a duplicate repeats a command sent at most this long ago; a failed send is retried
     *     within it too; shorter than the command log retention
     */
    public record Settings(long seed, int rate, Duration duration, Duration clientWindow, Duration duplicateWindow,
                           int httpThreads) {
    }

    /** Where the load goes. */
    public record Target(List<String> adapterUrls, String kafkaBootstrap, String registryUrl, Topics topics,
                         FaultData.Seeded resources) {
    }

    private record Recent(Op op, String topic, byte[] value) {
    }

    private final Settings settings;
    private final Target target;
    private final History history;
    private final LongSupplier clock;
    private final Random random;
    private final HttpClientDriver http;
    private final KafkaDriver kafka;
    private final ThreadPoolExecutor httpPool;
    private final Deque<Recent> recent = new ArrayDeque<>();
    private Thread pacer;

    /** @param clock milliseconds since the campaign started */
    public LoadGenerator(Settings settings, Target target, History history, LongSupplier clock) {
        this.settings = settings;
        this.target = target;
        this.history = history;
        this.clock = clock;
        this.random = new Random(settings.seed());
        this.http = new HttpClientDriver(target.adapterUrls(), settings.clientWindow(), clock);
        this.kafka = new KafkaDriver(target.kafkaBootstrap(), target.registryUrl(), clock, settings.duplicateWindow());
        this.httpPool = new ThreadPoolExecutor(settings.httpThreads(), settings.httpThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.httpThreads() * 2), runnable -> {
                    Thread thread = new Thread(runnable, "campaign-http");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public LoadGenerator start() {
        pacer = new Thread(this::pace, "campaign-load");
        pacer.setDaemon(true);
        pacer.start();
        return this;
    }

    private void pace() {
        long end = settings.duration().toMillis();
        for (int i = 0; ; i++) {
            long due = (long) (i * 1000.0 / settings.rate());
            if (due >= end) {
                break;
            }
            long wait = due - clock.getAsLong();
            if (wait > 0) {
                LockSupport.parkNanos(wait * 1_000_000);
            }
            next(i);
        }
    }

    private void next(int id) {
        long now = clock.getAsLong();
        double roll = random.nextDouble();
        boolean evaluation = random.nextBoolean();
        ResourceType type = evaluation ? ResourceType.EVALUATION : ResourceType.AUTOMATION;
        List<String> pool = evaluation ? target.resources().evaluations() : target.resources().automations();
        String resource = pool.get(random.nextInt(pool.size()));
        String value = "c" + settings.seed() + "-" + id;
        if (roll < 0.30) {
            kafkaOp(id, now, evaluation ? CommandPlan.Kind.RENAME_EVALUATION : CommandPlan.Kind.UPDATE_AUTOMATION, type,
                    resource, value);
        } else if (roll < 0.36) {
            CommandPlan.Kind[] invalid = {CommandPlan.Kind.EVALUATION_NAME_TOO_LONG, CommandPlan.Kind.EVALUATION_BAD_TRANSITION,
                    CommandPlan.Kind.AUTOMATION_BAD_RATE, CommandPlan.Kind.UNKNOWN_EVALUATION};
            CommandPlan.Kind kind = invalid[random.nextInt(invalid.length)];
            ResourceType kindType = kind == CommandPlan.Kind.AUTOMATION_BAD_RATE ? ResourceType.AUTOMATION : ResourceType.EVALUATION;
            List<String> kindPool = kindType == ResourceType.EVALUATION ? target.resources().evaluations()
                    : target.resources().automations();
            String kindResource = kind == CommandPlan.Kind.UNKNOWN_EVALUATION ? "eval_missing_" + random.nextInt(50)
                    : kindPool.get(random.nextInt(kindPool.size()));
            kafkaOp(id, now, kind, kindType, kindResource, value);
        } else if (roll < 0.40) {
            duplicate(id, now);
        } else if (roll < 0.41) {
            poison(id, now);
        } else {
            httpOp(id, now, roll, type, resource, value);
        }
    }

    private void kafkaOp(int id, long now, CommandPlan.Kind kind, ResourceType type, String resource, String value) {
        String commandId = new UUID(random.nextLong(), random.nextLong()).toString();
        Op.Action action = switch (kind) {
            case RENAME_EVALUATION, UPDATE_AUTOMATION -> Op.Action.RENAME;
            case EVALUATION_NAME_TOO_LONG -> Op.Action.NAME_TOO_LONG;
            case EVALUATION_BAD_TRANSITION -> Op.Action.BAD_TRANSITION;
            case AUTOMATION_BAD_RATE -> Op.Action.BAD_RATE;
            case UNKNOWN_EVALUATION -> Op.Action.UNKNOWN_RESOURCE;
            default -> throw new IllegalArgumentException(kind.name());
        };
        Op op = new Op(id, now, Op.Channel.KAFKA, action, type, resource, action == Op.Action.RENAME
                || action == Op.Action.UNKNOWN_RESOURCE ? value : null, null,
                action == Op.Action.RENAME ? Op.Expect.APPLIED : Op.Expect.REJECTED, commandId, -1);
        history.add(op);
        String topic = target.topics().commands(type);
        String name = action == Op.Action.NAME_TOO_LONG ? "x".repeat(201) : value;
        byte[] bytes = kafka.serialize(topic, CommandPlan.command(kind, type, resource, commandId, name, id));
        kafka.send(op, topic, resource, bytes);
        recent.addLast(new Recent(op, topic, bytes));
        while (recent.size() > 2_000 || (!recent.isEmpty()
                && now - recent.peekFirst().op().startMillis > settings.duplicateWindow().toMillis() / 2)) {
            recent.removeFirst();
        }
    }

    private void duplicate(int id, long now) {
        if (recent.isEmpty()) {
            poison(id, now);
            return;
        }
        Recent original = recent.stream().skip(random.nextInt(recent.size())).findFirst().orElseThrow();
        Op op = new Op(id, now, Op.Channel.KAFKA, Op.Action.DUPLICATE, original.op().type, original.op().resourceId, null,
                null, Op.Expect.AS_ORIGINAL, original.op().commandId, original.op().id);
        history.add(op);
        kafka.send(op, original.topic(), original.op().resourceId, original.value());
    }

    private void poison(int id, long now) {
        ResourceType type = random.nextBoolean() ? ResourceType.EVALUATION : ResourceType.AUTOMATION;
        String topic = target.topics().commands(type);
        String key = random.nextInt(4) == 0 ? null : "poison-" + id;
        CommandPlan.Kind kind = type == ResourceType.EVALUATION ? CommandPlan.Kind.RENAME_EVALUATION
                : CommandPlan.Kind.UPDATE_AUTOMATION;
        byte[] command = kafka.serialize(topic, CommandPlan.command(kind, type, "poison-" + id,
                new UUID(random.nextLong(), random.nextLong()).toString(), "poison-" + id, id));
        Op op = new Op(id, now, Op.Channel.KAFKA, Op.Action.POISON, type, key, null, null, Op.Expect.DEAD_LETTER, null, -1);
        byte[] poison = KafkaDriver.poison(id, random, command);
        op.payload(poison);
        history.add(op);
        kafka.send(op, topic, key, poison);
    }

    private void httpOp(int id, long now, double roll, ResourceType type, String resource, String value) {
        Op.Channel channel = roll < 0.74 ? Op.Channel.HTTP_SYNC : roll < 0.90 ? Op.Channel.HTTP_ASYNC
                : roll < 0.95 ? Op.Channel.HTTP_NO_KEY : Op.Channel.HTTP_SYNC;
        Op.Action action;
        if (roll >= 0.95) {
            action = Op.Action.NAME_TOO_LONG;
        } else if (random.nextDouble() < 0.85) {
            action = Op.Action.RENAME;
        } else if (type == ResourceType.EVALUATION) {
            action = random.nextBoolean() ? Op.Action.BAD_TRANSITION : Op.Action.UNKNOWN_RESOURCE;
        } else {
            action = random.nextBoolean() ? Op.Action.UNKNOWN_EVALUATOR : Op.Action.UNKNOWN_RESOURCE;
        }
        String resourceId = action != Op.Action.UNKNOWN_RESOURCE ? resource
                : (type == ResourceType.EVALUATION ? "eval_missing_" : "auto_missing_") + random.nextInt(50);
        Op.Expect expect = action == Op.Action.RENAME ? Op.Expect.APPLIED
                : action == Op.Action.NAME_TOO_LONG ? Op.Expect.EDGE_REFUSED : Op.Expect.REJECTED;
        String key = channel == Op.Channel.HTTP_NO_KEY ? null : "k" + settings.seed() + "-" + id;
        Op op = new Op(id, now, channel, action, type, resourceId, action == Op.Action.RENAME
                || action == Op.Action.UNKNOWN_RESOURCE ? value : null, key, expect, null, -1);
        history.add(op);
        long opSeed = settings.seed() * 1_000_003L + id;
        try {
            httpPool.execute(() -> http.run(op, new Random(opSeed)));
        } catch (RejectedExecutionException e) {
            op.notSent("the HTTP client pool was saturated");
        }
    }

    /** Waits until no op is started any more, every HTTP op has ended, and every Kafka send has an answer. */
    public void awaitEnd(Duration deadline) {
        Poll.until("the load's pacer stops", deadline, Duration.ofMillis(200), () -> !pacer.isAlive());
        httpPool.shutdown();
        Poll.until("every HTTP op ends (" + httpPool.getActiveCount() + " running)", deadline, Duration.ofMillis(200),
                httpPool::isTerminated);
        Poll.until("every Kafka send has an answer (" + kafka.inFlight() + " open)", deadline, Duration.ofMillis(200),
                () -> kafka.inFlight() == 0);
    }

    @Override
    public void close() {
        httpPool.shutdownNow();
        kafka.close();
    }
}
