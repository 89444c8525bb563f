package io.patchbay.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonObject;
import io.patchbay.schemas.JsonValue;

class FreeFormValuesTest {

    private static JsonValue nested(int depth) {
        JsonValue value = new JsonValue(new JsonNumber("1"));
        for (int i = 0; i < depth; i++) {
            value = i % 2 == 0 ? new JsonValue(List.of(value)) : new JsonValue(new JsonObject(List.of(new JsonMember("a", value))));
        }
        return value;
    }

    @Test
    void valuesUpToTheDepthLimitPassAndDeeperOnesAreRefusedWithoutRecursingThroughThem() {
        assertThat(FreeFormValues.problem(nested(FreeFormValues.MAX_DEPTH))).isEmpty();
        assertThat(FreeFormValues.problem(nested(FreeFormValues.MAX_DEPTH + 1))).hasValueSatisfying(m -> assertThat(m).contains("Nested too deeply"));
        assertThat(FreeFormValues.problem(nested(100_000))).isPresent();
    }

    @Test
    void unpairedSurrogatesInStringsOrNamesAreRefusedAsDrfWordsIt() {
        JsonValue inString = new JsonValue(List.of(new JsonValue("ok \ud83d\ude00"), new JsonValue("x\ud800y")));
        JsonValue inName = new JsonValue(new JsonObject(List.of(new JsonMember("\udc00", new JsonValue(true)))));

        assertThat(FreeFormValues.problem(inString)).hasValue("Surrogate characters are not allowed: U+D800.");
        assertThat(FreeFormValues.problem(inName)).hasValue("Surrogate characters are not allowed: U+DC00.");
        assertThat(FreeFormValues.problem(new JsonValue("\ud83d\ude00 paired, NUL \u0000 is storable escaped"))).isEmpty();
    }

    @Test
    void numberLiteralsMustBeJsonNumbersOfBoundedLength() {
        for (String literal : List.of("0", "-1.5e-7", "12345678901234567890", "1E+400")) {
            assertThat(FreeFormValues.problem(new JsonValue(new JsonNumber(literal)))).as(literal).isEmpty();
        }
        for (String literal : List.of("", "abc", "NaN", "01", "1.", "+1", "9".repeat(FreeFormValues.MAX_NUMBER_LENGTH + 1))) {
            assertThat(FreeFormValues.problem(new JsonValue(new JsonNumber(literal)))).as(literal).hasValue(AutomationRules.NOT_A_NUMBER);
        }
    }

    @Test
    void aConfigurationPatchWithSuchAValueFailsTheFieldRulesUnderConfiguration() {
        AutomationPatch patch = AutomationPatch.newBuilder().setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(0.5)
                .setOtherKeys(List.of(new JsonMember("note", new JsonValue("\ud800")), new JsonMember("deep", nested(65)))).build()).build();

        assertThat(AutomationRules.checkFields(patch)).extracting(CommandError::getField, CommandError::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("configuration", "Surrogate characters are not allowed: U+D800."),
                        org.assertj.core.groups.Tuple.tuple("configuration",
                                "Nested too deeply: at most 64 levels of arrays and objects."));
    }
}
