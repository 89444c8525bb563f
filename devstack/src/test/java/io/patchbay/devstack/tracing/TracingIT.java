package io.patchbay.devstack.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.patchbay.devstack.DemoData;
import io.patchbay.devstack.PatchbayStack;
import io.patchbay.devstack.infra.Poll;
import io.patchbay.schemas.CommandMetadata;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationUpdateCommand;
import io.patchbay.schemas.ResourceType;
import io.patchbay.testing.data.TestCommands;
import io.patchbay.testing.logging.LogCapture;

/**
 * One PATCH, one trace: the W3C {@code traceparent} a client sends (or the adapter's own, when it sends none) is on
 * the response's {@code traceparent} header, on the command record (header and {@code metadata.traceparent}), on the
 * change event (header and field), on the reply, and in the MDC of the processor's log lines for that command. A
 * command written straight to Kafka without one gets a new trace from the processor.
 */
class TracingIT {

    @RegisterExtension
    static final PatchbayStack fx = PatchbayStack.shared();

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String BATCH_LOG = "io.patchbay.processor.application.BatchTransaction";
    private static LogCapture processorLog;

    @BeforeAll
    static void captureTheProcessorsCommandLog() {
        processorLog = LogCapture.of(BATCH_LOG).turnUp(BATCH_LOG, Level.DEBUG);
    }

    @AfterAll
    static void stopCapturing() {
        processorLog.close();
    }

    @Test
    void aClientsTraceparentFollowsOnePatchToTheCommandTheChangeEventTheReplyAndTheProcessorsLog() {
        String traceId = hex(32);
        String clientSpan = hex(16);
        String evaluation = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> patch = fx.http().send("PATCH", "/api/v1/evaluations/" + evaluation, fx.token("acme_editor"),
                "{\"name\":\"traced\"}", "traceparent", "00-" + traceId + "-" + clientSpan + "-01");

        assertThat(patch.statusCode()).isEqualTo(200);
        String answered = patch.headers().firstValue("traceparent").orElseThrow();
        assertThat(traceIdOf(answered)).isEqualTo(traceId);
        assertThat(spanIdOf(answered)).isNotEqualTo(clientSpan);
        assertOneTrace(traceId, evaluation);
    }

    @Test
    void aPatchWithoutTraceparentGetsTheAdaptersTraceAllTheWay() {
        String evaluation = fx.data().newEvaluation(DemoData.ACME);

        HttpResponse<String> patch = fx.http().send("PATCH", "/api/v1/evaluations/" + evaluation, fx.token("acme_editor"),
                "{\"name\":\"traced by the adapter\"}");

        assertThat(patch.statusCode()).isEqualTo(200);
        String traceId = traceIdOf(patch.headers().firstValue("traceparent").orElseThrow());
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertOneTrace(traceId, evaluation);
    }

    @Test
    void aCommandWrittenStraightToKafkaWithoutTraceparentStartsANewTraceInTheProcessor() {
        String evaluation = fx.data().newEvaluation(DemoData.ACME);
        EvaluationUpdateCommand command = TestCommands.renameEvaluation(evaluation, DemoData.ACME, "acme_editor", "untraced");
        fx.kafka().produce(fx.topics().commands(ResourceType.EVALUATION), evaluation, command);
        String commandId = command.getMetadata().getCommandId();

        fx.kafka().awaitResult(commandId);
        ConsumerRecord<String, byte[]> result = fx.kafka().tail(fx.topics().commandResults()).upToNow().stream()
                .filter(r -> commandId.equals(r.key())).findFirst().orElseThrow();
        String traceId = traceIdOf(header(result).orElseThrow());
        EvaluationChanged event = fx.kafka().evaluationChanges(evaluation).get(0);
        assertThat(traceIdOf(event.getTraceparent())).isEqualTo(traceId);
        assertThat(processorLines(traceId, commandId)).isNotEmpty();
    }

    /** The command, its change event, its reply and the processor's log lines for it all carry {@code traceId}. */
    private static void assertOneTrace(String traceId, String evaluation) {
        String commandsTopic = fx.topics().commands(ResourceType.EVALUATION);
        ConsumerRecord<String, byte[]> commandRecord = Poll.until("the command of trace " + traceId, DEADLINE,
                () -> fx.kafka().tail(commandsTopic).upToNow().stream().filter(r -> inTrace(r, traceId)).toList(),
                records -> !records.isEmpty()).get(0);
        assertThat(commandRecord.key()).isEqualTo(evaluation);
        CommandMetadata metadata = ((EvaluationUpdateCommand) fx.kafka().decode(commandRecord)).getMetadata();
        assertThat(metadata.getTraceparent()).isEqualTo(header(commandRecord).orElseThrow());
        String commandId = metadata.getCommandId();

        ConsumerRecord<String, byte[]> changeRecord = Poll.until("the change event of " + evaluation, DEADLINE,
                () -> fx.kafka().tail(fx.topics().changes(ResourceType.EVALUATION)).upToNow().stream()
                        .filter(r -> evaluation.equals(r.key())).toList(), records -> !records.isEmpty()).get(0);
        assertThat(traceIdOf(header(changeRecord).orElseThrow())).isEqualTo(traceId);
        EvaluationChanged event = (EvaluationChanged) fx.kafka().decode(changeRecord);
        assertThat(event.getTraceparent()).isEqualTo(header(changeRecord).orElseThrow());
        assertThat(spanIdOf(event.getTraceparent())).as("the processor's own span")
                .isNotEqualTo(spanIdOf(metadata.getTraceparent()));

        ConsumerRecord<String, byte[]> reply = Poll.until("the reply to " + commandId, DEADLINE,
                () -> fx.kafka().tail(fx.topics().commandReplies()).upToNow().stream()
                        .filter(r -> commandId.equals(r.key())).toList(), records -> !records.isEmpty()).get(0);
        assertThat(header(reply)).contains(event.getTraceparent());

        List<ILoggingEvent> lines = processorLines(traceId, commandId);
        assertThat(lines).isNotEmpty();
        assertThat(lines).allSatisfy(line ->
                assertThat(line.getMDCPropertyMap()).containsEntry("spanId", spanIdOf(event.getTraceparent())));
    }

    private static List<ILoggingEvent> processorLines(String traceId, String commandId) {
        return Poll.until("the processor's log line for " + commandId, DEADLINE,
                () -> processorLog.containing(commandId),
                lines -> !lines.isEmpty()).stream()
                .filter(e -> traceId.equals(e.getMDCPropertyMap().get("traceId"))).toList();
    }

    private static boolean inTrace(ConsumerRecord<String, byte[]> record, String traceId) {
        return header(record).map(TracingIT::traceIdOf).filter(traceId::equals).isPresent();
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("traceparent");
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String traceIdOf(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.substring(3, 35);
    }

    private static String spanIdOf(String traceparent) {
        return traceparent.substring(36, 52);
    }

    private static String hex(int digits) {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, digits);
    }
}
