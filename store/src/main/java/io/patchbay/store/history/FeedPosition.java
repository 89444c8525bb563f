package io.patchbay.store.history;

/**
 * A place in the team-wide change feed: the writing transaction's id ({@code xid8}) and the row's insertion number.
 * The feed is ordered by both; positions compare the same way.
 *
 * @param transaction {@code change_log.feed_tx}
 * @param sequence {@code change_log.feed_seq}
 */
public record FeedPosition(long transaction, long sequence) {
}
