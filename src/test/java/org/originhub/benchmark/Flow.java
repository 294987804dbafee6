package org.originhub.benchmark;

import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Send times and arrival times of documents, keyed by document number (one clock: this JVM's {@code nanoTime}), and the
 * receivers that record arrivals: each a JMS consumer on a queue of a real broker, in a thread of its own.
 */
final class Flow implements AutoCloseable {
    /** How a receiver tells which document a message is about (null: not one of ours, ignored). */
    interface KeyOf {
        String key(Message m) throws JMSException;
    }

    final Map<String, Long> sent = new ConcurrentHashMap<>();
    final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<CompletableFuture<Void>> receivers = new ArrayList<>();

    void markSent(String key) {
        sent.putIfAbsent(key, System.nanoTime());
    }

    /** Starts a receiver; the first arrival of each key counts. */
    Flow receive(ConnectionFactory cf, String queue, String selector, KeyOf keyOf) {
        receivers.add(CompletableFuture.runAsync(() -> {
            try (Connection c = cf.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = selector == null ? s.createConsumer(s.createQueue(queue))
                        : s.createConsumer(s.createQueue(queue), selector);
                while (running.get()) {
                    Message m = consumer.receive(200);
                    if (m == null) continue;
                    long now = System.nanoTime();
                    String key = keyOf.key(m);
                    if (key != null) arrived.putIfAbsent(key, now);
                }
            } catch (JMSException e) {
                throw new IllegalStateException("receiver on " + queue + " failed", e);
            }
        }));
        return this;
    }

    /** Waits until every key has arrived; false when the time ran out (the phase is then reported incomplete). */
    boolean awaitAll(Collection<String> keys, Duration atMost) {
        try {
            await("arrivals").atMost(atMost).pollInterval(Duration.ofMillis(20))
                    .until(() -> arrived.keySet().containsAll(keys));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Latencies in ms (arrival - send) of the keys that arrived, sorted. */
    double[] latenciesMs(Collection<String> keys) {
        return keys.stream().filter(arrived::containsKey)
                .mapToDouble(k -> (arrived.get(k) - sent.get(k)) / 1e6).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Documents per second from the first send to the last arrival of these keys. */
    double throughput(Collection<String> keys) {
        long first = keys.stream().mapToLong(sent::get).min().orElseThrow();
        long last = keys.stream().filter(arrived::containsKey).mapToLong(arrived::get).max().orElse(first);
        long n = keys.stream().filter(arrived::containsKey).count();
        return n / ((last - first) / 1e9);
    }

    @Override
    public void close() {
        running.set(false);
        receivers.forEach(CompletableFuture::join);
    }
}
