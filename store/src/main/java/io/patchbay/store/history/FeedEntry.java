package io.patchbay.store.history;

import io.patchbay.store.commandlog.ChangeLogEntry;

/** A change-log entry and its place in the team-wide feed. */
public record FeedEntry(ChangeLogEntry change, FeedPosition position) {
}
