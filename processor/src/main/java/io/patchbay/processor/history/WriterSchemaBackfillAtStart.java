package io.patchbay.processor.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import io.patchbay.store.schema.WriterSchemaBackfill;

/**
 * Once the processor is ready, gives change-log rows stored before writer schemas were kept their writer schema from
 * the registry ({@link WriterSchemaBackfill}), on a thread of its own so that a slow or absent registry never delays
 * processing. What stays unresolved is logged; {@code patchbay-admin replay} tries again before it publishes.
 */
public final class WriterSchemaBackfillAtStart implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(WriterSchemaBackfillAtStart.class);

    private final WriterSchemaBackfill backfill;

    public WriterSchemaBackfillAtStart(WriterSchemaBackfill backfill) {
        this.backfill = backfill;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Thread thread = new Thread(this::run, "writer-schema-backfill");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            WriterSchemaBackfill.Report report = backfill.run();
            if (report.filled() > 0) {
                LOG.info("Writer schemas: {} change-log rows stored before writer schemas were kept now name theirs", report.filled());
            }
            report.unresolved().forEach(line -> LOG.warn("Writer schemas: no writer schema for {}", line));
        } catch (RuntimeException e) {
            LOG.warn("Writer schemas: the backfill of older change-log rows failed: {}", e.toString());
        }
    }
}
