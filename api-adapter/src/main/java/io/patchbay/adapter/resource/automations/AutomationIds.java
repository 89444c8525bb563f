package io.patchbay.adapter.resource.automations;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The automation id that a path's id or slug resolves to within a team (api-contract §4.1: id first, then slug),
 * remembered once found. Every Respan PATCH needs it for its record key, and the lookup was a database round trip
 * per request (the largest single part of an automation PATCH in the adapter's profile at 500 requests/s).
 *
 * <p>A found resolution does not change while it is remembered: ids are immutable, slugs are read-only through the
 * API and nothing deletes an automation. The one change it could miss, an automation created later whose id equals
 * a slug resolved here, is bounded by {@code rememberFor}. Identifiers that resolve to nothing are not remembered
 * (an automation may be created with them), so a request naming an unknown automation still asks the database.
 */
final class AutomationIds {

    static final Duration REMEMBER_FOR = Duration.ofMinutes(10);
    private static final long MAX_ENTRIES = 100_000;

    private record Key(String teamId, String idOrSlug) {
    }

    private final BiFunction<String, String, Optional<String>> lookup;
    private final Cache<Key, String> found;

    /**
     * @param lookup the database lookup: team id and the path's id or slug to the automation id, empty when none
     * @param nanoTime the cache's time source (monotonic nanoseconds)
     */
    AutomationIds(BiFunction<String, String, Optional<String>> lookup, Duration rememberFor, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.found = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(rememberFor)
                .ticker(nanoTime::getAsLong).executor(Runnable::run).build();
    }

    /** The id of {@code teamId}'s automation with id or else slug {@code idOrSlug}; empty when there is none. */
    Optional<String> resolve(String teamId, String idOrSlug) {
        Key key = new Key(teamId, idOrSlug);
        String id = found.getIfPresent(key);
        if (id != null) {
            return Optional.of(id);
        }
        Optional<String> resolved = lookup.apply(teamId, idOrSlug);
        resolved.ifPresent(value -> found.put(key, value));
        return resolved;
    }
}
