package io.patchbay.adapter.resource.automations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.adapter.AvroBytes;
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

        assertThat(AvroBytes.of(parse("{\"ignored\":1}"))).isEqualTo(AvroBytes.of(built));
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

        assertThat(AvroBytes.of(parsed)).isEqualTo(AvroBytes.of(built));
    }

    @Test
    void aConfigurationWithoutASamplingRateIsTheBuildersByteForByte() {
        AutomationPatch parsed = parse("{\"configuration\":{}}");
        AutomationPatch withOtherKeys = parse("{\"is_enabled\":1,\"configuration\":{\"window\":\"1h\"}}");

        assertThat(AvroBytes.of(parsed)).isEqualTo(AvroBytes.of(AutomationPatch.newBuilder()
                .setConfiguration(ConfigurationPatch.newBuilder().setOtherKeys(List.of()).build()).build()));
        assertThat(AvroBytes.of(withOtherKeys)).isEqualTo(AvroBytes.of(AutomationPatch.newBuilder().setIsEnabled(true)
                .setConfiguration(ConfigurationPatch.newBuilder()
                        .setOtherKeys(JsonValues.parseMembers("{\"window\":\"1h\"}")).build()).build()));
    }

    private AutomationPatch parse(String body) {
        return parser.parse((ObjectNode) JsonValues.MAPPER.readTree(body));
    }
}
