package io.patchbay.adapter.history;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.patchbay.store.history.FeedPosition;

/**
 * The opaque cursors of the history routes: base64url of a versioned position, so that clients cannot depend on
 * what is inside. A resource's cursor is the version its next page starts below; the feed's is a {@link FeedPosition}.
 */
public final class HistoryCursors {

    private static final Pattern VERSION = Pattern.compile("v1:([1-9][0-9]{0,18})");
    private static final Pattern FEED = Pattern.compile("f1:([0-9]{1,19}):([1-9][0-9]{0,18})");

    private HistoryCursors() {
    }

    public static String ofVersion(long version) {
        return encode("v1:" + version);
    }

    public static String ofFeed(FeedPosition position) {
        return encode("f1:" + position.transaction() + ":" + position.sequence());
    }

    /** The version a cursor made by {@link #ofVersion} holds; empty when {@code cursor} is not one. */
    public static OptionalLong version(String cursor) {
        Matcher matcher = VERSION.matcher(decode(cursor));
        return matcher.matches() ? parse(matcher.group(1)) : OptionalLong.empty();
    }

    /** The position a cursor made by {@link #ofFeed} holds; empty when {@code cursor} is not one. */
    public static Optional<FeedPosition> feed(String cursor) {
        Matcher matcher = FEED.matcher(decode(cursor));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        OptionalLong tx = parse(matcher.group(1));
        OptionalLong seq = parse(matcher.group(2));
        return tx.isPresent() && seq.isPresent() ? Optional.of(new FeedPosition(tx.getAsLong(), seq.getAsLong()))
                : Optional.empty();
    }

    private static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static OptionalLong parse(String digits) {
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
