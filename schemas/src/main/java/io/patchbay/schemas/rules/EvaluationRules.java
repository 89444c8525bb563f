package io.patchbay.schemas.rules;

import static io.patchbay.schemas.rules.Patches.isSet;
import static io.patchbay.schemas.rules.Patches.valueOr;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.ErrorKind;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.ShareAccess;

/**
 * Every rule of an Autousers evaluation update (api-contract §3), in one place: the adapter calls the
 * request-level checks to refuse early, the processor calls all of them because commands also arrive from
 * producers that write to Kafka directly.
 */
public final class EvaluationRules {

    public static final int NAME_MAX = 200;
    public static final int DESCRIPTION_MAX = 2000;
    public static final int PROXY_REGION_MAX = 255;
    public static final int PASSWORD_MIN = 4;
    public static final int PASSWORD_MAX = 128;
    public static final List<String> MODEL_IDS = List.of("gemini-3-flash-preview", "gemini-2.5-computer-use-preview-10-2025");
    /**
     * Latest accepted {@code shareExpiry}: RFC 3339 has four-digit years, Autousers renders
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, and a later instant would not survive PostgreSQL or the rendering.
     */
    public static final Instant SHARE_EXPIRY_MAX = Instant.parse("9999-12-31T23:59:59.999Z");
    /** Fewest PBKDF2 iterations a share password hash may have (api-contract §3.5). */
    public static final int PASSWORD_HASH_MIN_ITERATIONS = 600_000;
    /** The self-describing hash the adapter makes: {@code pbkdf2-sha256$<iterations>$<16-byte salt>$<32-byte hash>}, base64 unpadded. */
    private static final Pattern PASSWORD_HASH = Pattern.compile("pbkdf2-sha256\\$([1-9][0-9]{0,9})\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");

    /** Body fields that need the admin role, by presence. */
    public static final List<String> ADMIN_FIELDS = List.of("type", "teamId", "shareAccess", "sharePassword", "editorsCanShare");
    /** Fields that need admin+ while the stored {@code editorsCanShare} is false. */
    public static final List<String> SHARE_FIELDS = List.of("shareAccess", "sharePassword", "shareRequireEmail",
            "shareRequireName", "shareAllowAnon", "shareExpiry");

    /** Patch fields in contract table order, by their API name. */
    public static final List<String> FIELD_ORDER = List.of("name", "description", "type", "status", "shareAccess",
            "sharePassword", "shareRequireEmail", "shareRequireName", "shareAllowAnon", "shareExpiry",
            "allowMultipleRatings", "editorsCanShare", "browserEngine", "useProxy", "proxyRegion", "modelId");

    private static final Map<EvaluationStatus, Set<EvaluationStatus>> TRANSITIONS = Map.of(
            EvaluationStatus.Draft, Set.of(EvaluationStatus.Running, EvaluationStatus.Archived),
            EvaluationStatus.Running, Set.of(EvaluationStatus.Ended),
            EvaluationStatus.Ended, Set.of(EvaluationStatus.Archived),
            EvaluationStatus.Archived, Set.of(EvaluationStatus.Ended));

    /** The state after a command: the public state and the stored password hash. */
    public record Next(EvaluationState state, String sharePasswordHash) {
    }

    private EvaluationRules() {
    }

    /** Length and value rules on a typed patch, in contract order; the first failure. */
    public static Optional<CommandError> checkFields(EvaluationPatch patch) {
        for (String field : FIELD_ORDER) {
            Object value = patch.get(patchField(field));
            if (isSet(value)) {
                Optional<CommandError> error = checkValue(field, value);
                if (error.isPresent()) {
                    return error;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The value rules of one field (by API name) for a typed value, in contract order (text, then length or
     * enum, then range); null is always allowed here. {@code sharePassword} here is the hash a command carries.
     */
    public static Optional<CommandError> checkValue(String field, Object value) {
        if (value instanceof String text && !field.equals("sharePassword")) {
            Optional<CommandError> invalidText = checkText(field, text);
            if (invalidText.isPresent()) {
                return invalidText;
            }
        }
        return switch (field) {
            case "name" -> value instanceof String name && !lengthWithin(name, 1, NAME_MAX)
                    ? invalid(field, "name must be 1 to " + NAME_MAX + " characters.") : Optional.empty();
            case "description" -> value instanceof String d && d.length() > DESCRIPTION_MAX
                    ? invalid(field, "description must be at most " + DESCRIPTION_MAX + " characters.") : Optional.empty();
            case "sharePassword" -> value instanceof String hash && !isPasswordHash(hash)
                    ? invalid(field, "sharePassword must arrive as a PBKDF2-SHA256 hash with at least "
                            + PASSWORD_HASH_MIN_ITERATIONS + " iterations, never in plain text.") : Optional.empty();
            case "shareExpiry" -> value instanceof Instant expiry && expiry.isAfter(SHARE_EXPIRY_MAX)
                    ? invalid(field, "shareExpiry must not be later than 9999-12-31T23:59:59.999Z.") : Optional.empty();
            case "proxyRegion" -> value instanceof String r && !lengthWithin(r, 1, PROXY_REGION_MAX)
                    ? invalid(field, "proxyRegion must be 1 to " + PROXY_REGION_MAX + " characters.") : Optional.empty();
            case "modelId" -> value instanceof String m && !MODEL_IDS.contains(m)
                    ? invalid(field, "Invalid value '" + m + "' for modelId; expected one of " + String.join(", ", MODEL_IDS) + ".")
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    /**
     * The time rule of {@code shareExpiry}: strictly later than {@code reference}, the instant the request was
     * validated. The adapter passes its clock; the processor passes the command's {@code receivedAt}, so a
     * command decided late (retried, parked on a dead-letter topic) gets the answer it would have got at once.
     * Both compare at millisecond precision, the precision a command carries.
     */
    public static Optional<CommandError> checkExpiryInFuture(Instant expiry, Instant reference) {
        return expiry != null && !expiry.truncatedTo(ChronoUnit.MILLIS).isAfter(reference.truncatedTo(ChronoUnit.MILLIS))
                ? invalid("shareExpiry", "shareExpiry must be in the future.") : Optional.empty();
    }

    /**
     * Text every string field must be: no U+0000 (PostgreSQL text cannot hold it, and a row that cannot be
     * written would stall its partition) and no unpaired surrogate (it has no UTF-8 form, so it would be
     * replaced by '?' on the way to Kafka instead of being stored as sent).
     */
    public static Optional<CommandError> checkText(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return invalid(field, field + " must not contain the NUL character (U+0000).");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return invalid(field, field + " must be valid Unicode text; it contains an unpaired surrogate.");
            }
        }
        return Optional.empty();
    }

    /** The plaintext password rule, checked at the edge before hashing (the command carries only the hash). */
    public static Optional<CommandError> checkPlainPassword(String password) {
        return checkText("sharePassword", password).or(() -> lengthWithin(password, PASSWORD_MIN, PASSWORD_MAX)
                ? Optional.empty()
                : invalid("sharePassword", "sharePassword must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters."));
    }

    static boolean isPasswordHash(String hash) {
        Matcher matcher = PASSWORD_HASH.matcher(hash);
        return matcher.matches() && Long.parseLong(matcher.group(1)) >= PASSWORD_HASH_MIN_ITERATIONS;
    }

    /** Role rules by field presence (request level): viewers change nothing, some fields need admin+. */
    public static Optional<CommandError> checkRole(Role role, List<String> fieldsInBodyOrder) {
        if (!role.atLeast(Role.EDITOR)) {
            return Optional.of(Decision.error(ErrorKind.FORBIDDEN, null, null,
                    "API keys with the viewer role cannot modify evaluations."));
        }
        if (!role.atLeast(Role.ADMIN)) {
            for (String field : fieldsInBodyOrder) {
                if (ADMIN_FIELDS.contains(field)) {
                    return Optional.of(Decision.error(ErrorKind.FORBIDDEN, null, field,
                            "Changing " + field + " requires the admin or owner role."));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * API names of every field a patch sets: those named in its body order first, then any other set field in
     * contract order. {@code fieldOrder} comes from the sender, so it only orders; a set field it leaves out
     * is still checked (otherwise a producer could hide an admin-only field from the role check).
     */
    public static List<String> setFields(EvaluationPatch patch) {
        LinkedHashSet<String> order = new LinkedHashSet<>(patch.getFieldOrder());
        order.addAll(FIELD_ORDER);
        return order.stream().filter(FIELD_ORDER::contains).filter(field -> isSet(patch.get(patchField(field)))).toList();
    }

    /**
     * Decides a command against the stored evaluation: the request-level rules again (role by presence, every
     * value rule, {@code shareExpiry} later than {@code receivedAt}), because commands also arrive straight
     * from producers, then api-contract §3.8 checks 12 to 16.
     *
     * @param receivedAt when the command was accepted, the reference of the {@code shareExpiry} time rule
     * @param now the decision time, the new {@code updatedAt}
     */
    public static Decision<Next> decide(EvaluationState current, String currentHash, EvaluationPatch patch, Role role,
                                        Instant receivedAt, Instant now) {
        List<String> fields = setFields(patch);
        Optional<CommandError> early = checkRole(role, fields).or(() -> checkFields(patch))
                .or(() -> patch.getShareExpiry() instanceof Instant expiry ? checkExpiryInFuture(expiry, receivedAt) : Optional.empty());
        if (early.isPresent()) {
            return Decision.rejected(List.of(early.get()));
        }
        if (!current.getEditorsCanShare() && !role.atLeast(Role.ADMIN)) {
            for (String field : fields) {
                if (SHARE_FIELDS.contains(field)) {
                    return Decision.rejected(ErrorKind.FORBIDDEN, null, field,
                            "Changing " + field + " requires the admin or owner role while editorsCanShare is false.");
                }
            }
        }
        if (isSet(patch.getType()) && patch.getType() != current.getType() && current.getStatus() != EvaluationStatus.Draft) {
            return Decision.rejected(ErrorKind.INVALID, null, "type", "type can only be changed while the evaluation is in Draft.");
        }
        EvaluationStatus status = valueOr(patch.getStatus(), current.getStatus());
        if (status != current.getStatus() && !TRANSITIONS.get(current.getStatus()).contains(status)) {
            return Decision.rejected(ErrorKind.INVALID, "invalid_status_transition", "status",
                    "Cannot change status from " + current.getStatus() + " to " + status + ".");
        }
        ShareAccess access = valueOr(patch.getShareAccess(), current.getShareAccess());
        boolean passwordSent = isSet(patch.getSharePasswordHash());
        if (passwordSent && access != ShareAccess.PASSWORD_PROTECTED) {
            return Decision.rejected(ErrorKind.INVALID, null, "sharePassword",
                    "sharePassword can only be set when shareAccess is PASSWORD_PROTECTED.");
        }
        if (access == ShareAccess.PASSWORD_PROTECTED && current.getShareAccess() != ShareAccess.PASSWORD_PROTECTED && !passwordSent) {
            return Decision.rejected(ErrorKind.INVALID, null, "sharePassword",
                    "sharePassword is required when shareAccess becomes PASSWORD_PROTECTED.");
        }
        return apply(current, currentHash, patch, access, now);
    }

    private static Decision<Next> apply(EvaluationState current, String currentHash, EvaluationPatch patch,
                                        ShareAccess access, Instant now) {
        String hash = access != ShareAccess.PASSWORD_PROTECTED ? null : valueOr(patch.getSharePasswordHash(), currentHash);
        // the all-fields constructor, not newBuilder(current): that deep-copies every field of current (converting
        // each timestamp to its raw long and back) only to replace nearly all of them
        EvaluationState next = new EvaluationState(current.getId(), current.getTeamId(),
                valueOr(patch.getName(), current.getName()),
                valueOr(patch.getDescription(), current.getDescription()),
                valueOr(patch.getType(), current.getType()),
                valueOr(patch.getStatus(), current.getStatus()),
                access,
                hash != null,
                valueOr(patch.getShareRequireEmail(), current.getShareRequireEmail()),
                valueOr(patch.getShareRequireName(), current.getShareRequireName()),
                valueOr(patch.getShareAllowAnon(), current.getShareAllowAnon()),
                valueOr(patch.getShareExpiry(), current.getShareExpiry()),
                valueOr(patch.getAllowMultipleRatings(), current.getAllowMultipleRatings()),
                valueOr(patch.getEditorsCanShare(), current.getEditorsCanShare()),
                valueOr(patch.getBrowserEngine(), current.getBrowserEngine()),
                valueOr(patch.getUseProxy(), current.getUseProxy()),
                valueOr(patch.getProxyRegion(), current.getProxyRegion()),
                valueOr(patch.getModelId(), current.getModelId()),
                current.getCreatedAt(), current.getUpdatedAt(), current.getVersion());
        List<String> changed = new ArrayList<>();
        for (String field : FIELD_ORDER) {
            if (field.equals("sharePassword")) {
                if (isSet(patch.getSharePasswordHash()) || !Objects.equals(hash, currentHash)) {
                    changed.add(field);
                }
            } else if (!Objects.equals(current.get(field), next.get(field))) {
                changed.add(field);
            }
        }
        if (changed.isEmpty()) {
            return Decision.unchanged(new Next(current, currentHash));
        }
        next.setVersion(current.getVersion() + 1);
        next.setUpdatedAt(now.truncatedTo(ChronoUnit.MILLIS));
        return Decision.applied(new Next(next, hash), changed);
    }

    private static String patchField(String apiName) {
        return apiName.equals("sharePassword") ? "sharePasswordHash" : apiName;
    }

    private static boolean lengthWithin(String value, int min, int max) {
        return value.length() >= min && value.length() <= max;
    }

    private static Optional<CommandError> invalid(String field, String message) {
        return Optional.of(Decision.error(ErrorKind.INVALID, null, field, message));
    }
}
