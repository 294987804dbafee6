package org.originhub.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What arrived at the far end, counted by messageId: every arrival is counted (a duplicate is counted, not hidden),
 * and the order of first arrivals per CO is checked against the order the single window sent them in.
 */
final class Tally {
    private final CcdStream stream;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, Integer> lastSeqPerCo = new HashMap<>();
    private final List<String> orderViolations = new ArrayList<>();
    private final List<String> unknown = new ArrayList<>();
    private volatile long lastNewArrivalNanos = System.nanoTime();
    private volatile long lastArrivalNanos = System.nanoTime();

    Tally(CcdStream stream) {
        this.stream = stream;
    }

    synchronized void arrived(String messageId) {
        lastArrivalNanos = System.nanoTime();
        CcdStream.Item item = stream.item(messageId);
        if (item == null) {
            unknown.add(messageId);
            return;
        }
        int n = counts.merge(messageId, 1, Integer::sum);
        if (n > 1) return;
        lastNewArrivalNanos = lastArrivalNanos;
        Integer last = lastSeqPerCo.put(item.coNumber(), item.seq());
        if (last != null && last > item.seq()) {
            orderViolations.add(item.coNumber() + ": message " + item.seq() + " after " + last);
        }
    }

    synchronized int distinct() {
        return counts.size();
    }

    synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized int duplicates() {
        return total() - distinct();
    }

    synchronized int lost() {
        return stream.size() - distinct();
    }

    synchronized Map<String, Integer> duplicated() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (v > 1) out.put(k, v);
        });
        return out;
    }

    synchronized List<String> orderViolations() {
        return List.copyOf(orderViolations);
    }

    synchronized List<String> unknown() {
        return List.copyOf(unknown);
    }

    long lastNewArrivalNanos() {
        return lastNewArrivalNanos;
    }

    long lastArrivalNanos() {
        return lastArrivalNanos;
    }
}
