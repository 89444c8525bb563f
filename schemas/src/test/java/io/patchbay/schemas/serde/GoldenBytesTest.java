package io.patchbay.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchbay.schemas.CommandResult;
import io.patchbay.schemas.testing.Fixtures;
import io.patchbay.schemas.testing.StubRegistry;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes, worked out by hand from the Avro specification (zig-zag varints, length-prefixed UTF-8, union
 * branch indexes, array blocks) and the Confluent framing, not by running Avro.
 */
class GoldenBytesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aTinyGenericRecordHasExactlyTheseBytes() {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"Tiny","namespace":"test","fields":[
                  {"name":"n","type":"int"},
                  {"name":"s","type":"string"},
                  {"name":"flag","type":"boolean"},
                  {"name":"opt","type":["null","long"]}]}""");
        GenericRecord tiny = new GenericData.Record(schema);
        tiny.put("n", -3);
        tiny.put("s", "hé");
        tiny.put("flag", true);
        tiny.put("opt", 300L);
        StubRegistry registry = StubRegistry.withFixedId(0x0A0B0C0D);
        SerdeConfig config = SerdeConfig.from(Map.of(), false);

        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(registry, config).serialize("t", tiny);

        String expected = "00" + "0a0b0c0d" // magic byte, schema id big-endian
                + "05"                      // n = -3: zig-zag 5
                + "06" + "68c3a9"           // s: length 3 (zig-zag 6), "h" and "é" in UTF-8
                + "01"                      // flag = true
                + "02" + "d804";            // opt: union branch 1 (zig-zag 2), 300 -> zig-zag 600 = 0x58|0x80, 0x04
        assertThat(HEX.formatHex(bytes)).isEqualTo(expected);

        GenericRecord back = new ConfluentAvroDeserializer<GenericRecord>(registry, config).deserialize("t", bytes);
        assertThat(back.get("n")).isEqualTo(-3);
        assertThat(back.get("s")).hasToString("hé");
        assertThat(back.get("flag")).isEqualTo(true);
        assertThat(back.get("opt")).isEqualTo(300L);
    }

    @Test
    void aCommandResultHasExactlyTheseBytes() {
        StubRegistry registry = StubRegistry.withFixedId(1);
        SerdeConfig config = SerdeConfig.from(Map.of(SerdeConfig.SPECIFIC_AVRO_READER, "true"), false);
        CommandResult result = Fixtures.commandResult();

        byte[] bytes = new ConfluentAvroSerializer<CommandResult>(registry, config).serialize("results", result);

        String expected = "00" + "00000001"   // magic byte, schema id 1
                + "04" + "6331"               // commandId "c1"
                + "04" + "7231"               // requestId "r1"
                + "02"                        // resourceType AUTOMATION: symbol 1
                + "04" + "6531"               // resourceId "e1"
                + "04" + "7431"               // teamId "t1"
                + "04"                        // status REJECTED: symbol 2
                + "02" + "0e"                 // version: branch 1 (long), 7
                + "00"                        // resource: branch 0 (null)
                + "02"                        // errors: a block of 1 item
                + "04"                        //   kind NOT_FOUND: symbol 2
                + "02" + "02" + "78"          //   code: branch 1, "x"
                + "00"                        //   field: null
                + "02" + "6d"                 //   message "m"
                + "00"                        // end of the array
                + "d00f";                     // completedAt 1000 ms: zig-zag 2000 = 0x50|0x80, 0x0f
        assertThat(HEX.formatHex(bytes)).isEqualTo(expected);

        CommandResult back = new ConfluentAvroDeserializer<CommandResult>(registry, config)
                .deserialize("results", HEX.parseHex(expected));
        assertThat(back).isEqualTo(result);
    }
}
