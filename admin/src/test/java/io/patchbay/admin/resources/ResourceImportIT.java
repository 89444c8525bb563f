package io.patchbay.admin.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.patchbay.admin.testing.AdminDatabase;
import io.patchbay.admin.testing.AdminDatabase.Run;
import io.patchbay.schemas.AutomationState;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.store.automation.AutomationRepository;
import io.patchbay.store.evaluation.EvaluationRepository;

/** {@code resources import|export} against a real PostgreSQL: idempotent, all or nothing, the API's rules. */
class ResourceImportIT {

    static final List<String> ACME = List.of(
            "{\"kind\":\"evaluator\",\"team\":\"team_acme\",\"id\":\"evl_rel\",\"evaluator_slug\":\"relevance\",\"name\":\"Relevance\",\"eval_class\":\"respan_custom_evaluator\"}",
            "{\"kind\":\"evaluator\",\"team\":\"team_acme\",\"id\":\"evl_tox\",\"evaluator_slug\":\"toxicity\",\"name\":\"  Toxicity \"}",
            "{\"kind\":\"condition\",\"team\":\"team_acme\",\"id\":\"cond_ok\",\"condition_slug\":\"success_logs\",\"name\":\"Successful requests\",\"condition_type\":\"single_log\"}",
            "{\"kind\":\"automation\",\"team\":\"team_acme\",\"id\":\"auto_q\",\"automation_slug\":\"quality\",\"name\":\"Quality\","
                    + "\"condition\":\"cond_ok\",\"evaluator_ids\":[\"evl_rel\",\"evl_tox\",\"evl_rel\"],\"is_enabled\":false,"
                    + "\"configuration\":{\"sampling_rate\":0.25,\"window\":{\"minutes\":5},\"tags\":[\"a\",1.50]},"
                    + "\"created_at\":\"2025-01-15T10:30:00.123456Z\"}",
            "{\"kind\":\"evaluation\",\"team\":\"team_acme\",\"id\":\"eval_one\",\"name\":\"Checkout\",\"type\":\"SxS\",\"status\":\"Running\","
                    + "\"shareExpiry\":\"2030-01-01T00:00:00Z\",\"browserEngine\":\"camoufox\",\"modelId\":\"gemini-3-flash-preview\"}");

    private final AdminDatabase db = AdminDatabase.create("resources");

    @TempDir
    Path dir;

    @BeforeEach
    void teams() {
        db.admin("teams", "create", "team_acme", "--name", "Acme");
        db.admin("teams", "create", "team_globex", "--name", "Globex");
    }

    @Test
    void importCreatesEveryKindAndRunningItAgainChangesNothing() throws IOException {
        Path file = write("acme.jsonl", ACME);

        Run first = db.admin("resources", "import", file.toString());
        String exported = db.admin("resources", "export").out();
        Run second = db.admin("resources", "import", file.toString(), "--verbose");

        assertThat(first.status()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).isEqualTo("import: 5 line(s): 5 created, 0 unchanged, 0 failed; written\n");
        assertThat(second.status()).isZero();
        assertThat(second.outLines()).contains(file + ":4: automation auto_q unchanged")
                .last().isEqualTo("import: 5 line(s): 0 created, 5 unchanged, 0 failed; written");
        assertThat(db.admin("resources", "export").out()).isEqualTo(exported);
        AutomationState automation = db.jdbi.withHandle(h -> new AutomationRepository().findByIdOrSlug(h, "team_acme", "quality"))
                .orElseThrow();
        assertThat(automation.getEvaluatorIds()).containsExactly("evl_rel", "evl_tox");
        assertThat(automation.getEvaluatorDetails()).extracting(e -> e.getName()).containsExactly("Relevance", "Toxicity");
        assertThat(automation.getCondition().getSlug()).isEqualTo("success_logs");
        assertThat(automation.getIsEnabled()).isFalse();
        assertThat(automation.getVersion()).isEqualTo(1L);
        assertThat(automation.getCreatedAt()).hasToString("2025-01-15T10:30:00.123456Z");
        assertThat(db.jdbi.withHandle(h -> new EvaluationRepository().find(h, "team_acme", "eval_one")).orElseThrow().state()
                .getStatus()).isEqualTo(EvaluationStatus.Running);
    }

    @Test
    void exportIsTheImportFormatSoARoundTripThroughAnEmptyDatabaseReproducesIt() throws IOException {
        db.admin("resources", "import", write("acme.jsonl", ACME).toString());
        String exported = db.admin("resources", "export").out();
        AdminDatabase other = AdminDatabase.create("roundtrip");
        other.admin("teams", "create", "team_acme", "--name", "Acme");
        Path file = dir.resolve("export.jsonl");

        Run toFile = db.admin("resources", "export", "--team", "team_acme", "-o", file.toString());
        Run imported = other.admin("resources", "import", file.toString());

        assertThat(toFile.err()).contains("exported 5 line(s)");
        assertThat(Files.readString(file)).isEqualTo(exported);
        assertThat(imported.status()).as(imported.out()).isZero();
        assertThat(other.admin("resources", "export").out()).isEqualTo(exported);
        assertThat(exported.lines().map(l -> l.substring(0, l.indexOf(",\"team\"")))).containsExactly(
                "{\"kind\":\"evaluator\"", "{\"kind\":\"evaluator\"", "{\"kind\":\"condition\"", "{\"kind\":\"automation\"",
                "{\"kind\":\"evaluation\"");
    }

    @Test
    void oneFailingLineWritesNothingAndEveryFailingLineIsReportedWithTheApiMessages() throws IOException {
        Path file = write("mixed.jsonl", List.of(
                ACME.get(0),
                "{\"kind\":\"evaluation\",\"team\":\"team_acme\",\"id\":\"eval_long\",\"name\":\"" + "x".repeat(201) + "\",\"type\":\"SxS\"}",
                "",
                "{\"kind\":\"automation\",\"team\":\"team_acme\",\"id\":\"auto_bad\",\"automation_slug\":\"bad\",\"name\":\" \","
                        + "\"evaluator_ids\":[\"evl_rel\",\"evl_missing\"],\"configuration\":{\"sampling_rate\":1.5}}",
                "{\"kind\":\"evaluation\",\"team\":\"team_acme\",\"id\":\"eval_typo\",\"nmae\":\"x\",\"name\":\"ok\",\"type\":\"SxS\","
                        + "\"modelId\":\"gpt-5\"}",
                "{\"kind\":\"widget\",\"team\":\"team_acme\",\"id\":\"w\"}",
                "{\"kind\":\"evaluator\",\"team\":\"team_nowhere\",\"id\":\"evl_x\",\"evaluator_slug\":\"x\",\"name\":\"X\"}",
                "not json",
                ACME.get(1)));

        Run run = db.admin("resources", "import", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.outLines()).containsExactly(
                file + ":2: evaluation eval_long: name: name must be 1 to 200 characters.",
                file + ":4: automation auto_bad: name: This field may not be blank.; configuration.sampling_rate: Sampling rate"
                        + " must be between 0.0 and 1.0",
                file + ":5: evaluation eval_typo: nmae: unknown member; modelId: Invalid value 'gpt-5' for modelId; expected one"
                        + " of gemini-3-flash-preview, gemini-2.5-computer-use-preview-10-2025.",
                file + ":6: line w: kind: must be one of evaluator, condition, automation, evaluation",
                file + ":7: evaluator evl_x: team: team_nowhere does not exist",
                file + ":8: line: not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object"
                        + " or token 'null', 'true' or 'false')",
                "import: 8 line(s): 2 created, 0 unchanged, 6 failed; nothing was written");
        assertThat(count("evaluator")).isZero();
    }

    @Test
    void theStateLevelRulesOfTheApiHoldToo() throws IOException {
        Path file = write("refs.jsonl", List.of(ACME.get(0),
                "{\"kind\":\"automation\",\"team\":\"team_acme\",\"id\":\"auto_x\",\"automation_slug\":\"x\",\"name\":\"X\","
                        + "\"evaluator_ids\":[\"evl_rel\",\"evl_missing\"],\"configuration\":{\"window\":1}}",
                "{\"kind\":\"automation\",\"team\":\"team_acme\",\"id\":\"auto_y\",\"automation_slug\":\"y\",\"name\":\"Y\","
                        + "\"condition\":\"cond_none\",\"evaluator_ids\":[],\"configuration\":{\"sampling_rate\":0.5}}"));

        Run run = db.admin("resources", "import", file.toString());

        assertThat(run.outLines()).containsExactly(
                file + ":2: automation auto_x: configuration.sampling_rate: This field is required.; evaluator_ids: Evaluators"
                        + " not found: evl_missing",
                file + ":3: automation auto_y: condition: no condition cond_none in team team_acme; evaluator_ids: At least one"
                        + " evaluator is required",
                "import: 3 line(s): 1 created, 0 unchanged, 2 failed; nothing was written");
    }

    @Test
    void aResourceStoredWithOtherContentOrOwnedByAnotherTeamIsRefusedNotChanged() throws IOException {
        db.admin("resources", "import", write("acme.jsonl", ACME).toString());
        Path file = write("changed.jsonl", List.of(
                ACME.get(1).replace("\"  Toxicity \"", "\"Toxicity v2\""),
                ACME.get(0).replace("team_acme", "team_globex"),
                "{\"kind\":\"evaluator\",\"team\":\"team_acme\",\"id\":\"evl_other\",\"evaluator_slug\":\"relevance\",\"name\":\"R\"}"));

        Run run = db.admin("resources", "import", file.toString());

        assertThat(run.outLines()).containsExactly(
                file + ":1: evaluator evl_tox: stored with other content (name); import never changes a resource: change it"
                        + " through the API",
                file + ":2: evaluator evl_rel: id: taken by a evaluator of team team_acme",
                file + ":3: evaluator evl_other: evaluator_slug: 'relevance' is taken by evl_rel",
                "import: 3 line(s): 0 created, 0 unchanged, 3 failed; nothing was written");
        assertThat(db.strings("select name from evaluator where id = 'evl_tox'")).containsExactly("Toxicity");
    }

    @Test
    void dryRunChecksEverythingAndWritesNothing() throws IOException {
        Run run = db.admin("resources", "import", "--dry-run", write("acme.jsonl", ACME).toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("import: 5 line(s): 5 created, 0 unchanged, 0 failed; dry run, nothing was written\n");
        assertThat(count("evaluator") + count("condition") + count("automation") + count("evaluation")).isZero();
    }

    @Test
    void passwordProtectedEvaluationsAreExportedButCannotBeCreatedWithoutTheirPassword() throws IOException {
        Path file = write("pw.jsonl", List.of("{\"kind\":\"evaluation\",\"team\":\"team_acme\",\"id\":\"eval_pw\",\"name\":\"P\","
                + "\"type\":\"SxS\",\"shareAccess\":\"PASSWORD_PROTECTED\"}",
                "{\"kind\":\"evaluation\",\"team\":\"team_acme\",\"id\":\"eval_pw2\",\"name\":\"P\",\"type\":\"SxS\",\"sharePassword\":\"hunter22\"}"));

        Run run = db.admin("resources", "import", file.toString());

        assertThat(run.outLines().get(0)).contains("eval_pw: shareAccess: PASSWORD_PROTECTED needs a share password");
        assertThat(run.outLines().get(1)).contains("eval_pw2: sharePassword: share passwords are not imported")
                .doesNotContain("hunter22");
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }

    private int count(String table) {
        return db.count(table);
    }
}
