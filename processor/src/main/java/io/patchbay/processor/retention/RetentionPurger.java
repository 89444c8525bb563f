package io.patchbay.processor.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.patchbay.store.commandlog.CommandLog;
import io.patchbay.store.request.CommandRequests;

/**
 * Deletes command log entries older than the retention and Idempotency-Key/request records past their expiry,
 * on a fixed delay, in bounded batches that each commit on their own (no long transaction, no table lock).
 * The change log is the audit trail and is kept; parked records are operational state and are kept too.
 * A failed purge (database down) is logged and tried again at the next interval.
 *
 * <p>A command log entry is what makes a redelivery, or the same command id sent again, be answered instead of
 * applied again, so it is deleted only once nothing written within the retention after its decision can still
 * arrive: the processors must have consumed and committed every commands record written up to one interval ago
 * ({@link ConsumedHorizon}), and the entry must have been decided a retention before that. While they lag behind
 * (a broker outage, a stuck partition), entries are kept, however old.
 */
public final class RetentionPurger implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurger.class);

    /** What one purge deleted, and in how many statements. */
    public record Purged(int commandLogEntries, int requestRecords, int statements) {
    }

    private final Jdbi jdbi;
    private final ConsumedHorizon horizon;
    private final Duration retention;
    private final Duration interval;
    private final int batchSize;
    private final Clock clock;
    private final CommandLog commandLog = new CommandLog();
    private final CommandRequests requests = new CommandRequests();
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean stopping;

    public RetentionPurger(Jdbi jdbi, ConsumedHorizon horizon, Duration retention, Duration interval, int batchSize,
                           Clock clock) {
        this.jdbi = jdbi;
        this.horizon = horizon;
        this.retention = retention;
        this.interval = interval;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** Purges everything past retention now, batch by batch. */
    public Purged purgeOnce() {
        Instant now = clock.instant();
        Instant consumedUpTo = now.minus(interval);
        Instant cutoff = consumedUpTo.minus(retention);
        int[] statements = {0};
        int entries = 0;
        if (horizon.consumedBefore(consumedUpTo)) {
            entries = drain(h -> commandLog.purgeCompletedBefore(h, cutoff, batchSize), statements);
        } else {
            log.info("retention: the processors have not consumed everything written before {}; the command log is kept",
                    consumedUpTo);
        }
        int records = drain(h -> requests.purgeExpired(h, now, batchSize), statements);
        if (entries + records > 0) {
            log.info("retention: purged {} command log entries completed before {} and {} expired request records"
                    + " in {} statements", entries, cutoff, records, statements[0]);
        }
        return new Purged(entries, records, statements[0]);
    }

    private int drain(ToIntFunction<Handle> purgeBatch, int[] statements) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.inTransaction(purgeBatch::applyAsInt);
            statements[0]++;
            total += deleted;
        } while (deleted >= batchSize && !stopping);
        return total;
    }

    private void purgeQuietly() {
        try {
            purgeOnce();
        } catch (RuntimeException e) {
            log.warn("retention purge failed; trying again in {}: {}", interval, e.getMessage());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "retention-purge");
            thread.setDaemon(true);
            return thread;
        });
        stopping = false;
        scheduler = executor;
        executor.scheduleWithFixedDelay(this::purgeQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopping = true;
        ScheduledExecutorService executor = scheduler;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
