package io.patchbay.schemas.rules;

import java.util.List;

import io.patchbay.schemas.CommandError;
import io.patchbay.schemas.CommandStatus;
import io.patchbay.schemas.ErrorKind;

/**
 * What a command does to a resource: applied (with the state after and the API names of the changed
 * fields), unchanged, or rejected with errors.
 *
 * @param <S> the resource state type
 */
public record Decision<S>(CommandStatus status, S after, List<String> changedFields, List<CommandError> errors) {

    public static <S> Decision<S> applied(S after, List<String> changedFields) {
        return new Decision<>(CommandStatus.APPLIED, after, List.copyOf(changedFields), List.of());
    }

    public static <S> Decision<S> unchanged(S current) {
        return new Decision<>(CommandStatus.UNCHANGED, current, List.of(), List.of());
    }

    public static <S> Decision<S> rejected(List<CommandError> errors) {
        return new Decision<>(CommandStatus.REJECTED, null, List.of(), List.copyOf(errors));
    }

    public static <S> Decision<S> rejected(ErrorKind kind, String code, String field, String message) {
        return rejected(List.of(error(kind, code, field, message)));
    }

    public static CommandError error(ErrorKind kind, String code, String field, String message) {
        return CommandError.newBuilder().setKind(kind).setCode(code).setField(field).setMessage(message).build();
    }
}
