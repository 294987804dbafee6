package org.originhub.history;

import java.util.List;

/** One page of a history search; {@code page} counts from 0. */
public record HistoryPage<T>(List<T> items, int page, int size, long totalElements, int totalPages) {
    public HistoryPage {
        items = List.copyOf(items);
    }
}
