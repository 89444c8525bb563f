package io.patchbay.schemas.internal.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchbay.schemas.AutomationChanged;
import io.patchbay.schemas.AutomationUpdateCommand;
import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.EvaluationChanged;
import io.patchbay.schemas.EvaluationUpdateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasedSchemasCheckTest {

    private static final Path SOURCES = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("src/released");

    @TempDir
    Path temp;
    private Path sources;
    private Path released;

    @BeforeEach
    void copyTheRepositorySchemas() throws IOException {
        sources = temp.resolve("avro");
        released = temp.resolve("released");
        copyTree(SOURCES, sources);
        copyTree(RELEASED, released);
    }

    @Test
    void theRepositorysSchemasAreCompatibleWithTheirReleasedSnapshots() {
        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(SOURCES, RELEASED);

        assertThat(result.failures()).isEmpty();
        assertThat(result.notes()).as("every top-level schema has a released snapshot").isEmpty();
    }

    @Test
    void theFiveTopLevelSchemasAreCheckedAndMatchTheGeneratedClasses() {
        Map<String, Schema> current = ReleasedSchemasCheck.currentSchemas(SOURCES);

        List<Schema> generated = List.of(EvaluationUpdateCommand.SCHEMA$, AutomationUpdateCommand.SCHEMA$,
                CommandResult.SCHEMA$, EvaluationChanged.SCHEMA$, AutomationChanged.SCHEMA$);
        assertThat(current.keySet()).containsExactlyInAnyOrderElementsOf(
                generated.stream().map(Schema::getFullName).toList());
        for (Schema schema : generated) {
            assertThat(SchemaNormalization.toParsingForm(current.get(schema.getFullName())))
                    .as(schema.getFullName())
                    .isEqualTo(SchemaNormalization.toParsingForm(schema));
        }
    }

    @Test
    void aNewTopLevelFieldWithoutDefaultIsReportedWithRecordAndField() throws IOException {
        edit("CommandResult.avsc", "{\"name\": \"teamId\", \"type\": \"string\"},",
                "{\"name\": \"teamId\", \"type\": \"string\"}, {\"name\": \"tenantId\", \"type\": \"string\"},");

        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(sources, released);

        assertThat(result.passed()).isFalse();
        assertThat(result.failures()).singleElement().asString()
                .contains("io.patchbay.schemas.CommandResult (released version")
                .contains("record io.patchbay.schemas.CommandResult, field 'tenantId'")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void aNewNestedFieldWithoutDefaultNamesTheNestedRecordAndItsPath() throws IOException {
        edit("CommandResult.avsc", "{\"name\": \"message\", \"type\": \"string\"}",
                "{\"name\": \"message\", \"type\": \"string\"}, {\"name\": \"severity\", \"type\": \"int\"}");

        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(sources, released);

        assertThat(result.failures()).singleElement().asString()
                .contains("io.patchbay.schemas.CommandResult.errors[].severity")
                .contains("record io.patchbay.schemas.CommandError, field 'severity'")
                .contains("has no default value");
    }

    @Test
    void aRemovedEnumSymbolIsReportedWithTheEnumTheSymbolAndTheField() throws IOException {
        edit("CommandResult.avsc", "[\"INVALID\", \"FORBIDDEN\", \"NOT_FOUND\"]", "[\"INVALID\", \"FORBIDDEN\"]");

        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(sources, released);

        assertThat(result.failures()).singleElement().asString()
                .contains("record io.patchbay.schemas.CommandError, field 'kind'")
                .contains("MISSING_ENUM_SYMBOLS")
                .contains("enum io.patchbay.schemas.ErrorKind lacks symbol(s) [NOT_FOUND]");
    }

    @Test
    void aBreakingChangeInASharedTypeIsReportedForEverySchemaThatUsesIt() throws IOException {
        edit("common/Actor.avsc", "{\"name\": \"apiKeyId\", \"type\": \"string\"",
                "{\"name\": \"apiKeyId\", \"type\": \"int\"");

        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(sources, released);

        assertThat(result.failures()).hasSize(4) // both commands (via metadata) and both change events
                .allSatisfy(failure -> assertThat(failure)
                        .contains("record io.patchbay.schemas.Actor, field 'apiKeyId'")
                        .contains("TYPE_MISMATCH"));
    }

    @Test
    void anOptionalFieldWithADefaultIsCompatible() throws IOException {
        edit("CommandResult.avsc", "{\"name\": \"teamId\", \"type\": \"string\"},",
                "{\"name\": \"teamId\", \"type\": \"string\"},"
                        + " {\"name\": \"tenantId\", \"type\": [\"null\", \"string\"], \"default\": null},");

        assertThat(ReleasedSchemasCheck.check(sources, released).passed()).isTrue();
    }

    @Test
    void removingAReleasedTopLevelSchemaFails() throws IOException {
        Files.delete(sources.resolve("AutomationChanged.avsc"));

        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(sources, released);

        assertThat(result.failures()).singleElement().asString()
                .contains("io.patchbay.schemas.AutomationChanged was released")
                .contains("has no top-level schema");
    }

    @Test
    void aSchemaWithoutSnapshotPassesAsNew() throws IOException {
        Files.delete(ReleasedSchemasCheck.snapshotFile(released, "io.patchbay.schemas.CommandResult"));

        ReleasedSchemasCheck.Result result = ReleasedSchemasCheck.check(sources, released);

        assertThat(result.passed()).isTrue();
        assertThat(result.notes()).singleElement().asString().contains("io.patchbay.schemas.CommandResult has no released version");
    }

    @Test
    void releaseWritesSelfContainedSnapshotsOfTheCurrentSchemas() throws IOException {
        Path fresh = temp.resolve("fresh");

        List<Path> written = ReleasedSchemasCheck.release(sources, fresh);

        assertThat(written).hasSize(5);
        Map<String, Schema> current = ReleasedSchemasCheck.currentSchemas(sources);
        for (Path snapshot : written) {
            Schema parsedAlone = new SchemaParser().parse(snapshot).mainSchema(); // no imports needed
            assertThat(parsedAlone).isEqualTo(current.get(parsedAlone.getFullName()));
            assertThat(snapshot.getFileName()).hasToString(parsedAlone.getFullName() + ".avsc");
        }
        assertThat(ReleasedSchemasCheck.check(sources, fresh).passed()).isTrue();
    }

    @Test
    void mainRefusesToReleaseABreakingChangeUnlessAllowed() throws IOException {
        edit("CommandResult.avsc", "{\"name\": \"teamId\", \"type\": \"string\"},",
                "{\"name\": \"teamId\", \"type\": \"string\"}, {\"name\": \"tenantId\", \"type\": \"string\"},");
        Path snapshot = ReleasedSchemasCheck.snapshotFile(released, "io.patchbay.schemas.CommandResult");
        String before = Files.readString(snapshot);
        String[] args = {"--sources", sources.toString(), "--released", released.toString(), "--release"};

        assertThatThrownBy(() -> ReleasedSchemasCheck.main(args))
                .isInstanceOf(ReleasedSchemasCheck.CheckFailedException.class)
                .hasMessageContaining("field 'tenantId'")
                .hasMessageContaining("No snapshot written");
        assertThat(Files.readString(snapshot)).isEqualTo(before);

        ReleasedSchemasCheck.main(new String[] {"--sources", sources.toString(), "--released", released.toString(),
                "--release", "--allow-breaking"});
        assertThat(Files.readString(snapshot)).contains("tenantId");
        assertThat(ReleasedSchemasCheck.check(sources, released).passed()).isTrue();
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = sources.resolve(file);
        String text = Files.readString(path);
        assertThat(text).as("test fixture: %s contains the text to replace", file).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
