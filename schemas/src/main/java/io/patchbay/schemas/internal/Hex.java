package io.patchbay.schemas.internal;

import java.util.HexFormat;

/** Short hex renderings of payloads for error messages, which must never carry more than a prefix. */
public final class Hex {

    /** How many leading bytes an error message may show. */
    public static final int PREFIX_BYTES = 8;

    private static final HexFormat FORMAT = HexFormat.ofDelimiter(" ");

    private Hex() {
    }

    /** E.g. {@code "00 00 00 00 2a 04 63 31 ..."}: at most {@link #PREFIX_BYTES} bytes. */
    public static String prefix(byte[] data) {
        int shown = Math.min(data.length, PREFIX_BYTES);
        String hex = FORMAT.formatHex(data, 0, shown);
        return data.length > shown ? hex + " ..." : hex;
    }

    /** E.g. {@code "0x01"}. */
    public static String ofByte(byte b) {
        return "0x" + HexFormat.of().toHexDigits(b);
    }
}
