package io.patchbay.admin.resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.patchbay.admin.AdminException;

/**
 * One line of a JSON Lines input, with where it came from for the error report.
 *
 * @param source the file name (or another label) shown in reports
 * @param number the 1-based line number
 */
public record SourceLine(String source, int number, String text) {

    /** The non-blank lines of {@code text}, numbered. */
    public static List<SourceLine> of(String source, String text) {
        List<SourceLine> lines = new ArrayList<>();
        String[] split = text.split("\r?\n", -1);
        for (int i = 0; i < split.length; i++) {
            if (!split[i].isBlank()) {
                lines.add(new SourceLine(source, i + 1, split[i]));
            }
        }
        return lines;
    }

    /** The non-blank lines of a UTF-8 file; a file that is not valid UTF-8 is refused whole. */
    public static List<SourceLine> read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return of(file.toString(), text);
        } catch (CharacterCodingException e) {
            throw new AdminException(file + " is not valid UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
