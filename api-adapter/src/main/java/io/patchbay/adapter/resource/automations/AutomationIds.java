package io.patchbay.adapter.resource.automations;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The automation id that a path's id or slug resolves to within a team (api-contract §4.1: id first, then slug),
 * remembered once found. Every Respan PATCH needs it for its record key, and the lookup is a database round trip on
 * the request thread.
 *
 * <p>An identifier that resolves to itself is an automation's own id in that team, and that resolution never changes:
 * ids are immutable and nothing deletes an automation. Such ids are remembered without a time limit (the most used
 * {@value #MAX_IDS}), and {@link #remember} takes those of existing automations, which the adapter loads in one query
 * when it starts, off the request path: otherwise the first PATCH of each automation after a start, and every PATCH of
 * one patched less often than every {@code rememberFor}, paid the round trip (7–9% of the adapter's request-thread
 * samples in the JFR runs of BENCHMARKS.md, "Automation ids remembered from start").
 *
 * <p>A slug's resolution is remembered for {@code rememberFor}: slugs are read-only through the API, and the one change
 * it could miss, an automation created later whose id equals that slug, is bounded by that time. Identifiers that
 * resolve to nothing are not remembered (an automation may be created with them), so a request naming an unknown
 * automation still asks the database.
 */
final class AutomationIds {

    static final Duration REMEMBER_FOR = Duration.ofMinutes(10);
    static final int MAX_IDS = 100_000;
    private static final long MAX_SLUGS = 100_000;

    private record Key(String teamId, String idOrSlug) {
    }

    private final BiFunction<String, String, Optional<String>> lookup;
    private final Cache<Key, Boolean> ids;
    private final Cache<Key, String> slugs;

    /**
     * @param lookup the database lookup: team id and the path's id or slug to the automation id, empty when none
     * @param nanoTime the caches' time source (monotonic nanoseconds)
     */
    AutomationIds(BiFunction<String, String, Optional<String>> lookup, Duration rememberFor, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.ids = Caffeine.newBuilder().maximumSize(MAX_IDS).executor(Runnable::run).build();
        this.slugs = Caffeine.newBuilder().maximumSize(MAX_SLUGS).expireAfterWrite(rememberFor)
                .ticker(nanoTime::getAsLong).executor(Runnable::run).build();
    }

    /** The id of {@code teamId}'s automation with id or else slug {@code idOrSlug}; empty when there is none. */
    Optional<String> resolve(String teamId, String idOrSlug) {
        Key key = new Key(teamId, idOrSlug);
        if (ids.getIfPresent(key) != null) {
            return Optional.of(idOrSlug);
        }
        String id = slugs.getIfPresent(key);
        if (id != null) {
            return Optional.of(id);
        }
        Optional<String> resolved = lookup.apply(teamId, idOrSlug);
        resolved.ifPresent(value -> {
            if (value.equals(idOrSlug)) {
                ids.put(key, Boolean.TRUE);
            } else {
                slugs.put(key, value);
            }
        });
        return resolved;
    }

    /** How many automation ids are remembered without a time limit. */
    long rememberedIds() {
        ids.cleanUp();
        return ids.estimatedSize();
    }

    /** Remembers that {@code id} is the id of an automation of {@code teamId}. */
    void remember(String teamId, String id) {
        ids.put(new Key(teamId, id), Boolean.TRUE);
    }
}
