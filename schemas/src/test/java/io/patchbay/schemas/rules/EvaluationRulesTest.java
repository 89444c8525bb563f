package io.patchbay.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;

/** The evaluation rules as the processor applies them (api-contract §3.3 to §3.5), without any infrastructure. */
class EvaluationRulesTest {

    private static final Instant CREATED = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-05-04T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-05-04T10:00:01.234567Z");
    private static final String HASH = hash(600_000);

    // ---- status transitions (§3.5) ----

    static Stream<Arguments> transitions() {
        List<Arguments> all = new ArrayList<>();
        String[][] table = {
                // from \ to:  Draft       Running     Ended       Archived
                {"UNCHANGED", "APPLIED", "REJECTED", "APPLIED"},    // Draft
                {"REJECTED", "UNCHANGED", "APPLIED", "REJECTED"},   // Running
                {"REJECTED", "REJECTED", "UNCHANGED", "APPLIED"},   // Ended
                {"REJECTED", "REJECTED", "APPLIED", "UNCHANGED"}};  // Archived
        EvaluationStatus[] statuses = EvaluationStatus.values();
        for (int from = 0; from < statuses.length; from++) {
            for (int to = 0; to < statuses.length; to++) {
                all.add(Arguments.of(statuses[from], statuses[to], CommandStatus.valueOf(table[from][to])));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("transitions")
    void statusTransitionsFollowTheTable(EvaluationStatus from, EvaluationStatus to, CommandStatus expected) {
        EvaluationState current = state().setStatus(from).build();

        Decision<EvaluationRules.Next> decision = decide(current, null, patch().setStatus(to).build(), Role.EDITOR);

        assertThat(decision.status()).isEqualTo(expected);
        switch (expected) {
            case APPLIED -> {
                assertThat(decision.after().state().getStatus()).isEqualTo(to);
                assertThat(decision.after().state().getVersion()).isEqualTo(current.getVersion() + 1);
                assertThat(decision.after().state().getUpdatedAt()).isEqualTo(Instant.parse("2026-05-04T10:00:01.234Z"));
                assertThat(decision.changedFields()).containsExactly("status");
            }
            case UNCHANGED -> {
                assertThat(decision.after().state()).isEqualTo(current);
                assertThat(decision.changedFields()).isEmpty();
            }
            case REJECTED -> assertThat(decision.errors()).singleElement().satisfies(error -> {
                assertThat(error.getKind()).isEqualTo(ErrorKind.INVALID);
                assertThat(error.getCode()).isEqualTo("invalid_status_transition");
                assertThat(error.getField()).isEqualTo("status");
                assertThat(error.getMessage()).isEqualTo("Cannot change status from " + from + " to " + to + ".");
            });
        }
    }

    // ---- roles and the editorsCanShare restriction (§3.4) ----

    @Test
    void everySetFieldIsRoleCheckedEvenWhenFieldOrderLeavesItOut() {
        EvaluationPatch patch = patch().setName("x").setShareAccess(ShareAccess.ANYONE_WITH_LINK).setFieldOrder(List.of("name")).build();

        assertThat(EvaluationRules.setFields(patch)).containsExactly("name", "shareAccess");
        assertRejected(decide(state().build(), null, patch, Role.EDITOR), ErrorKind.FORBIDDEN, null, "shareAccess");
    }

    @Test
    void fieldOrderDecidesWhichFieldIsNamedFirst() {
        EvaluationPatch patch = patch().setType(EvaluationType.SSE).setEditorsCanShare(false)
                .setFieldOrder(List.of("editorsCanShare", "type")).build();

        assertRejected(decide(state().build(), null, patch, Role.EDITOR), ErrorKind.FORBIDDEN, null, "editorsCanShare");
        assertRejected(decide(state().build(), null, patch().setType(EvaluationType.SSE).setEditorsCanShare(false).build(),
                Role.EDITOR), ErrorKind.FORBIDDEN, null, "type");
    }

    @Test
    void viewersChangeNothing() {
        Decision<EvaluationRules.Next> decision = decide(state().build(), null, patch().setName("x").build(), Role.VIEWER);

        assertRejected(decision, ErrorKind.FORBIDDEN, null, null);
        assertThat(decision.errors().get(0).getMessage()).isEqualTo("API keys with the viewer role cannot modify evaluations.");
    }

    @Test
    void adminFieldsNeedAdminByPresenceNotValue() {
        EvaluationState current = state().build();
        for (String field : EvaluationRules.ADMIN_FIELDS) {
            assertThat(EvaluationRules.checkRole(Role.EDITOR, List.of("name", field))).as(field)
                    .hasValueSatisfying(error -> assertThat(error.getField()).isEqualTo(field));
            assertThat(EvaluationRules.checkRole(Role.ADMIN, List.of("name", field))).as(field).isEmpty();
        }
        assertRejected(decide(current, null, patch().setType(current.getType()).build(), Role.EDITOR), ErrorKind.FORBIDDEN, null, "type");
        assertThat(decide(current, null, patch().setType(current.getType()).build(), Role.ADMIN).status()).isEqualTo(CommandStatus.UNCHANGED);
    }

    @Test
    void editorsCanShareFalseMakesEveryShareFieldAdminOnly() {
        EvaluationState locked = state().setEditorsCanShare(false).build();

        assertRejected(decide(locked, null, patch().setName("n").setShareRequireEmail(true)
                .setFieldOrder(List.of("name", "shareRequireEmail")).build(), Role.EDITOR), ErrorKind.FORBIDDEN, null, "shareRequireEmail");
        assertRejected(decide(locked, null, patch().setShareExpiry(null).build(), Role.EDITOR), ErrorKind.FORBIDDEN, null, "shareExpiry");
        assertThat(decide(locked, null, patch().setName("n").build(), Role.EDITOR).status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(decide(locked, null, patch().setShareRequireEmail(true).build(), Role.ADMIN).status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(decide(state().build(), null, patch().setShareRequireEmail(true).build(), Role.EDITOR).status())
                .isEqualTo(CommandStatus.APPLIED);
    }

    // ---- type (§3.3) ----

    @Test
    void typeChangesOnlyWhileStoredStatusIsDraft() {
        EvaluationPatch toSse = patch().setType(EvaluationType.SSE).build();

        assertThat(decide(state().setStatus(EvaluationStatus.Draft).build(), null, toSse, Role.ADMIN).status()).isEqualTo(CommandStatus.APPLIED);
        for (EvaluationStatus status : List.of(EvaluationStatus.Running, EvaluationStatus.Ended, EvaluationStatus.Archived)) {
            assertRejected(decide(state().setStatus(status).build(), null, toSse, Role.ADMIN), ErrorKind.INVALID, null, "type");
            assertThat(decide(state().setStatus(status).build(), null, patch().setType(EvaluationType.SxS).build(), Role.ADMIN).status())
                    .as("same type in " + status).isEqualTo(CommandStatus.UNCHANGED);
        }
        // The stored status is the reference, not the one the same command moves to.
        assertRejected(decide(state().setStatus(EvaluationStatus.Running).build(), null,
                patch().setType(EvaluationType.SSE).setStatus(EvaluationStatus.Ended).build(), Role.ADMIN), ErrorKind.INVALID, null, "type");
    }

    // ---- share rules (§3.5) ----

    @Test
    void passwordOnlyInPasswordMode() {
        assertRejected(decide(state().build(), null, patch().setSharePasswordHash(HASH).build(), Role.ADMIN),
                ErrorKind.INVALID, null, "sharePassword");
        assertRejected(decide(state().setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordSet(true).build(), HASH,
                patch().setShareAccess(ShareAccess.ANYONE_WITH_LINK).setSharePasswordHash(HASH).build(), Role.ADMIN),
                ErrorKind.INVALID, null, "sharePassword");
    }

    @Test
    void switchingIntoPasswordModeNeedsAPassword() {
        assertRejected(decide(state().build(), null, patch().setShareAccess(ShareAccess.PASSWORD_PROTECTED).build(), Role.ADMIN),
                ErrorKind.INVALID, null, "sharePassword");

        Decision<EvaluationRules.Next> decision = decide(state().build(), null,
                patch().setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordHash(HASH).build(), Role.ADMIN);

        assertThat(decision.status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(decision.after().sharePasswordHash()).isEqualTo(HASH);
        assertThat(decision.after().state().getSharePasswordSet()).isTrue();
        assertThat(decision.changedFields()).containsExactly("shareAccess", "sharePassword");
    }

    @Test
    void leavingPasswordModeDeletesTheHash() {
        EvaluationState protectedState = state().setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordSet(true).build();

        Decision<EvaluationRules.Next> decision = decide(protectedState, HASH, patch().setShareAccess(ShareAccess.TEAM_ONLY).build(), Role.ADMIN);

        assertThat(decision.status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(decision.after().sharePasswordHash()).isNull();
        assertThat(decision.after().state().getSharePasswordSet()).isFalse();
        assertThat(decision.changedFields()).containsExactly("shareAccess", "sharePassword");
    }

    @Test
    void aPasswordInPasswordModeAlwaysReplacesTheHash() {
        EvaluationState protectedState = state().setShareAccess(ShareAccess.PASSWORD_PROTECTED).setSharePasswordSet(true).build();

        Decision<EvaluationRules.Next> same = decide(protectedState, HASH, patch().setSharePasswordHash(HASH).build(), Role.ADMIN);
        Decision<EvaluationRules.Next> stay = decide(protectedState, HASH, patch().setShareAccess(ShareAccess.PASSWORD_PROTECTED).build(), Role.ADMIN);

        assertThat(same.status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(same.changedFields()).containsExactly("sharePassword");
        assertThat(stay.status()).isEqualTo(CommandStatus.UNCHANGED);
        assertThat(stay.after().sharePasswordHash()).isEqualTo(HASH);
    }

    // ---- three-state fields ----

    @Test
    void nullClearsAndAbsentKeeps() {
        EvaluationState withOverrides = state().setDescription("d").setProxyRegion("eu").setShareExpiry(Instant.parse("2027-01-01T00:00:00Z")).build();

        Decision<EvaluationRules.Next> cleared = decide(withOverrides, null,
                patch().setDescription(null).setShareExpiry(null).setFieldOrder(List.of("shareExpiry", "description")).build(), Role.EDITOR);

        assertThat(cleared.status()).isEqualTo(CommandStatus.APPLIED);
        assertThat(cleared.after().state().getDescription()).isNull();
        assertThat(cleared.after().state().getShareExpiry()).isNull();
        assertThat(cleared.after().state().getProxyRegion()).isEqualTo("eu");
        assertThat(cleared.changedFields()).containsExactly("description", "shareExpiry");
        assertThat(decide(withOverrides, null, patch().build(), Role.EDITOR).status()).isEqualTo(CommandStatus.UNCHANGED);
    }

    // ---- value rules, shared by the adapter and the processor ----

    static Stream<Arguments> values() {
        String emoji = "\uD83D\uDE00";
        return Stream.of(
                Arguments.of("name", "", "name"),
                Arguments.of("name", "x", null),
                Arguments.of("name", "n".repeat(200), null),
                Arguments.of("name", "n".repeat(201), "name"),
                Arguments.of("name", emoji.repeat(100), null),
                Arguments.of("name", emoji.repeat(100) + "a", "name"),
                Arguments.of("name", "a\u0000b", "name"),
                Arguments.of("name", "a\uD800b", "name"),
                Arguments.of("name", "a\uDC00", "name"),
                Arguments.of("name", "\uDE00\uD83D", "name"),
                Arguments.of("name", "tab\tnewline\n\u0001\u007f", null),
                Arguments.of("name", "'; drop table evaluation; --", null),
                Arguments.of("description", "", null),
                Arguments.of("description", "d".repeat(2000), null),
                Arguments.of("description", "d".repeat(2001), "description"),
                Arguments.of("description", "\u0000", "description"),
                Arguments.of("proxyRegion", "", "proxyRegion"),
                Arguments.of("proxyRegion", "r".repeat(255), null),
                Arguments.of("proxyRegion", "r".repeat(256), "proxyRegion"),
                Arguments.of("modelId", "gemini-3-flash-preview", null),
                Arguments.of("modelId", "gemini-2.5-computer-use-preview-10-2025", null),
                Arguments.of("modelId", "GEMINI-3-FLASH-PREVIEW", "modelId"),
                Arguments.of("modelId", "gpt-4", "modelId"),
                Arguments.of("sharePassword", HASH, null),
                Arguments.of("sharePassword", hash(599_999), "sharePassword"),
                Arguments.of("sharePassword", "pbkdf2-hunter2", "sharePassword"),
                Arguments.of("sharePassword", "hunter2", "sharePassword"),
                Arguments.of("sharePassword", HASH + "x", "sharePassword"),
                Arguments.of("shareExpiry", Instant.parse("9999-12-31T23:59:59.999Z"), null),
                Arguments.of("shareExpiry", Instant.parse("+10000-01-01T00:00:00Z"), "shareExpiry"),
                Arguments.of("shareExpiry", Instant.ofEpochMilli(Long.MAX_VALUE), "shareExpiry"));
    }

    @ParameterizedTest(name = "{0} = {1}: {2}")
    @MethodSource("values")
    void valueRules(String field, Object value, String failingParam) {
        Optional<CommandError> error = EvaluationRules.checkValue(field, value);

        if (failingParam == null) {
            assertThat(error).isEmpty();
        } else {
            assertThat(error).hasValueSatisfying(e -> {
                assertThat(e.getKind()).isEqualTo(ErrorKind.INVALID);
                assertThat(e.getField()).isEqualTo(failingParam);
                assertThat(e.getMessage()).doesNotContain("hunter2");
            });
        }
    }

    @Test
    void theProcessorAppliesEveryValueRuleToCommandsFromProducers() {
        assertRejected(decide(state().build(), null, patch().setName("n".repeat(201)).build(), Role.OWNER), ErrorKind.INVALID, null, "name");
        assertRejected(decide(state().build(), null, patch().setProxyRegion("").build(), Role.OWNER), ErrorKind.INVALID, null, "proxyRegion");
        assertRejected(decide(state().build(), null, patch().setModelId("free-form").build(), Role.OWNER), ErrorKind.INVALID, null, "modelId");
        assertRejected(decide(state().build(), null, patch().setDescription("a\u0000").build(), Role.OWNER), ErrorKind.INVALID, null, "description");
        assertRejected(decide(state().setShareAccess(ShareAccess.PASSWORD_PROTECTED).build(), HASH,
                patch().setSharePasswordHash("plaintext-password").build(), Role.OWNER), ErrorKind.INVALID, null, "sharePassword");
    }

    @Test
    void shareExpiryMustBeLaterThanTheInstantTheCommandWasReceived() {
        assertThat(EvaluationRules.checkExpiryInFuture(RECEIVED, RECEIVED)).isPresent();
        assertThat(EvaluationRules.checkExpiryInFuture(RECEIVED.plusNanos(999_999), RECEIVED)).isPresent();
        assertThat(EvaluationRules.checkExpiryInFuture(RECEIVED.plusMillis(1), RECEIVED)).isEmpty();
        assertThat(EvaluationRules.checkExpiryInFuture(null, RECEIVED)).isEmpty();

        assertRejected(decide(state().build(), null, patch().setShareExpiry(RECEIVED.minusSeconds(1)).build(), Role.EDITOR),
                ErrorKind.INVALID, null, "shareExpiry");
        // Decided long after it was received (retried, parked): judged against receivedAt, not the decision time.
        Decision<EvaluationRules.Next> late = EvaluationRules.decide(state().build(), null,
                patch().setShareExpiry(RECEIVED.plusSeconds(60)).build(), Role.EDITOR, RECEIVED, RECEIVED.plusSeconds(3600));
        assertThat(late.status()).isEqualTo(CommandStatus.APPLIED);
    }

    @Test
    void plainPasswordsAreFourTo128Utf16Units() {
        assertThat(EvaluationRules.checkPlainPassword("abc")).isPresent();
        assertThat(EvaluationRules.checkPlainPassword("abcd")).isEmpty();
        assertThat(EvaluationRules.checkPlainPassword("p".repeat(128))).isEmpty();
        assertThat(EvaluationRules.checkPlainPassword("p".repeat(129))).isPresent();
        assertThat(EvaluationRules.checkPlainPassword("\uD83D\uDE00\uD83D\uDE00")).isEmpty();
        assertThat(EvaluationRules.checkPlainPassword("abc\uD800")).isPresent();
        assertThat(EvaluationRules.checkPlainPassword("abcdefgh")).isEmpty();
    }

    // ---- helpers ----

    private static Decision<EvaluationRules.Next> decide(EvaluationState current, String hash, EvaluationPatch patch, Role role) {
        return EvaluationRules.decide(current, hash, patch, role, RECEIVED, NOW);
    }

    private static void assertRejected(Decision<EvaluationRules.Next> decision, ErrorKind kind, String code, String field) {
        assertThat(decision.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(decision.after()).isNull();
        assertThat(decision.errors()).singleElement().satisfies(error -> {
            assertThat(error.getKind()).isEqualTo(kind);
            assertThat(error.getCode()).isEqualTo(code);
            assertThat(error.getField()).isEqualTo(field);
        });
    }

    private static EvaluationPatch.Builder patch() {
        return EvaluationPatch.newBuilder();
    }

    private static EvaluationState.Builder state() {
        return EvaluationState.newBuilder()
                .setId("eval_1").setTeamId("team_1").setName("Checkout").setDescription(null)
                .setType(EvaluationType.SxS).setStatus(EvaluationStatus.Draft)
                .setShareAccess(ShareAccess.TEAM_ONLY).setSharePasswordSet(false)
                .setShareRequireEmail(false).setShareRequireName(false).setShareAllowAnon(false)
                .setAllowMultipleRatings(false).setEditorsCanShare(true)
                .setCreatedAt(CREATED).setUpdatedAt(CREATED).setVersion(3L);
    }

    private static String hash(int iterations) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(new byte[16]) + "$" + b64.encodeToString(new byte[32]);
    }
}
