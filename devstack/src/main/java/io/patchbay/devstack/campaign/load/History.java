package io.patchbay.devstack.campaign.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every op of a campaign, in the order they were created, with what was sent and what came back. Written to a
 * JSON-lines file at the end so that a failed campaign can be studied without running it again.
 */
public final class History {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Op> ops = new ArrayList<>();

    public synchronized void add(Op op) {
        ops.add(op);
    }

    /** Every op, by id. */
    public synchronized List<Op> ops() {
        return ops.stream().sorted(Comparator.comparingInt(op -> op.id)).toList();
    }

    public synchronized int size() {
        return ops.size();
    }

    /** One JSON object per line and op. */
    public void write(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (Op op : ops()) {
                out.write(JSON.writeValueAsString(json(op)));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode json(Op op) {
        ObjectNode node = JSON.createObjectNode().put("id", op.id).put("startMillis", op.startMillis)
                .put("endMillis", op.endMillis()).put("channel", op.channel.name()).put("action", op.action.name())
                .put("type", op.type.name()).put("resourceId", op.resourceId).put("value", op.value)
                .put("idempotencyKey", op.idempotencyKey).put("expect", op.expect.name()).put("commandId", op.commandId)
                .put("duplicateOf", op.duplicateOf).put("pendingPolls", op.pendingPolls()).put("unsent", op.unsent());
        var sends = node.putArray("sends");
        for (Op.Send send : op.sends()) {
            sends.addObject().put("atMillis", send.atMillis()).put("topic", send.topic()).put("partition", send.partition())
                    .put("offset", send.offset()).put("error", send.error());
        }
        var attempts = node.putArray("attempts");
        for (Op.Attempt a : op.attempts()) {
            attempts.addObject().put("adapter", a.adapter()).put("method", a.method()).put("startMillis", a.startMillis())
                    .put("endMillis", a.endMillis()).put("status", a.status()).put("error", a.error())
                    .put("requestId", a.requestId()).put("replayed", a.replayed()).put("location", a.location())
                    .put("commandStatus", a.commandStatus()).put("outcomeStatus", a.outcomeStatus()).put("body", a.body());
        }
        return node;
    }
}
