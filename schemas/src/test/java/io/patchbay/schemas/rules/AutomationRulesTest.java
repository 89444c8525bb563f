package io.patchbay.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.schemas.AutomationConfiguration;
import io.patchbay.schemas.AutomationPatch;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ConfigurationPatch;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluatorRef;
import io.patchbay.schemas.JsonMember;
import io.patchbay.schemas.JsonNumber;
import io.patchbay.schemas.JsonValue;

/** The Respan automation rules (api-contract §4.3, §4.4) on typed patches, as both adapter and processor apply them. */
class AutomationRulesTest {

    private static final Instant CREATED = Instant.parse("2025-01-15T10:30:00Z");
    private static final Instant NOW = Instant.parse("2026-05-04T11:00:00.123456789Z");
    private static final EvaluatorRef A = new EvaluatorRef("evl_a", "A", "a", "");
    private static final EvaluatorRef B = new EvaluatorRef("evl_b", "B", "b", "respan_custom_evaluator");
    private static final EvaluatorRef C = new EvaluatorRef("evl_c", "C", "c", "");

    static Stream<Arguments> fieldErrors() {
        return Stream.of(
                Arguments.of("blank name", patch().setName("").build(), List.of("name: This field may not be blank.")),
                Arguments.of("whitespace-only name, Python whitespace included",
                        patch().setName(" \t\u00a0\u3000\u2028 ").build(), List.of("name: This field may not be blank.")),
                Arguments.of("256 code points", patch().setName("x".repeat(256)).build(),
                        List.of("name: Ensure this field has no more than 255 characters.")),
                Arguments.of("NUL in name", patch().setName("a\0b").build(), List.of("name: Null characters are not allowed.")),
                Arguments.of("lone surrogate in name", patch().setName("a\udc00b\ud800").build(),
                        List.of("name: Surrogate characters are not allowed: U+DC00.")),
                Arguments.of("every name validator at once", patch().setName("\0" + "y".repeat(300) + "\ud800").build(),
                        List.of("name: Ensure this field has no more than 255 characters.", "name: Null characters are not allowed.",
                                "name: Surrogate characters are not allowed: U+D800.")),
                Arguments.of("sampling rate above 1", config(1.0000001), List.of("configuration.sampling_rate: " + AutomationRules.SAMPLING_RATE_RANGE)),
                Arguments.of("sampling rate below 0", config(-0.1), List.of("configuration.sampling_rate: " + AutomationRules.SAMPLING_RATE_RANGE)),
                Arguments.of("sampling rate NaN", config(Double.NaN), List.of("configuration.sampling_rate: " + AutomationRules.SAMPLING_RATE_RANGE)),
                Arguments.of("sampling rate infinite", config(Double.POSITIVE_INFINITY),
                        List.of("configuration.sampling_rate: " + AutomationRules.SAMPLING_RATE_RANGE)),
                Arguments.of("sampling_rate smuggled into the free-form keys", patch().setConfiguration(ConfigurationPatch.newBuilder()
                        .setOtherKeys(List.of(member("sampling_rate", "0.5"))).build()).build(),
                        List.of("configuration.sampling_rate: A valid number is required.")),
                Arguments.of("empty evaluator list", patch().setEvaluatorIds(List.of()).build(),
                        List.of("evaluator_ids: At least one evaluator is required")),
                Arguments.of("bad elements keyed by index", patch().setEvaluatorIds(List.of("evl_a", " ", "x\0", "evl_b", "\udfff")).build(),
                        List.of("evaluator_ids.1: This field may not be blank.", "evaluator_ids.2: Null characters are not allowed.",
                                "evaluator_ids.4: Surrogate characters are not allowed: U+DFFF.")),
                Arguments.of("all fields at once, in serializer order", patch().setEvaluatorIds(List.of()).setConfiguration(
                        ConfigurationPatch.newBuilder().setSamplingRate(2.0).build()).setName(" ").build(),
                        List.of("name: This field may not be blank.", "configuration.sampling_rate: " + AutomationRules.SAMPLING_RATE_RANGE,
                                "evaluator_ids: At least one evaluator is required")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldErrors")
    void requestLevelRulesReportEveryFailureInFieldOrder(String label, AutomationPatch patch, List<String> expected) {
        assertThat(render(AutomationRules.checkFields(patch))).containsExactlyElementsOf(expected);
        Decision<AutomationState> decision = AutomationRules.decide(stored(), patch, evaluators(A, B), NOW);
        assertThat(decision.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(render(decision.errors())).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> validValues() {
        return Stream.of(
                Arguments.of("255 code points, some of them astral (two chars each)", patch().setName("\ud83d\ude00".repeat(200)
                        + "n".repeat(55)).build()),
                Arguments.of("name longer than 255 only before trimming", patch().setName("  " + "n".repeat(255) + "\n").build()),
                Arguments.of("sampling rate 0.0", config(0.0)),
                Arguments.of("sampling rate 1.0", config(1.0)),
                Arguments.of("one evaluator", patch().setEvaluatorIds(List.of("evl_a")).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validValues")
    void boundaryValuesPass(String label, AutomationPatch patch) {
        assertThat(AutomationRules.checkFields(patch)).isEmpty();
    }

    @Test
    void onlyEditorsAndAboveMayChangeAnAutomation() {
        assertThat(AutomationRules.checkRole(Role.VIEWER)).hasValueSatisfying(error -> {
            assertThat(error.getKind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(error.getMessage()).isEqualTo(AutomationRules.PERMISSION_DENIED);
        });
        assertThat(AutomationRules.checkRole(Role.EDITOR)).isEmpty();
        assertThat(AutomationRules.checkRole(Role.ADMIN)).isEmpty();
        assertThat(AutomationRules.checkRole(Role.OWNER)).isEmpty();
    }

    @Test
    void stripIsPythonsStrNotJavasStrip() {
        assertThat(AutomationRules.strip("\u0085\u00a0\u2007\u202f x y \u001c\u3000")).isEqualTo("x y");
        assertThat(AutomationRules.strip("\u200bx")).isEqualTo("\u200bx");
    }

    @Test
    void nameIsStoredTrimmed() {
        Decision<AutomationState> decision = AutomationRules.decide(stored(), patch().setName("  Renamed\u00a0").build(), Map.of(), NOW);

        assertThat(decision.status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(decision.after().getName()).isEqualTo("Renamed");
        assertThat(decision.changedFields()).containsExactly("name");
        assertThat(decision.after().getVersion()).isEqualTo(4L);
        assertThat(decision.after().getUpdatedAt()).isEqualTo(Instant.parse("2026-05-04T11:00:00.123456Z"));
    }

    @Test
    void evaluatorListIsTrimmedDeduplicatedAndDetailsFollowItsOrder() {
        AutomationPatch patch = patch().setEvaluatorIds(List.of("evl_c", " evl_a", "evl_c", "evl_a ", "evl_b")).build();

        assertThat(AutomationRules.distinctEvaluatorIds(patch)).containsExactly("evl_c", "evl_a", "evl_b");
        Decision<AutomationState> decision = AutomationRules.decide(stored(), patch, evaluators(A, B, C), NOW);
        assertThat(decision.after().getEvaluatorIds()).containsExactly("evl_c", "evl_a", "evl_b");
        assertThat(decision.after().getEvaluatorDetails()).containsExactly(C, A, B);
        assertThat(decision.changedFields()).containsExactly("evaluator_ids");
    }

    @Test
    void everyMissingEvaluatorIsNamedOnceInRequestOrderTogetherWithTheMergedConfiguration() {
        AutomationState noRate = stored();
        noRate.setConfiguration(new AutomationConfiguration(null, List.of()));
        AutomationPatch patch = patch().setEvaluatorIds(List.of("evl_y", "evl_a", "evl_x", "evl_y"))
                .setConfiguration(ConfigurationPatch.newBuilder().build()).build();

        Decision<AutomationState> decision = AutomationRules.decide(noRate, patch, evaluators(A), NOW);

        assertThat(render(decision.errors())).containsExactly("configuration.sampling_rate: This field is required.",
                "evaluator_ids: Evaluators not found: evl_y, evl_x");
    }

    @Test
    void mergedConfigurationIsValidatedOnlyWhenConfigurationIsSent() {
        AutomationState noRate = stored();
        noRate.setConfiguration(new AutomationConfiguration(null, List.of()));

        assertThat(AutomationRules.decide(noRate, patch().setName("ok").build(), Map.of(), NOW).status())
                .isEqualTo(CommandStatus.APPLIED);
        assertThat(AutomationRules.decide(noRate, patch().setConfiguration(ConfigurationPatch.newBuilder()
                .setOtherKeys(List.of(member("model", "\"m\""))).build()).build(), Map.of(), NOW).status())
                .isEqualTo(CommandStatus.REJECTED);
    }

    @Test
    void configurationMergesShallowlyAndIgnoresTheMirrorKey() {
        AutomationState current = stored();
        current.setConfiguration(new AutomationConfiguration(0.1, List.of(member("a", "1"), member("b", "2"))));
        AutomationPatch patch = patch().setConfiguration(ConfigurationPatch.newBuilder().setOtherKeys(List.of(
                member("b", "3"), member("evaluator_ids", "4"), member("c", "5"))).build()).build();

        Decision<AutomationState> decision = AutomationRules.decide(current, patch, Map.of(), NOW);

        assertThat(decision.after().getConfiguration()).isEqualTo(new AutomationConfiguration(0.1,
                List.of(member("a", "1"), member("b", "3"), member("c", "5"))));
        assertThat(decision.changedFields()).containsExactly("configuration");
    }

    @Test
    void sameValuesAreUnchangedAndKeepVersionAndUpdatedAt() {
        AutomationState current = stored();
        AutomationPatch patch = patch().setName(" Monitor ").setIsEnabled(true).setEvaluatorIds(List.of("evl_a", "evl_b", "evl_a"))
                .setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(0.1).build()).build();

        Decision<AutomationState> decision = AutomationRules.decide(current, patch, evaluators(A, B), NOW);

        assertThat(decision.status()).isEqualTo(CommandStatus.UNCHANGED);
        assertThat(decision.after().getVersion()).isEqualTo(3L);
        assertThat(decision.after().getUpdatedAt()).isEqualTo(CREATED);
        assertThat(AutomationRules.decide(current, patch().build(), Map.of(), NOW).status()).isEqualTo(CommandStatus.UNCHANGED);
    }

    private static AutomationPatch.Builder patch() {
        return AutomationPatch.newBuilder();
    }

    private static AutomationPatch config(double rate) {
        return patch().setConfiguration(ConfigurationPatch.newBuilder().setSamplingRate(rate).build()).build();
    }

    private static JsonMember member(String name, String numberLiteral) {
        return new JsonMember(name, new JsonValue(numberLiteral.startsWith("\"")
                ? numberLiteral.substring(1, numberLiteral.length() - 1) : new JsonNumber(numberLiteral)));
    }

    private static Map<String, EvaluatorRef> evaluators(EvaluatorRef... refs) {
        return Stream.of(refs).collect(Collectors.toMap(EvaluatorRef::getId, Function.identity()));
    }

    private static AutomationState stored() {
        return AutomationState.newBuilder()
                .setId("auto_1").setTeamId("team_1").setSlug("monitor").setName("Monitor").setAutomationType("online_eval")
                .setEvaluatorIds(List.of("evl_a", "evl_b")).setEvaluatorDetails(List.of(A, B)).setIsEnabled(true)
                .setConfiguration(new AutomationConfiguration(0.1, List.of()))
                .setCreatedAt(CREATED).setUpdatedAt(CREATED).setVersion(3L)
                .build();
    }

    private static List<String> render(List<CommandError> errors) {
        return errors.stream().map(e -> e.getField() + ": " + e.getMessage()).toList();
    }
}
