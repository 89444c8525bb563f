package io.patchbay.processor.transport;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import io.patchbay.processor.application.CommandBatchProcessor;

/**
 * Receives each poll of the commands topics as one batch: apply in one transaction, publish, and only then
 * let the container commit the offsets. Any failure retries the whole batch, which the command log makes
 * safe.
 */
public class CommandBatchListener {

    private final CommandBatchProcessor processor;
    private final OutcomePublisher publisher;

    public CommandBatchListener(CommandBatchProcessor processor, OutcomePublisher publisher) {
        this.processor = processor;
        this.publisher = publisher;
    }

    @KafkaListener(id = "patchbay-commands", idIsGroup = false, containerFactory = "commandContainerFactory", batch = "true",
            topics = {"#{@topics.commands(T(io.patchbay.schemas.ResourceType).EVALUATION)}",
                      "#{@topics.commands(T(io.patchbay.schemas.ResourceType).AUTOMATION)}"})
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        publisher.publish(processor.process(records));
    }
}
