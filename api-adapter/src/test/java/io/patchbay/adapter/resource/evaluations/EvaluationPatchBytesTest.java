package io.patchbay.adapter.resource.evaluations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.patchbay.adapter.AvroBytes;
import io.patchbay.schemas.BrowserEngine;
import io.patchbay.schemas.EvaluationPatch;
import io.patchbay.schemas.EvaluationStatus;
import io.patchbay.schemas.EvaluationType;
import io.patchbay.schemas.ShareAccess;
import io.patchbay.schemas.json.JsonValues;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parser builds its patch with the all-fields constructor (every field {@code Unset}); the bytes on the wire must
 * be those of the Avro builder it replaced, {@code EvaluationPatch.newBuilder()} with a setter per field sent, for
 * absent fields, cleared (null) ones, and values of every kind.
 */
class EvaluationPatchBytesTest {

    private static final Instant NOW = Instant.parse("2026-05-04T11:00:00Z");

    private final EvaluationPatchParser parser = new EvaluationPatchParser();

    @Test
    void aPatchWithEveryFieldAbsentIsTheBuildersDefaultByteForByte() {
        EvaluationPatch built = EvaluationPatch.newBuilder().build();

        assertThat(AvroBytes.of(EvaluationPatchParser.unsetPatch())).isEqualTo(AvroBytes.of(built));
        assertThat(AvroBytes.of(parse("{}"))).isEqualTo(AvroBytes.of(built));
        assertThat(parse("{}")).isEqualTo(built);
    }

    @Test
    void aPatchOfValuesAndClearsIsTheBuildersByteForByte() {
        EvaluationPatch parsed = parse("{\"status\":\"Running\",\"name\":\"Checkout v2\",\"description\":null,\"type\":\"SxS\","
                + "\"shareAccess\":\"ANYONE_WITH_LINK\",\"shareRequireEmail\":true,\"shareAllowAnon\":false,"
                + "\"shareExpiry\":\"2026-06-30T00:00:00.123+02:00\",\"browserEngine\":\"chrome\",\"useProxy\":null,"
                + "\"proxyRegion\":\"eu\",\"modelId\":null}");

        EvaluationPatch built = EvaluationPatch.newBuilder()
                .setName("Checkout v2")
                .setDescription(null)
                .setType(EvaluationType.SxS)
                .setStatus(EvaluationStatus.Running)
                .setShareAccess(ShareAccess.ANYONE_WITH_LINK)
                .setShareRequireEmail(true)
                .setShareAllowAnon(false)
                .setShareExpiry(Instant.parse("2026-06-29T22:00:00.123Z"))
                .setBrowserEngine(BrowserEngine.CHROME)
                .setUseProxy(null)
                .setProxyRegion("eu")
                .setModelId(null)
                .setFieldOrder(List.of("status", "name", "description", "type", "shareAccess", "shareRequireEmail",
                        "shareAllowAnon", "shareExpiry", "browserEngine", "useProxy", "proxyRegion", "modelId"))
                .build();

        assertThat(AvroBytes.of(parsed)).isEqualTo(AvroBytes.of(built));
    }

    @Test
    void aPatchOfOneFieldAndAClearedExpiryIsTheBuildersByteForByte() {
        EvaluationPatch parsed = parse("{\"shareExpiry\":\"\",\"editorsCanShare\":true,\"sharePassword\":\"correct horse battery\"}");

        EvaluationPatch built = EvaluationPatch.newBuilder()
                .setShareExpiry(null)
                .setEditorsCanShare(true)
                .setFieldOrder(List.of("shareExpiry", "editorsCanShare", "sharePassword"))
                .build();

        assertThat(AvroBytes.of(parsed)).isEqualTo(AvroBytes.of(built));
    }

    private EvaluationPatch parse(String body) {
        return parser.parse((ObjectNode) JsonValues.MAPPER.readTree(body), "eval_1", "team_1", NOW).patch();
    }
}
