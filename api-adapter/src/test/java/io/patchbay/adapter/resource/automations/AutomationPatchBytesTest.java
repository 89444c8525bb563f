package io.patchbay.adapter.resource.automations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parser builds its patch and configuration with the all-fields constructors (absent fields {@code Unset}); the
 * bytes on the wire must be those of the Avro builders it replaced, with a setter per field sent.
 */
class AutomationPatchBytesTest {

    private final AutomationPatchParser parser = new AutomationPatchParser();

    @Test
    void aPatchWithEveryFieldAbsentIsTheBuildersDefaultByteForByte() {
        AutomationPatch built = AutomationPatch.newBuilder().build();

        assertThat(bytes(parse("{\"ignored\":1}"))).isEqualTo(bytes(built));
        assertThat(parse("{}")).isEqualTo(built);
    }

    @Test
    void aPatchOfEveryFieldIsTheBuildersByteForByte() {
        AutomationPatch parsed = parse("{\"name\":\"Nightly\",\"is_enabled\":\"false\",\"evaluator_ids\":[\"ev_1\",\"ev_2\"],"
                + "\"configuration\":{\"sampling_rate\":\"0.25\",\"window\":\"1h\",\"evaluator_ids\":[\"x\"],\"tags\":[1,{\"a\":null}]}}");

        AutomationPatch built = AutomationPatch.newBuilder()
                .setName("Nightly")
                .setIsEnabled(false)
                .setEvaluatorIds(List.of("ev_1", "ev_2"))
                .setConfiguration(ConfigurationPatch.newBuilder()
                        .setSamplingRate(0.25)
                        .setOtherKeys(JsonValues.parseMembers("{\"window\":\"1h\",\"tags\":[1,{\"a\":null}]}"))
                        .build())
                .build();

        assertThat(bytes(parsed)).isEqualTo(bytes(built));
    }

    @Test
    void aConfigurationWithoutASamplingRateIsTheBuildersByteForByte() {
        AutomationPatch parsed = parse("{\"configuration\":{}}");
        AutomationPatch withOtherKeys = parse("{\"is_enabled\":1,\"configuration\":{\"window\":\"1h\"}}");

        assertThat(bytes(parsed)).isEqualTo(bytes(AutomationPatch.newBuilder()
                .setConfiguration(ConfigurationPatch.newBuilder().setOtherKeys(List.of()).build()).build()));
        assertThat(bytes(withOtherKeys)).isEqualTo(bytes(AutomationPatch.newBuilder().setIsEnabled(true)
                .setConfiguration(ConfigurationPatch.newBuilder()
                        .setOtherKeys(JsonValues.parseMembers("{\"window\":\"1h\"}")).build()).build()));
    }

    private AutomationPatch parse(String body) {
        return parser.parse((ObjectNode) JsonValues.MAPPER.readTree(body));
    }

    private static byte[] bytes(AutomationPatch patch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(AutomationPatch.class).write(patch, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
